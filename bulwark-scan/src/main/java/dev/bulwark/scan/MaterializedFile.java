package dev.bulwark.scan;

import dev.bulwark.scan.analyzer.FileInput;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file taken off a layer stream so several analysers, or one needing random access, can read it: small files in
 * memory, large ones in a private temporary file removed on close.
 */
abstract sealed class MaterializedFile implements FileInput, AutoCloseable {
    private final String path;
    private final long size;
    private final int mode;

    MaterializedFile(String path, long size, int mode) {
        this.path = path;
        this.size = size;
        this.mode = mode;
    }

    static MaterializedFile of(String path, long size, int mode, InputStream content, int memoryLimit) throws IOException {
        if (content instanceof dev.bulwark.image.HostFile h) return new OnHost(path, size, mode, h.hostPath());
        if (size <= memoryLimit) {
            byte[] data = content.readNBytes((int) size);
            return new InMemory(path, data.length, mode, data);
        }
        Path tmp = Files.createTempFile("bulwark-spool-", ".bin");
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING)) {
            long n = content.transferTo(out);
            return new Spooled(path, n, mode, tmp);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int mode() {
        return mode;
    }

    @Override
    public abstract void close();

    static final class InMemory extends MaterializedFile {
        private final byte[] data;

        InMemory(String path, long size, int mode, byte[] data) {
            super(path, size, mode);
            this.data = data;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(data);
        }

        @Override
        public SeekableByteChannel channel() {
            return new SeekableInMemoryByteChannel(data);
        }

        @Override
        public void close() {
        }
    }

    /** A file of an unpacked root filesystem: read in place, never copied. */
    static final class OnHost extends MaterializedFile {
        private final Path file;

        OnHost(String path, long size, int mode, Path file) {
            super(path, size, mode);
            this.file = file;
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public SeekableByteChannel channel() throws IOException {
            return Files.newByteChannel(file, java.util.Set.of(StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        }

        @Override
        public void close() {
        }
    }

    static final class Spooled extends MaterializedFile {
        private final Path file;

        Spooled(String path, long size, int mode, Path file) {
            super(path, size, mode);
            this.file = file;
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }

        @Override
        public SeekableByteChannel channel() throws IOException {
            return Files.newByteChannel(file);
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is removed by the OS's tmp cleaning; nothing of the user's is lost
            }
        }
    }
}
