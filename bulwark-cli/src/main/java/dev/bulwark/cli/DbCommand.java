package dev.bulwark.cli;

import dev.bulwark.model.BulwarkException;
import dev.bulwark.model.VulnDbInfo;
import dev.bulwark.vulndb.DbLocation;
import dev.bulwark.vulndb.ImportResult;
import dev.bulwark.vulndb.VulnDb;
import dev.bulwark.vulndb.feed.Limits;
import dev.bulwark.vulndb.fetch.FeedFetcher;
import dev.bulwark.vulndb.fetch.FeedSource;
import dev.bulwark.vulndb.fetch.FeedSources;
import dev.bulwark.vulndb.fetch.FetchOutcome;
import dev.bulwark.vulndb.fetch.FetchResult;
import dev.bulwark.vulndb.fetch.ProgressListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `bulwark db update | import | status`: the vulnerability DB. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Manage the vulnerability DB.",
        subcommands = {DbCommand.Update.class, DbCommand.Import.class, DbCommand.Status.class})
final class DbCommand {
    private DbCommand() {
    }

    /** Shared by the subcommands: one line per problem, exit codes. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        DbOptions db;
        @Option(names = {"-q", "--quiet"}, description = "No progress, only errors.")
        boolean quiet;
        @Spec
        CommandSpec spec;

        abstract int run(PrintWriter out, PrintWriter err) throws BulwarkException, IOException;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                return run(out, err);
            } catch (BulwarkException | IOException | IllegalArgumentException e) {
                return ExitCode.report(e, err);
            } finally {
                out.flush();
                err.flush();
            }
        }

        boolean bar() {
            return !quiet && System.console() != null && System.getenv("CI") == null;
        }

        /** Imports with a record counter on a terminal; prints what was stored and the problems met. */
        ImportResult importWithProgress(ImportJob job, PrintWriter out, PrintWriter err) throws BulwarkException {
            ImportResult r;
            if (bar()) {
                try (ProgressBar pb = new ProgressBarBuilder().setTaskName("Importing").setInitialMax(-1)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUnit(" records", 1).build()) {
                    AtomicLong n = new AtomicLong();
                    r = job.run(() -> {
                        if (n.incrementAndGet() % 1000 == 0) pb.stepTo(n.get());
                    });
                }
            } else {
                r = job.run(null);
            }
            report(r, out, err);
            return r;
        }

        void report(ImportResult r, PrintWriter out, PrintWriter err) {
            if (!quiet) {
                for (Map.Entry<String, Long> e : new java.util.TreeMap<>(r.records()).entrySet()) {
                    out.printf("  %-22s %,10d records%n", e.getKey(), e.getValue());
                }
                out.printf("imported %,d records into %s in %.1f s%n", r.total(), r.location(), r.elapsed().toMillis() / 1000.0);
            }
            if (r.problemCount() > 0 && !quiet) {
                int shown = Math.min(10, r.problems().size());
                for (int i = 0; i < shown; i++) err.println("bulwark: skipped: " + r.problems().get(i));
                err.println("bulwark: " + r.problemCount() + " malformed records or files were skipped"
                        + (r.problemCount() > shown ? " (first " + shown + " shown)" : ""));
            }
        }
    }

    @FunctionalInterface
    interface ImportJob {
        ImportResult run(Runnable onRecord) throws BulwarkException;
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import advisory feeds from files, directories or archives (zip, tar.gz) - for air-gapped machines.",
                    "Formats are recognised by content: OSV (JSON/YAML), Debian tracker, Alpine secdb, nodejs security-wg,",
                    "RustSec, NVD CVE API 2.0, CISA KEV, EPSS. Each source imported replaces that source's older records."})
    static final class Import extends Base {
        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Feed files, directories or archives.")
        List<Path> paths;

        @Override
        int run(PrintWriter out, PrintWriter err) throws BulwarkException {
            DbLocation loc = db.location();
            importWithProgress(onRecord -> VulnDb.importPaths(loc, paths, Limits.DEFAULT, onRecord), out, err);
            return ExitCode.OK.code;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = {"Download the public advisory feeds (conditional requests, checksums) and import what changed.",
                    "The new DB is built beside the old one and swapped in atomically; an interrupted update leaves the old DB working."})
    static final class Update extends Base {
        @Option(names = "--sources", paramLabel = "FILE", description = "Sources file replacing or adding to the default feeds (docs/feeds.md).")
        Path sourcesFile;
        @Option(names = "--mirror", paramLabel = "URL", description = "Fetch the default feeds from this mirror (docs/feeds.md).")
        String mirror;
        @Option(names = "--only", paramLabel = "NAME", split = ",", description = "Update only these sources (names as in 'db status' / docs/feeds.md).")
        List<String> only = new ArrayList<>();

        @Override
        int run(PrintWriter out, PrintWriter err) throws BulwarkException, IOException {
            List<FeedSource> sources = FeedSources.resolve(sourcesFile, mirror);
            if (!only.isEmpty()) sources = FeedSources.select(sources, only);
            Path feedDir = db.feedDir();
            FetchResult fetched;
            if (bar()) {
                try (ProgressBar pb = new ProgressBarBuilder().setTaskName("Downloading").setInitialMax(0)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUnit(" MiB", 1 << 20).build()) {
                    fetched = new FeedFetcher().fetch(sources, feedDir, new BarListener(pb, listener(err)));
                }
            } else {
                fetched = new FeedFetcher().fetch(sources, feedDir, listener(err));
            }
            for (FetchOutcome o : fetched.outcomes()) {
                if (o.status() == FetchOutcome.Status.FAILED) err.println("bulwark: " + o.line());
                else if (!quiet) out.println("  " + o.source().name() + ": " + o.status().name().toLowerCase(java.util.Locale.ROOT)
                        + (o.bytes() > 0 ? String.format(" (%,d bytes)", o.bytes()) : ""));
            }
            ImportedFiles marker = new ImportedFiles(feedDir.resolve(".imported"));
            List<Path> toImport = new ArrayList<>();
            for (FetchOutcome o : fetched.outcomes()) {
                if (o.status() == FetchOutcome.Status.FAILED || o.file() == null || !Files.isRegularFile(o.file())) continue;
                // unchanged files are imported too when the last import of them did not finish
                if (o.status() == FetchOutcome.Status.UPDATED || !marker.contains(o.file()) || !VulnDb.exists(db.location())) {
                    toImport.add(o.file());
                }
            }
            if (toImport.isEmpty()) {
                if (!quiet) out.println("the vulnerability DB is up to date (" + db.location().describe() + ")");
            } else {
                DbLocation loc = db.location();
                importWithProgress(onRecord -> VulnDb.importPaths(loc, toImport, Limits.DEFAULT, onRecord), out, err);
                marker.add(toImport);
            }
            return fetched.ok() ? ExitCode.OK.code : ExitCode.INPUT.code;
        }

        private ProgressListener listener(PrintWriter err) {
            if (quiet) return ProgressListener.NONE;
            return new ProgressListener() {
                @Override
                public void retrying(FeedSource source, int nextTry, String reason) {
                    synchronized (err) {
                        err.println("bulwark: " + source.name() + ": " + reason + "; try " + nextTry);
                        err.flush();
                    }
                }
            };
        }
    }

    /** Bytes of all sources on one bar: the total grows as each source says its length. */
    static final class BarListener implements ProgressListener {
        private final ProgressBar bar;
        private final ProgressListener next;
        private final Map<String, long[]> perSource = new java.util.HashMap<>();

        BarListener(ProgressBar bar, ProgressListener next) {
            this.bar = bar;
            this.next = next;
        }

        @Override
        public synchronized void started(FeedSource source, long totalBytes) {
            perSource.put(source.name(), new long[]{0, Math.max(0, totalBytes)});
            update();
        }

        @Override
        public synchronized void progress(FeedSource source, long bytesDone, long totalBytes) {
            perSource.put(source.name(), new long[]{bytesDone, Math.max(totalBytes, bytesDone)});
            update();
        }

        @Override
        public void retrying(FeedSource source, int nextTry, String reason) {
            next.retrying(source, nextTry, reason);
        }

        private void update() {
            long done = 0, total = 0;
            for (long[] v : perSource.values()) {
                done += v[0];
                total += v[1];
            }
            bar.maxHint(total);
            bar.stepTo(done);
        }
    }

    /** The feed files whose current content has been imported: name, size and modification time per line. */
    record ImportedFiles(Path file) {
        boolean contains(Path feed) throws IOException {
            return Files.isRegularFile(file) && Files.readAllLines(file, StandardCharsets.UTF_8).contains(identity(feed));
        }

        void add(List<Path> feeds) throws IOException {
            Set<String> lines = new LinkedHashSet<>();
            if (Files.isRegularFile(file)) {
                for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String name = l.split("\t", 2)[0];
                    if (feeds.stream().noneMatch(f -> f.getFileName().toString().equals(name))) lines.add(l);
                }
            }
            for (Path f : feeds) lines.add(identity(f));
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        private static String identity(Path feed) throws IOException {
            return feed.getFileName() + "\t" + Files.size(feed) + "\t" + Files.getLastModifiedTime(feed).toMillis();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Where the DB is, what it holds, how old it is.")
    static final class Status extends Base {
        @Override
        int run(PrintWriter out, PrintWriter err) throws BulwarkException {
            DbLocation loc = db.location();
            try (VulnDb v = VulnDb.open(loc)) {
                VulnDbInfo info = v.info();
                out.println("DB:       " + info.location());
                out.println("schema:   " + info.schema());
                out.println("built:    " + (info.builtAt() == null ? "unknown" : info.builtAt() + " (" + age(info.builtAt()) + " ago)"));
                out.printf("%-22s %12s  %-22s %s%n", "SOURCE", "RECORDS", "UPDATED", "ORIGIN");
                for (VulnDbInfo.Source s : info.sources()) {
                    out.printf("%-22s %,12d  %-22s %s%n", s.name(), s.records(), age(s.updatedAt()) + " ago", s.origin());
                }
                String stale = ScanCommand.staleness(info, null);
                if (stale != null) err.println("bulwark: warning: " + stale);
            }
            return ExitCode.OK.code;
        }

        static String age(Instant t) {
            Duration d = Duration.between(t, Instant.now());
            if (d.toDays() > 0) return d.toDays() + "d " + d.toHoursPart() + "h";
            if (d.toHours() > 0) return d.toHours() + "h " + d.toMinutesPart() + "m";
            return Math.max(0, d.toMinutes()) + "m";
        }
    }
}
