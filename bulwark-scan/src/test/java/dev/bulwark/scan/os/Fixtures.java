package dev.bulwark.scan.os;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Test resources under /os/. */
public final class Fixtures {
    private Fixtures() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/os/" + name)) {
            if (in == null) throw new IllegalArgumentException("no test resource /os/" + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String name) {
        return new String(bytes(name), java.nio.charset.StandardCharsets.UTF_8);
    }
}
