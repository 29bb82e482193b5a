package dev.bulwark.scan;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.bulwark.model.Digest;
import dev.bulwark.scan.analyzer.Analyzer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Analysis results per layer on disk, keyed by sha256(diffID + every analyser's type and version + format).
 * Writes are atomic (temp file, then rename), so a crash leaves either the old entry or none; an unreadable entry
 * is a miss. The directory is kept under a size bound, least recently used entries removed first.
 */
final class LayerCache {
    /** Bump when LayerRecord's shape changes. */
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path dir;
    private final long maxBytes;
    private final String analyzersFingerprint;

    LayerCache(Path dir, long maxBytes, List<Analyzer> analyzers) {
        this.dir = dir.resolve("layers");
        this.maxBytes = maxBytes;
        StringBuilder b = new StringBuilder("format=" + FORMAT);
        analyzers.stream().sorted(Comparator.comparing(Analyzer::type))
                .forEach(a -> b.append('\n').append(a.type()).append('=').append(a.version()));
        this.analyzersFingerprint = b.toString();
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
            LayerRecord r = JSON.readValue(in, LayerRecord.class);
            Files.setLastModifiedTime(f, FileTime.from(Instant.now()));
            return r;
        } catch (IOException | RuntimeException e) {
            // A damaged entry is only a miss: drop it and analyse the layer again.
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // it will be overwritten by the next put
            }
            return null;
        }
    }

    void put(String key, LayerRecord record) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, key, ".tmp");
        try {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                JSON.writeValue(out, record);
            }
            try {
                Files.move(tmp, file(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(key), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        evict();
    }

    private void evict() throws IOException {
        record Item(Path p, long size, FileTime used) {
        }
        List<Item> items = new ArrayList<>();
        long total = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json.gz")) {
            for (Path p : ds) {
                long s = Files.size(p);
                items.add(new Item(p, s, Files.getLastModifiedTime(p)));
                total += s;
            }
        }
        if (total <= maxBytes) return;
        items.sort(Comparator.comparing(Item::used));
        for (Item i : items) {
            if (total <= maxBytes) break;
            Files.deleteIfExists(i.p());
            total -= i.size();
        }
    }
}
