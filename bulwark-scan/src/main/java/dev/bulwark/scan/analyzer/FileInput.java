package dev.bulwark.scan.analyzer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;

/** A file offered to analysers. Its content can be read as often as needed, as a stream or with random access. */
public interface FileInput {
    /** Absolute image path. */
    String path();

    long size();

    int mode();

    /** A new stream over the whole content; the caller closes it. */
    InputStream open() throws IOException;

    /** Random access (ELF section tables, zip central directories); the caller closes it. */
    SeekableByteChannel channel() throws IOException;

    /** The whole content, refusing files larger than {@code max} bytes with an IOException. */
    default byte[] readAllBytes(int max) throws IOException {
        if (size() > max) throw new IOException(path() + " is " + size() + " bytes, over the " + max + "-byte limit for this kind of file");
        try (InputStream in = open()) {
            return in.readNBytes(max);
        }
    }
}
