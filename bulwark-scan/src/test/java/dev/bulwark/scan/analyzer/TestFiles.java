package dev.bulwark.scan.analyzer;

import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** FileInputs for analyser tests, from bytes, text or a real file of this machine. */
public final class TestFiles {
    private TestFiles() {
    }

    public static FileInput of(String path, byte[] data, int mode) {
        return new FileInput() {
            public String path() { return path; }
            public long size() { return data.length; }
            public int mode() { return mode; }
            public InputStream open() { return new ByteArrayInputStream(data); }
            public SeekableByteChannel channel() { return new SeekableInMemoryByteChannel(data); }
        };
    }

    public static FileInput text(String path, String text) {
        return of(path, text.getBytes(StandardCharsets.UTF_8), 0644);
    }

    /** A real file, offered under {@code imagePath}. */
    public static FileInput real(String imagePath, Path file) throws IOException {
        long size = Files.size(file);
        int mode = Files.isExecutable(file) ? 0755 : 0644;
        return new FileInput() {
            public String path() { return imagePath; }
            public long size() { return size; }
            public int mode() { return mode; }
            public InputStream open() throws IOException { return Files.newInputStream(file); }
            public SeekableByteChannel channel() throws IOException { return Files.newByteChannel(file); }
        };
    }
}
