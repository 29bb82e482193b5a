package dev.bulwark.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The OpenAPI 3 document of the API, kept beside the code as a resource (a test checks it lists every route). */
public final class OpenApi {
    private static volatile byte[] doc;

    private OpenApi() {
    }

    public static byte[] document() {
        byte[] d = doc;
        if (d == null) {
            try (InputStream in = OpenApi.class.getResourceAsStream("/dev/bulwark/server/openapi.json")) {
                if (in == null) throw new IllegalStateException("openapi.json is missing from the jar");
                d = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            doc = d;
        }
        return d;
    }
}
