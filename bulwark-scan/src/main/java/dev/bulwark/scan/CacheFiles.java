package dev.bulwark.scan;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The file handling both caches of a scan share ({@link LayerCache}, {@link InventoryIndex}): entries written whole
 * or not at all, a directory kept under a size bound by least recent use (the modification time), damaged entries
 * dropped. Several scans may use one directory at once: every step tolerates another's eviction.
 */
final class CacheFiles {
    private CacheFiles() {
    }

    /** What writes an entry's content (gzip-compressed by the caller of {@link #write}). */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} in {@code dir} through a temporary file renamed into place, so that a reader sees the
     * old entry or the new one, never a part.
     *
     * @param level the deflate level (e.g. {@link Deflater#BEST_SPEED}, {@link Deflater#DEFAULT_COMPRESSION})
     */
    static void write(Path dir, Path target, int level, Content content) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 16) {
                {
                    def.setLevel(level);
                }
            }) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Marks an entry as used now, for the least-recently-used bound; a read-only cache is still read. */
    static void touch(Path f) {
        try {
            Files.setLastModifiedTime(f, FileTime.from(Instant.now()));
        } catch (IOException | RuntimeException ignored) {
            // the entry may be evicted a little earlier than it should: nothing else depends on it
        }
    }

    /** A damaged or foreign entry is only a miss: it goes, and the next put writes it again. */
    static void drop(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException ignored) {
            // it will be overwritten by the next put
        }
    }

    /** Deletes the least recently used entries matching {@code glob} until they add up to at most {@code maxBytes}. */
    static void evict(Path dir, String glob, long maxBytes) throws IOException {
        record Item(Path p, long size, FileTime used) {
        }
        List<Item> items = new ArrayList<>();
        long total = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            for (Path p : ds) {
                try {
                    long s = Files.size(p);
                    items.add(new Item(p, s, Files.getLastModifiedTime(p)));
                    total += s;
                } catch (NoSuchFileException gone) {
                    // removed meanwhile by another scan's eviction
                }
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
