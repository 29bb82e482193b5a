package dev.bulwark.scan;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.bulwark.image.EntryType;
import dev.bulwark.model.Digest;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileResult;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Analysis results per layer on disk, keyed by sha256(diffID + every analyser's type and version + format).
 * Writes are atomic (temp file, then rename), so a crash leaves either the old entry or none; an unreadable entry
 * is a miss. The directory is kept under a size bound, least recently used entries removed first.
 */
final class LayerCache {
    /** Bump when LayerRecord's shape changes. */
    private static final int FORMAT = 3;
    /** Made on first use: a re-scan answered by the inventory index reads no layer record. */
    private static final class Json {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    private final Path dir;
    private final long maxBytes;
    private final String analyzersFingerprint;

    LayerCache(Path dir, long maxBytes, List<Analyzer> analyzers) {
        this.dir = dir.resolve("layers");
        this.maxBytes = maxBytes;
        this.analyzersFingerprint = fingerprint(analyzers);
    }

    /** The record format and every analyser's type and version: what a layer's record depends on besides its content. */
    static String fingerprint(List<Analyzer> analyzers) {
        StringBuilder b = new StringBuilder("format=" + FORMAT);
        analyzers.stream().sorted(Comparator.comparing(Analyzer::type))
                .forEach(a -> b.append('\n').append(a.type()).append('=').append(a.version())
                        .append(a.options().isEmpty() ? "" : "/" + a.options()));
        return b.toString();
    }

    String fingerprint() {
        return analyzersFingerprint;
    }

    String key(Digest diffId) {
        MessageDigest md = Digest.newSha256();
        md.update(diffId.toString().getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
        md.update(analyzersFingerprint.getBytes(StandardCharsets.UTF_8));
        return Digest.of(md).hex();
    }

    private Path file(String key) {
        return dir.resolve(key + ".json.gz");
    }

    /** The cached record, or null. */
    LayerRecord get(String key) {
        Path f = file(key);
        if (!Files.isRegularFile(f)) return null;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f), 1 << 16)) {
            LayerRecord r = Json.MAPPER.readValue(in, Stored.class).toRecord();
            CacheFiles.touch(f);
            return r;
        } catch (IOException | RuntimeException e) {
            // A damaged entry is only a miss: drop it and analyse the layer again.
            CacheFiles.drop(f);
            return null;
        }
    }

    /**
     * Marks the entry as used now, if there is one: an image answered from the inventory index reads no layer
     * record, but its layers stay as recently used as the image for the size bound.
     */
    void touch(String key) {
        Path f = file(key);
        if (Files.isRegularFile(f)) CacheFiles.touch(f);
    }

    void put(String key, LayerRecord record) throws IOException {
        CacheFiles.write(dir, file(key), java.util.zip.Deflater.DEFAULT_COMPRESSION, out -> Json.MAPPER.writeValue(out, Stored.of(record)));
        CacheFiles.evict(dir, "*.json.gz", maxBytes);
    }

    /**
     * The stored form: a layer's entries (tens of thousands) as one tab- and newline-separated string (kind, size,
     * mode in octal, path, link), which reads back an order of magnitude faster than as many JSON objects — a warm
     * re-scan is mostly this read.
     */
    record Stored(String entries, List<String> whiteouts, List<String> opaques, List<FileResult> results, List<String> warnings) {
        static Stored of(LayerRecord r) {
            StringBuilder b = new StringBuilder(r.entries().size() * 48);
            for (LayerRecord.Entry e : r.entries()) {
                b.append(e.t().ordinal()).append('\t').append(e.s()).append('\t').append(Integer.toOctalString(e.m()))
                        .append('\t').append(escape(e.p()));
                if (e.l() != null) b.append('\t').append(escape(e.l()));
                b.append('\n');
            }
            return new Stored(b.toString(), r.whiteouts(), r.opaques(), r.results(), r.warnings());
        }

        LayerRecord toRecord() {
            EntryType[] types = EntryType.values();
            List<LayerRecord.Entry> list = new ArrayList<>();
            int i = 0, n = entries.length();
            while (i < n) {
                int eol = entries.indexOf('\n', i);
                if (eol < 0) eol = n;
                int ts = entries.indexOf('\t', i);
                int tm = entries.indexOf('\t', ts + 1);
                int t1 = entries.indexOf('\t', tm + 1);
                int t2 = entries.indexOf('\t', t1 + 1);
                if (t2 > eol || t2 < 0) t2 = -1;
                EntryType type = types[Integer.parseInt(entries, i, ts, 10)];
                long size = Long.parseLong(entries, ts + 1, tm, 10);
                int mode = Integer.parseInt(entries, tm + 1, t1, 8);
                String path = unescape(entries.substring(t1 + 1, t2 < 0 ? eol : t2));
                String link = t2 < 0 ? null : unescape(entries.substring(t2 + 1, eol));
                list.add(new LayerRecord.Entry(path, type, link, size, mode));
                i = eol + 1;
            }
            return new LayerRecord(list, whiteouts, opaques, results, warnings);
        }

        /** Names may hold any byte but NUL and "/"-rules: tabs, newlines and backslashes are escaped. */
        static String escape(String s) {
            if (s.indexOf('\\') < 0 && s.indexOf('\t') < 0 && s.indexOf('\n') < 0) return s;
            return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
        }

        static String unescape(String s) {
            if (s.indexOf('\\') < 0) return s;
            StringBuilder b = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    char n = s.charAt(++i);
                    b.append(n == 't' ? '\t' : n == 'n' ? '\n' : n);
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }
    }
}
