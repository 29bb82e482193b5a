package dev.bulwark.scan.os;

import dev.bulwark.scan.analyzer.FileInput;

import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;

/** A file that only claims a size: analysers must refuse it before reading a byte. */
public record SizedInput(String path, long size) implements FileInput {
    public int mode() {
        return 0644;
    }

    public InputStream open() {
        throw new AssertionError(path + " read although over the limit");
    }

    public SeekableByteChannel channel() {
        throw new AssertionError(path + " read although over the limit");
    }
}
