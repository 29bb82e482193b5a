package dev.bulwark.scan;

import dev.bulwark.scan.analyzer.Analyzer;

import java.nio.file.Path;
import java.util.List;

/**
 * @param analyzers     analysers to run (see {@link Analyzers#defaults()})
 * @param cacheDir      layer cache directory, or null for no cache
 * @param cacheMaxBytes size bound of the cache directory (layer records, and a sixteenth of it for assembled
 *                      inventories); least recently used entries go first
 * @param parallelism   layers read at once
 * @param memoryFileLimit files up to this size are held in memory for analysers; larger ones are spooled to a
 *                      private temporary file that is deleted right after
 */
public record ScanOptions(List<Analyzer> analyzers, Path cacheDir, long cacheMaxBytes, int parallelism, int memoryFileLimit) {
    public ScanOptions {
        analyzers = List.copyOf(analyzers);
        if (parallelism < 1) parallelism = 1;
        if (memoryFileLimit < 4096) memoryFileLimit = 4096;
    }

    public static ScanOptions defaults(Path cacheDir) {
        return new ScanOptions(Analyzers.defaults(), cacheDir, 2L << 30, Math.max(2, Runtime.getRuntime().availableProcessors()), 8 << 20);
    }

    public ScanOptions withCacheDir(Path dir) {
        return new ScanOptions(analyzers, dir, cacheMaxBytes, parallelism, memoryFileLimit);
    }

    /** The same options with other analysers, e.g. {@link Analyzers#select}. */
    public ScanOptions withAnalyzers(List<Analyzer> list) {
        return new ScanOptions(list, cacheDir, cacheMaxBytes, parallelism, memoryFileLimit);
    }

    /** The same options with {@code n} layers (or root-filesystem files) analysed at once. */
    public ScanOptions withParallelism(int n) {
        return new ScanOptions(analyzers, cacheDir, cacheMaxBytes, n, memoryFileLimit);
    }
}
