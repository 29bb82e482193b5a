package dev.bulwark.vulndb;

import dev.bulwark.model.Advisory;
import dev.bulwark.model.VulnDbInfo;
import dev.bulwark.vulndb.feed.FeedFormat;
import dev.bulwark.vulndb.feed.FeedSink;
import dev.bulwark.vulndb.feed.Feeds;
import dev.bulwark.vulndb.feed.Limits;
import dev.bulwark.vulndb.store.JdbcStore;
import dev.bulwark.vulndb.store.StoreImports;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

/**
 * The vulnerability DB facade: open it to match, import feeds into it. Scans open it read-only and never touch the
 * network; imports build a new DB beside the old one and swap it in atomically (see {@link StoreImports}).
 */
public final class VulnDb implements AutoCloseable {
    /** Source name of the built-in advisories' origin, as {@code db status} shows it. */
    public static final String BUILTIN_ORIGIN = "built-in (shipped with Bulwark)";
    private static final String BUILTIN_DIR = "/dev/bulwark/vulndb/builtin/";

    private final JdbcStore store;

    private VulnDb(JdbcStore store) {
        this.store = store;
    }

    /**
     * Opens the DB at {@code loc} read-only.
     *
     * @throws VulnDbException when there is none, or it is incomplete, damaged or of another schema (each message says
     *                         how to get out)
     */
    public static VulnDb open(DbLocation loc) throws VulnDbException {
        return new VulnDb(StoreImports.openForReading(loc));
    }

    /**
     * Opens the DB at {@code loc}; an embedded location that has no DB yet is first filled with the built-in
     * advisories, so that a first scan on a machine without network shows real findings.
     */
    public static VulnDb openOrInstallBuiltin(DbLocation loc) throws VulnDbException {
        if (loc instanceof DbLocation.Embedded && !StoreImports.exists(loc)) importBuiltin(loc, null);
        return open(loc);
    }

    /** True when {@code loc} may hold a DB (an embedded one exists; a PostgreSQL one is asked when opened). */
    public static boolean exists(DbLocation loc) {
        return StoreImports.exists(loc);
    }

    /**
     * Imports feed files, directories and archives (any format {@link Feeds} reads). Each advisory source found
     * replaces that source's older records; KEV and EPSS are replaced when present; other sources are kept.
     * Malformed records are counted and reported in the result and never abort the import.
     *
     * @param onRecord progress callback per stored record, or null
     * @throws VulnDbException when an input cannot be read at all or the DB cannot be written (the old DB stays)
     */
    public static ImportResult importPaths(DbLocation loc, List<Path> inputs, Limits limits, Runnable onRecord)
            throws VulnDbException {
        for (Path p : inputs) {
            if (!Files.exists(p)) throw new VulnDbException(p.toString(), "no such file or directory", null);
        }
        List<String> names = new ArrayList<>();
        for (Path p : inputs) names.add(p.toAbsolutePath().normalize().toString());
        return StoreImports.importInto(loc, String.join(", ", names), sink -> parseAll(inputs, limits, sink), onRecord);
    }

    /**
     * Parses the inputs into one sink. Parsing is most of an import's work and the store takes one writer, so with
     * several inputs they are parsed on parallel threads that take turns at the sink.
     */
    private static void parseAll(List<Path> inputs, Limits limits, FeedSink sink) throws VulnDbException {
        int threads = Math.min(inputs.size(), Math.max(1, Runtime.getRuntime().availableProcessors()));
        if (threads <= 1) {
            for (Path p : inputs) Feeds.parseTree(p, limits, sink);
            return;
        }
        SerialSink shared = new SerialSink(sink);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bulwark-import");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (Path p : inputs) parts.add(pool.submit(() -> {
                Feeds.parseTree(p, limits, shared);
                return null;
            }));
            for (Future<?> f : parts) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    parts.forEach(x -> x.cancel(true));
                    if (e.getCause() instanceof VulnDbException v) throw v;
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    if (e.getCause() instanceof Error err) throw err;
                    throw new VulnDbException("import", e.getCause().toString(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    parts.forEach(x -> x.cancel(true));
                    throw new VulnDbException("import", "interrupted", e);
                }
            }
        } finally {
            // a parser still running after a failure must not reach a store that is being thrown away
            shared.close();
            pool.shutdownNow();
        }
    }

    /** A sink that several parser threads share: one record at a time reaches the store, none after close. */
    private static final class SerialSink implements FeedSink {
        private final FeedSink target;
        private boolean closed;

        SerialSink(FeedSink target) {
            this.target = target;
        }

        synchronized void close() {
            closed = true;
        }

        private void open() {
            if (closed) throw new IllegalStateException("import abandoned");
        }

        @Override
        public synchronized void advisory(Advisory advisory) {
            open();
            target.advisory(advisory);
        }

        @Override
        public synchronized void kev(dev.bulwark.vulndb.feed.KevEntry entry) {
            open();
            target.kev(entry);
        }

        @Override
        public synchronized void epss(dev.bulwark.vulndb.feed.EpssScore score) {
            open();
            target.epss(score);
        }

        @Override
        public synchronized void problem(String problem) {
            open();
            target.problem(problem);
        }

        @Override
        public synchronized void unrecognised(String name) {
            open();
            target.unrecognised(name);
        }
    }

    /** Imports the small set of real advisories shipped inside Bulwark (see the builtin folder's README). */
    public static ImportResult importBuiltin(DbLocation loc, Runnable onRecord) throws VulnDbException {
        return StoreImports.importInto(loc, BUILTIN_ORIGIN, VulnDb::loadBuiltin, onRecord);
    }

    private static void loadBuiltin(FeedSink sink) throws VulnDbException {
        for (String name : builtinFiles()) {
            try (InputStream raw = VulnDb.class.getResourceAsStream(BUILTIN_DIR + name)) {
                if (raw == null) throw new VulnDbException(BUILTIN_DIR + name, "built-in advisory file missing from the jar", null);
                InputStream in = new BufferedInputStream(name.endsWith(".gz") ? new GZIPInputStream(raw) : raw);
                String plain = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
                in.mark(FeedFormat.HEAD_BYTES);
                byte[] head = in.readNBytes(FeedFormat.HEAD_BYTES);
                in.reset();
                Optional<FeedFormat> format = FeedFormat.detect(plain, head);
                if (format.isEmpty()) throw new VulnDbException(BUILTIN_DIR + name, "built-in advisory file of no known format", null);
                format.get().parser().parse(in, "builtin/" + name, sink);
            } catch (IOException e) {
                throw new VulnDbException(BUILTIN_DIR + name, "cannot read built-in advisories: " + e.getMessage(), e);
            }
        }
    }

    /** The built-in advisory files, as listed in the builtin folder's index. */
    static List<String> builtinFiles() throws VulnDbException {
        List<String> names = new ArrayList<>();
        try (InputStream in = VulnDb.class.getResourceAsStream(BUILTIN_DIR + "index.txt")) {
            if (in == null) return names;
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String n = line.strip();
                if (!n.isEmpty() && !n.startsWith("#")) names.add(n);
            }
        } catch (IOException e) {
            throw new VulnDbException(BUILTIN_DIR + "index.txt", e.getMessage(), e);
        }
        return names;
    }

    public VulnDbInfo info() throws VulnDbException {
        return store.info();
    }

    /** Every advisory that names one of {@code keys}, per key. */
    public Map<PackageKey, List<Advisory>> advisories(Collection<PackageKey> keys) throws VulnDbException {
        return store.advisories(keys);
    }

    /** NVD scores, KEV and EPSS for the ids the DB knows anything about. */
    public Map<String, Enrichment> enrichment(Collection<String> ids) throws VulnDbException {
        return store.enrichment(ids);
    }

    @Override
    public void close() throws VulnDbException {
        store.close();
    }
}
