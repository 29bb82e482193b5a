package dev.bulwark.vulndb.feed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Small hand-written fixtures beside the tests (each described in its README.md). */
final class Fixtures {
    private Fixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) throw new AssertionError("fixture missing: " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
