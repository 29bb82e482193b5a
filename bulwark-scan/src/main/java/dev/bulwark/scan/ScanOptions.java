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
 * @param hygiene       whether to run the image-hygiene checks (from the entries the walk records anyway); secrets
 *                      are looked for when {@code analyzers} holds a {@link dev.bulwark.scan.secret.SecretAnalyzer}
 */
public record ScanOptions(List<Analyzer> analyzers, Path cacheDir, long cacheMaxBytes, int parallelism, int memoryFileLimit,
                          boolean hygiene) {
    public ScanOptions {
        analyzers = List.copyOf(analyzers);
        if (parallelism < 1) parallelism = 1;
        if (memoryFileLimit < 4096) memoryFileLimit = 4096;
    }

    /** Options without hygiene checks. */
    public ScanOptions(List<Analyzer> analyzers, Path cacheDir, long cacheMaxBytes, int parallelism, int memoryFileLimit) {
        this(analyzers, cacheDir, cacheMaxBytes, parallelism, memoryFileLimit, false);
    }

    /** The package analysers, no secret or hygiene analysis: what {@code sbom} runs. */
    public static ScanOptions defaults(Path cacheDir) {
        return new ScanOptions(Analyzers.defaults(), cacheDir, 2L << 30, Math.max(2, Runtime.getRuntime().availableProcessors()), 8 << 20);
    }

    public ScanOptions withCacheDir(Path dir) {
        return new ScanOptions(analyzers, dir, cacheMaxBytes, parallelism, memoryFileLimit, hygiene);
    }

    /** The same options with other analysers, e.g. {@link Analyzers#select}. */
    public ScanOptions withAnalyzers(List<Analyzer> list) {
        return new ScanOptions(list, cacheDir, cacheMaxBytes, parallelism, memoryFileLimit, hygiene);
    }

    /** The same options with {@code n} layers (or root-filesystem files) analysed at once. */
    public ScanOptions withParallelism(int n) {
        return new ScanOptions(analyzers, cacheDir, cacheMaxBytes, n, memoryFileLimit, hygiene);
    }

    /** The same options plus the secret analyser with {@code config} (none: null), in the same pass over the layers. */
    public ScanOptions withSecrets(dev.bulwark.scan.secret.SecretConfig config) {
        List<Analyzer> list = new java.util.ArrayList<>(analyzers);
        list.removeIf(a -> a instanceof dev.bulwark.scan.secret.SecretAnalyzer);
        if (config != null) list.add(new dev.bulwark.scan.secret.SecretAnalyzer(config));
        return new ScanOptions(list, cacheDir, cacheMaxBytes, parallelism, memoryFileLimit, hygiene);
    }

    /** The same options with the hygiene checks on or off. */
    public ScanOptions withHygiene(boolean on) {
        return new ScanOptions(analyzers, cacheDir, cacheMaxBytes, parallelism, memoryFileLimit, on);
    }
}
