package dev.bulwark.scan.os.release;

import dev.bulwark.model.OsRelease;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the distribution from os-release (freedesktop.org format) or, for old or minimal images, from the
 * release files distributions kept before it. The scanner picks among the files found (os-release first) after
 * resolving the image's symlinks.
 */
public final class OsReleaseAnalyzer implements Analyzer {
    private static final Set<String> FILES = Set.of("/etc/os-release", "/usr/lib/os-release", "/etc/lsb-release",
            "/etc/alpine-release", "/etc/debian_version", "/etc/redhat-release", "/etc/centos-release",
            "/etc/system-release");
    private static final int MAX = 64 << 10;
    private static final Pattern RH = Pattern.compile("(?i)^(.*?) release (\\d+(?:\\.\\d+)*)");

    @Override
    public String type() {
        return "os-release";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        return size <= MAX && FILES.contains(path);
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        String text = new String(in.readAllBytes(MAX), StandardCharsets.UTF_8);
        OsRelease os = switch (in.path()) {
            case "/etc/os-release", "/usr/lib/os-release" -> fromOsRelease(KeyValues.parse(text));
            case "/etc/lsb-release" -> fromLsbRelease(KeyValues.parse(text));
            case "/etc/alpine-release" -> text.isBlank() ? null : new OsRelease("alpine", text.strip(), null, "Alpine Linux v" + text.strip(), null, false);
            case "/etc/debian_version" -> fromDebianVersion(text.strip());
            default -> fromRedHatRelease(text.strip());
        };
        if (os == null) return FileResult.warning(type(), in.path(), "does not name a distribution");
        return new FileResult(type(), in.path(), null, os, null, null, null);
    }

    static OsRelease fromOsRelease(Map<String, String> kv) {
        String id = lower(kv.get("ID"));
        if (id == null) return null;
        String pretty = kv.get("PRETTY_NAME");
        // Google's distroless images ship Debian's packages under a PRETTY_NAME of their own.
        boolean distroless = pretty != null && pretty.toLowerCase(Locale.ROOT).contains("distroless");
        return new OsRelease(id, kv.get("VERSION_ID"), kv.get("VERSION_CODENAME"), pretty, kv.get("ID_LIKE"), distroless);
    }

    static OsRelease fromLsbRelease(Map<String, String> kv) {
        String id = lower(kv.get("DISTRIB_ID"));
        if (id == null) return null;
        return new OsRelease(id, kv.get("DISTRIB_RELEASE"), kv.get("DISTRIB_CODENAME"), kv.get("DISTRIB_DESCRIPTION"), null, false);
    }

    /** "12.7" on a release; "bookworm/sid" on testing, which has no number. */
    static OsRelease fromDebianVersion(String v) {
        if (v.isEmpty()) return null;
        String major = v.contains("/") ? null : v.split("\\.")[0];
        return new OsRelease("debian", major, v.contains("/") ? v.substring(0, v.indexOf('/')) : null, "Debian " + v, null, false);
    }

    /** "Red Hat Enterprise Linux release 8.9 (Ootpa)", "CentOS Linux release 7.9.2009 (Core)", "Amazon Linux release 2023". */
    static OsRelease fromRedHatRelease(String line) {
        Matcher m = RH.matcher(line);
        if (!m.find()) return null;
        String name = m.group(1).toLowerCase(Locale.ROOT);
        String id = name.contains("red hat") ? "rhel" : name.contains("centos") ? "centos" : name.contains("rocky") ? "rocky"
                : name.contains("alma") ? "almalinux" : name.contains("oracle") ? "ol" : name.contains("fedora") ? "fedora"
                : name.contains("amazon") ? "amzn" : name.split("\\s+")[0];
        return new OsRelease(id, m.group(2), null, line, "rhel fedora", false);
    }

    private static String lower(String s) {
        return s == null || s.isBlank() ? null : s.strip().toLowerCase(Locale.ROOT);
    }
}
