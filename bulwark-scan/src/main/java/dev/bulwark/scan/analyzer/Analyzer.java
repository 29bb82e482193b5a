package dev.bulwark.scan.analyzer;

import java.io.IOException;

/**
 * Finds packages (or the OS) in one kind of file. The layer walker offers each file once to every analyser whose
 * {@link #required} accepts it; {@link #analyze} then parses it. Analysers are stateless and thread-safe: layers are
 * analysed in parallel.
 *
 * <p>Bump {@link #version()} whenever the output for the same input changes: it is part of the layer-cache key.
 */
public interface Analyzer {
    /** Stable short name: "dpkg", "apk", "rpm", "os-release", "jar", "npm", "python", "gobinary", "rustbinary", "gem". */
    String type();

    int version();

    /**
     * Cheap decision on path and metadata alone, called for every regular file of every layer: no I/O.
     *
     * @param path absolute image path ("/var/lib/dpkg/status")
     * @param size bytes
     * @param mode permission bits
     */
    boolean required(String path, long size, int mode);

    /**
     * A second cheap decision on the file's first bytes (at most 64), before the file is read: an analyser of ELF
     * executables refuses shell scripts here, so they are never copied off the layer stream.
     */
    default boolean accepts(byte[] head) {
        return true;
    }

    /**
     * Parses one file. Content that cannot be parsed is not an exception: return a result with a warning naming the
     * file. IOException is for failures to read the input itself.
     */
    FileResult analyze(FileInput input) throws IOException;

    /**
     * Settings that change this analyser's output besides its code (a user's secret rules): part of the layer-cache
     * key with {@link #version()}. Empty for analysers without settings.
     */
    default String options() {
        return "";
    }

    /**
     * True for package databases rewritten whole by every install (dpkg status, apk installed, rpmdb): the layer
     * that added a package is then found by looking down the layers for the first one whose database has it. For
     * other analysers a package belongs to the layer of the file it came from.
     */
    default boolean packageDatabase() {
        return false;
    }
}
