package dev.bulwark.scan.secret;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Files never read for secrets and values never reported. The built-in paths are where distributions and package
 * managers put documentation, test data and public certificates: looking there only yields the examples that
 * projects ship on purpose (and costs time). Built-in values are the conventions for documentation keys
 * ("AKIAIOSFODNN7EXAMPLE") and placeholders.
 */
final class AllowList {
    /** Directory prefixes, ending in "/". */
    static final List<String> BUILTIN_PREFIXES = List.of(
            "/usr/share/doc/", "/usr/share/man/", "/usr/share/info/", "/usr/share/locale/", "/usr/share/i18n/",
            "/usr/share/zoneinfo/", "/usr/share/common-licenses/", "/usr/share/ca-certificates/", "/usr/share/mime/",
            "/usr/share/X11/locale/", "/usr/share/lintian/", "/usr/share/help/", "/usr/share/gtk-doc/",
            "/etc/ssl/certs/", "/etc/pki/ca-trust/", "/etc/pki/tls/certs/", "/etc/ca-certificates/", "/usr/local/share/ca-certificates/",
            "/var/lib/dpkg/", "/var/lib/rpm/", "/lib/apk/db/", "/usr/lib/sysimage/rpm/",
            "/usr/local/go/", "/usr/lib/go/", "/proc/", "/sys/", "/dev/");
    /** Paths found anywhere: test data and docs of language packages (binary formats: {@link #BINARY_EXTENSIONS}). */
    static final Pattern BUILTIN_PATHS = Pattern.compile(
            "/node_modules/(?:.*/)?(?:test|tests|__tests__|spec|specs|fixtures?|examples?|docs?|testdata)/"
                    + "|/node_modules/.*\\.(?:md|markdown|d\\.ts|map)$"
                    + "|/(?:site|dist)-packages/(?:.*/)?(?:tests?|testing|testdata|fixtures|examples?|docs?)/"
                    + "|/(?:site|dist)-packages/[^/]*\\.dist-info/(?:RECORD|METADATA|LICENSE[^/]*)$"
                    + "|/lib/python[0-9.]+/(?:test|unittest/test|lib2to3/tests|idlelib/idle_test|tkinter/test|ctypes/test)/"
                    + "|/testdata/|_test\\.go$|/go/pkg/mod/"
                    + "|/(?:vendor/bundle|gems)/ruby/[^/]+/gems/[^/]+/(?:test|spec|examples?|docs?)/");
    static final List<Pattern> BUILTIN_VALUES = List.of(
            Pattern.compile("EXAMPLE|(?i:example|placeholder|changeme|change_me|your[_-]?(?:token|key|secret|password)|dummy|redacted|xxxxxx|\\*\\*\\*\\*)"));

    private final List<String> prefixes;
    private final List<Pattern> paths;
    private final List<Pattern> values;
    /** No path is allowed at all (not even by extension): {@link #valuesOnly}. */
    private final boolean noPaths;

    AllowList(List<String> extraPrefixes, List<Pattern> extraPaths, List<Pattern> extraValues) {
        List<String> pr = new ArrayList<>(BUILTIN_PREFIXES);
        pr.addAll(extraPrefixes);
        prefixes = List.copyOf(pr);
        List<Pattern> p = new ArrayList<>(List.of(BUILTIN_PATHS));
        p.addAll(extraPaths);
        paths = List.copyOf(p);
        List<Pattern> v = new ArrayList<>(BUILTIN_VALUES);
        v.addAll(extraValues);
        values = List.copyOf(v);
        noPaths = false;
    }

    static AllowList builtin() {
        return new AllowList(List.of(), List.of(), List.of());
    }

    private AllowList(List<String> prefixes, List<Pattern> paths, List<Pattern> values, boolean exact) {
        this.prefixes = List.copyOf(prefixes);
        this.paths = List.copyOf(paths);
        this.values = List.copyOf(values);
        this.noPaths = exact;
    }

    /** No path allowed, only the built-in values: for checking that the rules alone stay quiet on a corpus. */
    static AllowList valuesOnly() {
        return new AllowList(List.of(), List.of(), BUILTIN_VALUES, true);
    }

    /** Binary and compiled formats by extension: a set lookup, the common case of {@link #path}. */
    static final java.util.Set<String> BINARY_EXTENSIONS = java.util.Set.of("so", "a", "o", "ko", "jar", "war", "ear", "class",
            "pyc", "pyo", "whl", "egg", "gz", "tgz", "xz", "bz2", "zst", "lz4", "zip", "7z", "deb", "rpm", "apk", "png", "jpg",
            "jpeg", "gif", "ico", "bmp", "webp", "tif", "tiff", "svgz", "woff", "woff2", "ttf", "otf", "eot", "pfb", "mp3",
            "mp4", "wav", "ogg", "pdf", "mo", "gmo", "db", "sqlite", "sqlite3", "wasm", "der", "p7b", "p7c");

    /**
     * Called for every file of every layer, so the cheap tests come first: prefixes, the extension, and the
     * package-manager patterns only for paths that hold one of their directory names.
     */
    boolean path(String path) {
        if (noPaths) return false;
        for (String p : prefixes) if (path.startsWith(p)) return true;
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot > slash && BINARY_EXTENSIONS.contains(path.substring(dot + 1))) return true;
        // shared libraries with versions: libssl.so.3, libc.so.6.0.1
        if (path.indexOf(".so.", slash) > 0 && path.substring(path.indexOf(".so.", slash) + 4).matches("[0-9.]+")) return true;
        for (int i = 1; i < paths.size(); i++) if (paths.get(i).matcher(path).find()) return true;
        if (path.contains("/node_modules/") || path.contains("-packages/") || path.contains("/lib/python") || path.contains("/testdata/") || path.endsWith("_test.go")
                || path.contains("/go/pkg/mod/") || path.contains("/gems/")) {
            return paths.get(0).matcher(path).find();
        }
        return false;
    }

    boolean value(String secret) {
        for (Pattern p : values) if (p.matcher(secret).find()) return true;
        return false;
    }
}
