package dev.bulwark.scan.lang.java;

import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Java archives (jar, war, ear, Jenkins plugins): every META-INF/maven/.../pom.properties is a package (shaded
 * jars carry several), nested archives to {@value JarReader#MAX_DEPTH} levels, and archives without Maven metadata
 * fall back to their manifest and file name. Each package carries its archive's SHA-1 (property "sha1"), which
 * identifies a Maven Central artifact when nothing else does. See {@link JarReader} for the limits.
 */
public final class JarAnalyzer implements Analyzer {
    @Override
    public String type() {
        return "jar";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        return size > 0 && JarReader.isArchive(path.toLowerCase(Locale.ROOT));
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        MessageDigest sha1 = JarReader.digest();
        try (InputStream raw = in.open(); DigestInputStream d = new DigestInputStream(raw, sha1)) {
            d.transferTo(OutputStream.nullOutputStream());
        }
        JarReader reader = new JarReader(in.path());
        try (SeekableByteChannel ch = in.channel()) {
            reader.read(ch, JarReader.hex(sha1.digest()));
        }
        return new FileResult(type(), in.path(), reader.packages(), null, null, null, reader.warnings());
    }
}
