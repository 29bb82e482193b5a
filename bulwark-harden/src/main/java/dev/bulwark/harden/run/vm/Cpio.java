package dev.bulwark.harden.run.vm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * A cpio archive in the "newc" format the kernel unpacks as an initramfs (Documentation/driver-api/early-userspace/
 * buffer-format.rst): a 110-byte ASCII header of hex fields, the NUL-terminated name, the data, each padded to 4
 * bytes, and a TRAILER!!! entry. Written uncompressed: under emulation the kernel's own decompressor costs more
 * than reading the extra bytes. Parents must be added before their entries; names are relative, without "..".
 */
final class Cpio implements AutoCloseable {
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private final OutputStream out;
    private final Set<String> names = new HashSet<>();
    private long written;
    private int ino;
    private boolean closed;

    Cpio(OutputStream out) {
        this(out, 1);
    }

    /** An archive whose inode numbers start at {@code firstInode} (one appended to another must not reuse them). */
    Cpio(OutputStream out, int firstInode) {
        this.out = out;
        this.ino = firstInode;
    }

    void dir(String name, int mode) throws IOException {
        entry(name, S_IFDIR | (mode & 07777), 2, new byte[0]);
    }

    void file(String name, int mode, byte[] data) throws IOException {
        entry(name, S_IFREG | (mode & 07777), 1, data);
    }

    void file(String name, int mode, Path source) throws IOException {
        long size = Files.size(source);
        header(name, S_IFREG | (mode & 07777), 1, size);
        try (InputStream in = Files.newInputStream(source)) {
            long copied = in.transferTo(out);
            if (copied != size) throw new IOException(source + " changed while it was read");
            written += copied;
        }
        pad();
    }

    void symlink(String name, String target) throws IOException {
        entry(name, S_IFLNK | 0777, 1, target.getBytes(StandardCharsets.UTF_8));
    }

    private void entry(String name, int mode, int nlink, byte[] data) throws IOException {
        header(name, mode, nlink, data.length);
        out.write(data);
        written += data.length;
        pad();
    }

    private void header(String name, int mode, int nlink, long size) throws IOException {
        if (name.isEmpty() || name.startsWith("/") || ("/" + name + "/").contains("/../") || name.indexOf('\0') >= 0)
            throw new IllegalArgumentException("bad initramfs entry name: " + name);
        if (!name.equals("TRAILER!!!") && !names.add(name)) throw new IllegalArgumentException("duplicate initramfs entry: " + name);
        if (size > 0xffffffffL) throw new IllegalArgumentException(name + ": larger than a newc entry can hold");
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("070701");
        long[] fields = {name.equals("TRAILER!!!") ? 0 : ino++, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, n.length, 0};
        for (long f : fields) h.append(String.format("%08x", f));
        out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(n);
        written += 110 + n.length;
        pad();
    }

    private void pad() throws IOException {
        while (written % 4 != 0) {
            out.write(0);
            written++;
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        entry("TRAILER!!!", 0, 1, new byte[0]);
        out.close();
    }
}
