package dev.bulwark.bench;

import dev.bulwark.model.Advisory;
import dev.bulwark.vulndb.VulnDbException;
import dev.bulwark.vulndb.feed.EpssScore;
import dev.bulwark.vulndb.feed.FeedSink;
import dev.bulwark.vulndb.feed.Feeds;
import dev.bulwark.vulndb.feed.KevEntry;
import dev.bulwark.vulndb.feed.Limits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Baseline of {@code bulwark db import}: the same parsers over the same files ({@link Feeds#parseTree}, what the
 * import streams into the store), records counted and dropped: no H2, no JSON encoding of records, no indexes.
 * Usage: {@code java -cp ... dev.bulwark.bench.ParseOnly [PATH...]} (default: every feed of shared/vulndata).
 */
public final class ParseOnly {
    private ParseOnly() {
    }

    public static void main(String[] args) throws VulnDbException {
        List<Path> inputs = new ArrayList<>();
        for (String a : args) inputs.add(Path.of(a));
        if (inputs.isEmpty()) inputs.addAll(VulnData.feeds());
        long[] n = new long[4]; // advisories, kev, epss, problems
        FeedSink sink = new FeedSink() {
            @Override
            public void advisory(Advisory advisory) {
                n[0]++;
            }

            @Override
            public void kev(KevEntry entry) {
                n[1]++;
            }

            @Override
            public void epss(EpssScore score) {
                n[2]++;
            }

            @Override
            public void problem(String problem) {
                n[3]++;
            }
        };
        long t0 = System.nanoTime();
        for (Path p : inputs) Feeds.parseTree(p, Limits.DEFAULT, sink);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("parsed %d advisory records, %d KEV entries, %d EPSS scores, %d problems in %.2f s%n",
                n[0], n[1], n[2], n[3], s);
    }
}
