package dev.bulwark.scan.lang.golang;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The build information the Go linker embeds (what {@code go version -m} prints): toolchain version, main module,
 * dependencies with their replacements, build settings. Pure parsing of the decoded strings; finding them in a
 * binary is {@link GoBinaryAnalyzer}'s.
 */
record GoBuildInfo(String goVersion, String path, Module main, List<Module> deps, Map<String, String> settings) {
    /** {@code replace} is the module that replaced this one ("=>" line), or null. */
    record Module(String path, String version, String sum, Module replace) {
    }

    static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
    /** golang.org/x/mod/semver's valid versions, with the "v" optional. */
    private static final Pattern SEMVER = Pattern.compile("^v?(0|[1-9]\\d*)(\\.(0|[1-9]\\d*)(\\.(0|[1-9]\\d*)"
            + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?)?)?$");

    /** Go 1.18+: a uvarint length, then that many bytes; null when it runs past the data (as Go's decodeString). */
    static String varString(ByteBuffer b) {
        long len = 0;
        int shift = 0;
        while (true) {
            if (!b.hasRemaining() || shift > 63) return null;
            int x = b.get() & 0xff;
            len |= (long) (x & 0x7f) << shift;
            if (x < 0x80) break;
            shift += 7;
        }
        if (len < 0 || len >= b.remaining() + 1L) return null;
        byte[] s = new byte[(int) len];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** cmd/go wraps modinfo in two 16-byte sentinels; without them the binary declares no modules. */
    static String stripSentinels(String modinfo) {
        return modinfo.length() >= 33 && modinfo.charAt(modinfo.length() - 17) == '\n' ? modinfo.substring(16, modinfo.length() - 16) : "";
    }

    static GoBuildInfo parse(String goVersion, String modinfo) {
        String path = null;
        Module main = null;
        List<Module> deps = new ArrayList<>();
        Map<String, String> settings = new LinkedHashMap<>();
        boolean lastWasDep = false;
        for (String line : modinfo.split("\n")) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "path" -> path = f.length > 1 ? f[1] : null;
                case "mod" -> {
                    main = module(f);
                    lastWasDep = false;
                }
                case "dep" -> {
                    Module m = module(f);
                    if (m != null) deps.add(m);
                    lastWasDep = m != null;
                }
                case "=>" -> {
                    // replaces the module on the line before
                    Module r = module(f);
                    if (r == null) continue;
                    if (lastWasDep) {
                        Module last = deps.removeLast();
                        deps.add(new Module(last.path(), last.version(), last.sum(), r));
                    } else if (main != null) {
                        main = new Module(main.path(), main.version(), main.sum(), r);
                    }
                }
                case "build" -> {
                    if (f.length > 1) {
                        String kv = line.substring("build\t".length());
                        int eq = kv.startsWith("\"") ? closingQuote(kv) + 1 : kv.indexOf('=');
                        if (eq > 0 && eq < kv.length() && kv.charAt(eq) == '=') settings.put(unquote(kv.substring(0, eq)), unquote(kv.substring(eq + 1)));
                    }
                }
                default -> { }
            }
        }
        return new GoBuildInfo(goVersion, path, main, List.copyOf(deps), Map.copyOf(settings));
    }

    private static Module module(String[] f) {
        if (f.length < 2 || f[1].isEmpty()) return null;
        return new Module(f[1], f.length > 2 ? f[2] : "", f.length > 3 ? f[3] : "", null);
    }

    /** "go1.22.3 X:boringcrypto" → "v1.22.3", as module versions are written; null for a development toolchain. */
    String stdlibVersion() {
        if (goVersion == null || !goVersion.matches("^go\\d.*")) return null;
        return "v" + goVersion.substring(2).split(" ", 2)[0];
    }

    /**
     * The main module's version stamped with {@code -ldflags "-X main.version=1.2.3"}, for binaries built from a
     * checkout (whose module version is "(devel)"), chosen as Trivy does: keys ending ".version" or ".ver" with a
     * semver value; the main module's cmd/ packages first, then the usual package names (main, common, version,
     * cmd), then any other; a category with several different values decides nothing. Null when none.
     */
    String ldflagsVersion() {
        String ldflags = settings.get("-ldflags");
        if (ldflags == null || main == null) return null;
        List<String> words = shellWords(ldflags);
        List<List<String>> found = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i), x;
            if (w.equals("-X") || w.equals("--X")) x = i + 1 < words.size() ? words.get(++i) : "";
            else if (w.startsWith("-X=") || w.startsWith("--X=")) x = w.substring(w.indexOf('=') + 1);
            else continue;
            int eq = x.indexOf('=');
            if (eq <= 0) continue;
            String key = x.substring(0, eq), value = x.substring(eq + 1);
            String lower = key.toLowerCase(java.util.Locale.ROOT);
            if (!(lower.endsWith(".version") || lower.endsWith(".ver")) || !SEMVER.matcher(value).matches()) continue;
            String pkg = key.substring(key.lastIndexOf('/') + 1);
            pkg = pkg.substring(0, pkg.indexOf('.')).toLowerCase(java.util.Locale.ROOT);
            int category = key.startsWith(main.path() + "/cmd/") ? 0 : List.of("main", "common", "version", "cmd").contains(pkg) ? 1 : 2;
            if (!found.get(category).contains(value)) found.get(category).add(value);
        }
        for (List<String> values : found) {
            if (values.size() == 1) return values.get(0).startsWith("v") ? values.get(0) : "v" + values.get(0);
            if (values.size() > 1) return null;
        }
        return null;
    }

    /** Splits like a POSIX shell: whitespace separates, quotes group, backslash escapes (as go's -ldflags parsing). */
    static List<String> shellWords(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (c == '\\' && quote == '"' && i + 1 < s.length()) w.append(s.charAt(++i));
                else w.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                w.append(s.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) out.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) out.add(w.toString());
        return out;
    }

    private static int closingQuote(String s) {
        for (int i = 1; i < s.length(); i++) {
            if (s.charAt(i) == '\\') i++;
            else if (s.charAt(i) == '"') return i;
        }
        return s.length() - 1;
    }

    /** A Go string literal ("\t", "\"", "\x41", "\u00e9") as strconv.Quote writes build settings; others as they are. */
    static String unquote(String s) {
        if (s.length() < 2 || !s.startsWith("\"") || !s.endsWith("\"")) return s;
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length() - 1) {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'x', 'u', 'U' -> {
                    int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    String hex = s.substring(i + 1, Math.min(s.length() - 1, i + 1 + n));
                    long cp = hex.length() == n && hex.matches("[0-9a-fA-F]+") ? Long.parseLong(hex, 16) : -1;
                    if (cp >= 0 && cp <= Character.MAX_CODE_POINT) {
                        out.appendCodePoint((int) cp);
                        i += n;
                    } else {
                        out.append('\\').append(e);
                    }
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }
}
