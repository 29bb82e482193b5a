package dev.bulwark.vulndb.feed;

import dev.bulwark.vulndb.VulnDbException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads advisory feeds from files, directories and archives, recognising each file's format by its name and first
 * bytes ({@link FeedFormat#detect}). Content problems never throw: they are reported in the result, per file and
 * record, and everything else is still read.
 *
 * <p>The collecting methods merge the parsers' record-level advisories (see {@link AdvisoryMerger}: one per
 * vulnerability, source and set of ecosystems); the streaming method hands over records as parsed, unmerged, in
 * bounded memory.
 */
public final class Feeds {
    private Feeds() {
    }

    /** Reads one file (a feed file, a .gz, or an archive) with the default limits. */
    public static ParseResult parse(Path file) throws VulnDbException {
        return parseTree(file, Limits.DEFAULT);
    }

    /** Reads a directory tree, including the archives in it, with the default limits. */
    public static ParseResult parseTree(Path root) throws VulnDbException {
        return parseTree(root, Limits.DEFAULT);
    }

    /**
     * Reads a directory tree, a single file or an archive, collecting and merging what it holds.
     *
     * @throws VulnDbException only when {@code root} itself cannot be read (missing, unlistable)
     */
    public static ParseResult parseTree(Path root, Limits limits) throws VulnDbException {
        ParseResult.Collector collector = ParseResult.collector();
        Map<FeedFormat, FormatStats> stats = parseTree(root, limits, collector);
        return collector.result(AdvisoryMerger.merge(collector.advisories()), stats);
    }

    /**
     * Streams a directory tree, file or archive into {@code sink}: advisories unmerged, in the order files are met
     * (paths sorted).
     *
     * @return per format, the files, records and problems seen
     * @throws VulnDbException only when {@code root} itself cannot be read
     */
    public static Map<FeedFormat, FormatStats> parseTree(Path root, Limits limits, FeedSink sink)
            throws VulnDbException {
        FeedWalker walker = new FeedWalker(limits, sink);
        try {
            walker.walk(root);
        } catch (IOException e) {
            throw new VulnDbException(root.toString(), OsvParser.oneLine(e), e);
        }
        return Map.copyOf(walker.stats());
    }

    /** The format of a file, from its name and leading bytes; see {@link FeedFormat#detect}. */
    public static Optional<FeedFormat> detect(String name, byte[] head) {
        return FeedFormat.detect(name, head);
    }
}
