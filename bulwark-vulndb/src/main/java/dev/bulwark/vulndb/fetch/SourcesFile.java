package dev.bulwark.vulndb.fetch;

import dev.bulwark.vulndb.VulnDbException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sources file: {@code KEY = VALUE} lines, '#' comment lines, blank lines. Keys:
 * <pre>
 * defaults = true | false         start from the default sources (true) or from none
 * mirror = URL                    fetch the built-in sources from a mirror (see FeedSources.mirrored)
 * nvd = 2002-2026 | 2020- | 2024  add NVD's yearly JSON feeds (built-in, mirrored)
 * NAME = URL                      add a source, or give a default one another URL (used as written)
 * NAME = off                      drop a default source
 * NAME.sha256 = HEX               the body's expected SHA-256
 * NAME.checksum = URL             where to read the expected SHA-256
 * NAME.file = FILE                the file name in the feed directory
 * </pre>
 * Every problem is reported as {@code FILE:LINE: what}.
 */
final class SourcesFile {
    private static final int MAX_BYTES = 1 << 20;
    private static final Pattern NVD = Pattern.compile("(\\d{4})(?:\\s*-\\s*(\\d{4})?)?");

    static final SourcesFile EMPTY = new SourcesFile("", Map.of(), 0);

    record Entry(FeedSource source, boolean builtin) {
    }

    private record Line(int number, String key, String value) {
    }

    private final String file;
    private final Map<String, Line> lines;
    private final int currentYear;

    private SourcesFile(String file, Map<String, Line> lines, int currentYear) {
        this.file = file;
        this.lines = lines;
        this.currentYear = currentYear;
    }

    static SourcesFile read(Path path, int currentYear) throws VulnDbException {
        String where = path.toString();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new VulnDbException(where, "no such file", null);
        } catch (IOException e) {
            throw new VulnDbException(where, "cannot read: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_BYTES) throw new VulnDbException(where, "larger than " + MAX_BYTES + " bytes", null);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new VulnDbException(where, "not UTF-8 text", null);
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        Map<String, Line> lines = new LinkedHashMap<>();
        String[] raw = text.split("\r?\n|\r", -1);
        for (int i = 0; i < raw.length; i++) {
            String s = raw[i].strip();
            if (s.isEmpty() || s.startsWith("#")) continue;
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new VulnDbException(where + ":" + (i + 1), "expected KEY = VALUE, found '" + abbreviate(s) + "'", null);
            }
            String key = s.substring(0, eq).strip();
            String value = s.substring(eq + 1).strip();
            if (value.isEmpty()) throw new VulnDbException(where + ":" + (i + 1), key + " has no value", null);
            Line previous = lines.put(key, new Line(i + 1, key, value));
            if (previous != null) {
                throw new VulnDbException(where + ":" + (i + 1), key + " is already set on line " + previous.number(), null);
            }
        }
        return new SourcesFile(where, lines, currentYear);
    }

    String mirror() {
        Line l = lines.get("mirror");
        return l == null ? null : l.value();
    }

    String mirrorWhere() {
        Line l = lines.get("mirror");
        return l == null ? file : file + ":" + l.number();
    }

    /** The defaults changed by this file, each marked built-in (mirrorable) or written by the user. */
    List<Entry> apply(List<FeedSource> defaults) throws VulnDbException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        Line useDefaults = lines.get("defaults");
        boolean withDefaults = true;
        if (useDefaults != null) {
            String v = useDefaults.value().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) throw error(useDefaults, "defaults must be true or false");
            withDefaults = v.equals("true");
        }
        if (withDefaults) for (FeedSource s : defaults) entries.put(s.name(), new Entry(s, true));
        Line nvd = lines.get("nvd");
        if (nvd != null) {
            for (FeedSource s : nvd(nvd)) entries.put(s.name(), new Entry(s, true));
        }
        // sources first, in file order; then their attributes
        for (Line l : lines.values()) {
            if (isSetting(l.key()) || attribute(l.key()) != null) continue;
            String name = l.key();
            if (l.value().equalsIgnoreCase("off")) {
                if (entries.remove(name) == null) throw error(l, "no source named " + name + " to switch off");
                continue;
            }
            if (!l.value().contains("://")) {
                int dot = name.lastIndexOf('.');
                String owner = dot > 0 ? name.substring(0, dot) : null;
                if (owner != null && (entries.containsKey(owner) || lines.containsKey(owner))) {
                    throw error(l, "unknown setting '" + name.substring(dot) + "' for " + owner
                            + "; a source takes .sha256, .checksum and .file");
                }
                throw error(l, name + " = " + abbreviate(l.value()) + ": expected a URL or 'off'");
            }
            URI url = parseSourceUrl(l, name);
            Entry old = entries.get(name);
            String fileName = Urls.fileNameFor(name, url);
            if (fileName == null && old != null) fileName = old.source().fileName();
            if (fileName == null && !lines.containsKey(name + ".file")) {
                throw error(l, name + ": cannot tell the file type from the URL; add " + name + ".file = "
                        + name + ".json (or .zip, .csv.gz...)");
            }
            try {
                entries.put(name, new Entry(new FeedSource(name, url, null, null,
                        fileName == null ? name + ".json" : fileName), false));
            } catch (IllegalArgumentException e) {
                throw error(l, e.getMessage());
            }
        }
        for (Line l : lines.values()) {
            String attr = attribute(l.key());
            if (attr == null) continue;
            String name = l.key().substring(0, l.key().length() - attr.length());
            Entry e = entries.get(name);
            if (e == null) {
                throw error(l, lines.containsKey(name) ? name + " is switched off" : "no source named " + name);
            }
            try {
                FeedSource s = switch (attr) {
                    case ".sha256" -> e.source().withSha256(l.value());
                    case ".checksum" -> e.source().withChecksumUrl(parseSourceUrl(l, name));
                    default -> e.source().withFileName(l.value());
                };
                entries.put(name, new Entry(s, e.builtin()));
            } catch (IllegalArgumentException ex) {
                throw error(l, ex.getMessage());
            }
        }
        checkUniqueFiles(entries);
        return List.copyOf(entries.values());
    }

    private void checkUniqueFiles(Map<String, Entry> entries) throws VulnDbException {
        Map<String, String> byFile = new LinkedHashMap<>();
        for (Entry e : entries.values()) {
            String other = byFile.put(e.source().fileName().toLowerCase(Locale.ROOT), e.source().name());
            if (other != null) {
                throw new VulnDbException(file, "sources " + other + " and " + e.source().name()
                        + " would both be stored as " + e.source().fileName() + "; give one a NAME.file", null);
            }
        }
    }

    private List<FeedSource> nvd(Line l) throws VulnDbException {
        Matcher m = NVD.matcher(l.value());
        if (!m.matches()) throw error(l, "nvd must be YEAR, FROM-TO or FROM- (e.g. 2002-" + currentYear + ")");
        int from = Integer.parseInt(m.group(1));
        int to = m.group(2) != null ? Integer.parseInt(m.group(2)) : l.value().contains("-") ? currentYear : from;
        try {
            return FeedSources.nvdYears(from, to);
        } catch (IllegalArgumentException e) {
            throw error(l, e.getMessage());
        }
    }

    private URI parseSourceUrl(Line l, String name) throws VulnDbException {
        try {
            URI u = FeedSource.parseUrl(name, l.value());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
                throw new IllegalArgumentException(name + ": '" + Urls.redact(u) + "' is not an http or https URL with a host");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw error(l, e.getMessage());
        }
    }

    private static boolean isSetting(String key) {
        return key.equals("defaults") || key.equals("mirror") || key.equals("nvd");
    }

    private static String attribute(String key) {
        for (String a : FeedSource.ATTRIBUTES) if (key.endsWith(a) && key.length() > a.length()) return a;
        return null;
    }

    private VulnDbException error(Line l, String message) {
        return new VulnDbException(file + ":" + l.number(), message, null);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
