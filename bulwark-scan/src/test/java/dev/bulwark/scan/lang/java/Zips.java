package dev.bulwark.scan.lang.java;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;

/** Zip archives for the tests: deflated or STORED entries, and zip bombs written as raw deflate data. */
final class Zips {
    private final SeekableInMemoryByteChannel out = new SeekableInMemoryByteChannel();
    private final ZipArchiveOutputStream zip;

    Zips() {
        zip = new ZipArchiveOutputStream(out);
    }

    static Path m2(String relative) {
        Path p = Path.of(System.getProperty("user.home"), ".m2/repository", relative);
        if (!Files.isRegularFile(p)) throw new AssertionError(p + " is missing from the local Maven repository");
        return p;
    }

    Zips deflated(String name, byte[] content) throws IOException {
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setMethod(ZipEntry.DEFLATED);
        zip.putArchiveEntry(e);
        zip.write(content);
        zip.closeArchiveEntry();
        return this;
    }

    Zips deflated(String name, String content) throws IOException {
        return deflated(name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Uncompressed, as Spring Boot stores the jars in BOOT-INF/lib. */
    Zips stored(String name, byte[] content) throws IOException {
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        e.setCrc(crc.getValue());
        zip.putArchiveEntry(e);
        zip.write(content);
        zip.closeArchiveEntry();
        return this;
    }

    /**
     * An entry of {@code megabytes} MiB of zeros, written as raw deflate data without inflating anything: one
     * full-flushed block of 1 MiB of zeros (about 1 KiB) repeated, then an empty final block. With
     * {@code declaredSize} the central directory lies about the size.
     */
    Zips bomb(String name, int megabytes, long declaredSize) throws IOException {
        byte[] mib = new byte[1 << 20];
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        d.setInput(mib);
        byte[] buf = new byte[64 << 10];
        int n = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
        byte[] block = java.util.Arrays.copyOf(buf, n);
        d.finish();
        int m = d.deflate(buf);
        byte[] last = java.util.Arrays.copyOf(buf, m);
        d.end();
        CRC32 crc = new CRC32();
        for (int i = 0; i < megabytes; i++) crc.update(mib);
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setMethod(ZipEntry.DEFLATED);
        e.setSize(declaredSize >= 0 ? declaredSize : (long) megabytes << 20);
        e.setCompressedSize((long) block.length * megabytes + last.length);
        e.setCrc(crc.getValue());
        Iterator<InputStream> parts = new Iterator<>() {
            int i;

            public boolean hasNext() {
                return i <= megabytes;
            }

            public InputStream next() {
                return new ByteArrayInputStream(i++ < megabytes ? block : last);
            }
        };
        zip.addRawArchiveEntry(e, new SequenceInputStream(Collections.enumeration(iterable(parts))));
        return this;
    }

    private static <T> java.util.List<T> iterable(Iterator<T> it) {
        java.util.List<T> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    byte[] bytes() throws IOException {
        zip.finish();
        zip.close();
        return java.util.Arrays.copyOf(out.array(), (int) out.size());
    }
}
