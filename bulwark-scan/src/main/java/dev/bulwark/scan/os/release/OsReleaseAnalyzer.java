package dev.bulwark.scan.os.release;

import dev.bulwark.model.OsRelease;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Names the distribution from os-release or, for old or minimal images, from the release files distributions kept
 * before it. Each file gives its own answer; the scanner picks among them (os-release first) after resolving the
 * image's symlinks.
 */
public final class OsReleaseAnalyzer implements Analyzer {
    private static final Set<String> FILES = Set.of("/etc/os-release", "/usr/lib/os-release", "/etc/lsb-release",
            "/etc/alpine-release", "/etc/debian_version", "/etc/redhat-release", "/etc/centos-release",
            "/etc/system-release");
    /** Real release files are a few hundred bytes. */
    private static final int MAX = 64 << 10;

    @Override
    public String type() {
        return "os-release";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        return FILES.contains(path);
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        if (in.size() > MAX) return FileResult.warning(type(), in.path(), in.size() + " bytes, over the " + MAX + "-byte limit for a release file; not read");
        OsRelease os = OsReleaseParser.parse(in.path(), new String(in.readAllBytes(MAX), StandardCharsets.UTF_8));
        if (os == null) return FileResult.warning(type(), in.path(), "does not name a distribution");
        return new FileResult(type(), in.path(), null, os, null, null, null);
    }
}
