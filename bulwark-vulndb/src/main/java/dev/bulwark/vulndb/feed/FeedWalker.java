package dev.bulwark.vulndb.feed;

import dev.bulwark.model.Advisory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

/**
 * Walks a directory, archive or file, offering every file to {@link FeedFormat#detect} and its parser. Archives
 * (zip, tar, tar.gz/tgz) and .gz files are read as streams, entry by entry, never extracted. An archive with an
 * entry whose name leaves the archive (absolute, "..", a drive letter) or that passes a {@link Limits} bound is
 * refused from that entry on, with one problem saying why.
 */
final class FeedWalker {
    /** Archives inside archives are followed this deep and no deeper. */
    private static final int MAX_NESTING = 2;

    private final Limits limits;
    private final FeedSink sink;
    private final Map<FeedFormat, FormatStats> stats = new EnumMap<>(FeedFormat.class);

    FeedWalker(Limits limits, FeedSink sink) {
        this.limits = limits;
        this.sink = sink;
    }

    Map<FeedFormat, FormatStats> stats() {
        return stats;
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) if (part.toString().startsWith(".")) return true;
        return false;
    }

    /** Walks a directory (in sorted order, symbolic links not followed) or reads a single file. */
    void walk(Path root) throws IOException {
        if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(root)) {
                // hidden files and directories are bookkeeping (the fetcher's .fetch sidecars, .git), never feeds
                files = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !hidden(root.relativize(p)))
                        .sorted().toList();
            }
            String base = root.getFileName() == null ? "" : root.getFileName() + "/";
            for (Path f : files) file(f, base + root.relativize(f).toString().replace('\\', '/'));
        } else if (Files.isRegularFile(root)) {
            file(root, root.getFileName().toString());
        } else {
            throw new IOException("no such file or directory: " + root);
        }
    }

    private void file(Path path, String name) {
        try {
            long max = isCompressed(name) ? limits.maxArchiveBytes() : limits.maxEntryBytes();
            if (Files.size(path) > max) {
                sink.problem(FeedSink.describe(name, null, "larger than " + max + " bytes; refused"));
                return;
            }
            try (InputStream in = Files.newInputStream(path)) {
                stream(in, name, 0);
            }
        } catch (IOException e) {
            sink.problem(FeedSink.describe(name, null, "unreadable: " + OsvParser.oneLine(e)));
        }
    }

    private static boolean isCompressed(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".zip") || n.endsWith(".tgz") || n.endsWith(".tar") || n.endsWith(".gz");
    }

    /** One file's content: an archive to open, a .gz to inflate, or a feed file to parse. */
    private void stream(InputStream in, String name, int depth) throws IOException {
        String n = name.toLowerCase(Locale.ROOT);
        boolean zip = n.endsWith(".zip"), tgz = n.endsWith(".tar.gz") || n.endsWith(".tgz"), tar = n.endsWith(".tar");
        if (isCompressed(name)) {
            if (depth >= MAX_NESTING) {
                sink.problem(FeedSink.describe(name, null, "archive nested more than " + MAX_NESTING
                        + " deep; refused"));
                return;
            }
            Budget budget = new Budget(in, limits, limits.maxArchiveBytes());
            try {
                if (zip) {
                    archive(new ZipArchiveInputStream(budget.raw(), "UTF-8", true, true), budget, name, depth, true);
                } else if (tgz || tar) {
                    InputStream body = tgz ? budget.entry(new GZIPInputStream(budget.raw(), 64 * 1024), name)
                            : budget.raw();
                    archive(new TarArchiveInputStream(body), budget, name, depth, !tgz);
                } else {
                    String inner = name.substring(0, name.length() - 3);
                    InputStream guarded = budget.entry(new GZIPInputStream(budget.raw(), 64 * 1024), inner);
                    stream(guarded, inner, depth + 1);
                    if (budget.exceeded() != null) refuse(name, budget.exceeded());
                }
            } catch (Budget.Exceeded e) {
                refuse(name, e.getMessage());
            } catch (IOException | RuntimeException e) {
                // commons-compress reports corrupt archives as IOException or IllegalArgumentException
                if (budget.exceeded() != null) refuse(name, budget.exceeded());
                else sink.problem(FeedSink.describe(name, null, "corrupt archive: " + OsvParser.oneLine(e)));
            }
            return;
        }
        feed(in, name);
    }

    /** @param countEntries whether entry bytes count toward the archive's total (not when a gzip around it does) */
    private void archive(ArchiveInputStream<?> archive, Budget budget, String name, int depth, boolean countEntries)
            throws IOException {
        int entries = 0;
        for (ArchiveEntry e; (e = archive.getNextEntry()) != null; ) {
            String entryName = e.getName();
            String why = hostile(entryName);
            if (why != null) {
                refuse(name, "entry '" + entryName + "' " + why);
                return;
            }
            if (++entries > limits.maxEntries()) {
                refuse(name, "more than " + limits.maxEntries() + " entries");
                return;
            }
            // only regular files: tar links, devices and directories carry nothing to parse
            boolean regular = e instanceof TarArchiveEntry t ? t.isFile()
                    : !e.isDirectory() && !(e instanceof ZipArchiveEntry z && z.isUnixSymlink());
            InputStream entry = countEntries ? budget.entry(archive, name + "!/" + entryName)
                    : budget.part(archive, name + "!/" + entryName);
            if (regular) stream(entry, name + "!/" + entryName, depth + 1);
            if (budget.exceeded() != null) {
                refuse(name, budget.exceeded());
                return;
            }
            Budget.drain(entry);
        }
        if (entries == 0) sink.problem(FeedSink.describe(name, null, "holds no entries (empty, or not an archive)"));
    }

    /** Why an entry name would escape the directory it were extracted to, or null when it is harmless. */
    static String hostile(String entryName) {
        if (entryName == null || entryName.isEmpty()) return "has no name";
        if (entryName.indexOf('\0') >= 0) return "has a NUL character in its name";
        String n = entryName.replace('\\', '/');
        if (n.startsWith("/") || n.matches("^[A-Za-z]:.*")) return "has an absolute path (path traversal)";
        for (String segment : n.split("/")) {
            if (segment.equals("..")) return "climbs out of the archive with '..' (path traversal, \"zip slip\")";
        }
        return null;
    }

    private void refuse(String archive, String why) {
        sink.problem(FeedSink.describe(archive, null, "archive refused from here on: " + why));
    }

    /** Recognises and parses one feed file, counting what its parser delivers. */
    private void feed(InputStream raw, String name) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, FeedFormat.HEAD_BYTES);
        in.mark(FeedFormat.HEAD_BYTES);
        byte[] head = in.readNBytes(FeedFormat.HEAD_BYTES);
        in.reset();
        Optional<FeedFormat> format = FeedFormat.detect(name, head);
        if (format.isEmpty()) {
            sink.unrecognised(name);
            return;
        }
        long[] counts = new long[2];
        FeedSink counting = new FeedSink() {
            @Override
            public void advisory(Advisory advisory) {
                counts[0]++;
                sink.advisory(advisory);
            }

            @Override
            public void kev(KevEntry entry) {
                counts[0]++;
                sink.kev(entry);
            }

            @Override
            public void epss(EpssScore score) {
                counts[0]++;
                sink.epss(score);
            }

            @Override
            public void problem(String problem) {
                counts[1]++;
                sink.problem(problem);
            }
        };
        format.get().parser(limits).parse(in, name, counting);
        stats.merge(format.get(), new FormatStats(1, counts[0], counts[1]), FormatStats::plus);
    }
}
