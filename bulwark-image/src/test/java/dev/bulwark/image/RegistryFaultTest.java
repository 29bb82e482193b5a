package dev.bulwark.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bulwark.image.Fixtures.E;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fault injection for the registry client: a loopback server that serves a real image but lies in chosen ways.
 * The happy paths run against the real registry in RegistrySourceIT.
 */
class RegistryFaultTest {
    private HttpServer server;
    private final Map<String, byte[]> blobs = new HashMap<>();
    private final Map<String, byte[]> overrides = new HashMap<>();
    private String manifestDigest;
    private String challenge;
    private final AtomicInteger tokenCalls = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        var files = Fixtures.ociFiles("t", List.of(Fixtures.gzLayer(List.of(E.file("etc/os-release", "ID=alpine\n")))), "amd64");
        for (var e : files.entrySet()) {
            if (e.getKey().startsWith("blobs/sha256/")) {
                String d = "sha256:" + e.getKey().substring(13);
                blobs.put(d, e.getValue());
                if (new String(e.getValue(), StandardCharsets.UTF_8).contains("\"layers\":[")) manifestDigest = d;
            }
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", ex -> {
            tokenCalls.incrementAndGet();
            send(ex, 200, "{\"token\":\"good\"}".getBytes(StandardCharsets.UTF_8), "application/json");
        });
        server.createContext("/v2/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        if (challenge != null) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            boolean ok = challenge.startsWith("Bearer") ? "Bearer good".equals(auth) : "Basic dTpw".equals(auth);
            if (!ok) {
                ex.getResponseHeaders().add("WWW-Authenticate", challenge);
                send(ex, 401, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
                return;
            }
        }
        String path = ex.getRequestURI().getPath();
        String ref = path.substring(path.lastIndexOf('/') + 1);
        if (path.contains("/manifests/")) {
            String d = ref.startsWith("sha256:") ? ref : manifestDigest;
            byte[] body = overrides.getOrDefault("manifest", blobs.get(d));
            if (body == null) {
                send(ex, 404, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
                return;
            }
            send(ex, 200, body, "application/vnd.oci.image.manifest.v1+json");
        } else {
            byte[] body = overrides.getOrDefault(ref, blobs.get(ref));
            if (body == null) send(ex, 404, new byte[0], "application/octet-stream");
            else send(ex, 200, body, "application/octet-stream");
        }
    }

    private static void send(HttpExchange ex, int code, byte[] body, String type) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) ex.getResponseBody().write(body);
        ex.close();
    }

    private ImageSource open(String ref, RegistryCredentials creds) throws ImageException {
        return ImageSources.open(Target.parse("registry:" + host() + "/" + ref), new SourceOptions(null, creds, false, null, Map.of()));
    }

    @Test
    void servesTheImageWhenNothingLies() throws Exception {
        try (ImageSource src = open("app:1", null)) {
            assertThat(src.info().manifestDigest().toString()).isEqualTo(manifestDigest);
            assertThat(Walks.all(src).get(0)).contains("FILE /etc/os-release = ID=alpine\n");
        }
    }

    @Test
    void aLayerWithTheWrongContentIsRefused() throws Exception {
        String layer = blobs.keySet().stream().filter(d -> blobs.get(d)[0] == 0x1f).findFirst().orElseThrow();
        byte[] evil = Fixtures.gzLayer(List.of(E.file("etc/os-release", "ID=evil\n"))).blob();
        byte[] sameSize = java.util.Arrays.copyOf(evil, blobs.get(layer).length); // padded or cut to the promised size
        overrides.put(layer, sameSize);
        try (ImageSource src = open("app:1", null)) {
            assertThatThrownBy(() -> Walks.all(src)).isInstanceOf(ImageException.class)
                    .satisfies(e -> assertThat(((ImageException) e).oneLine()).startsWith("layer " + layer)
                            .contains(layer + " digest mismatch"));
        }
        byte[] longer = java.util.Arrays.copyOf(blobs.get(layer), blobs.get(layer).length + 4096);
        overrides.put(layer, longer);
        try (ImageSource src = open("app:1", null)) {
            assertThatThrownBy(() -> Walks.all(src)).isInstanceOf(ImageException.class).hasMessageContaining("larger than its descriptor");
        }
    }

    @Test
    void aManifestThatIsNotTheDigestAskedForIsRefused() {
        overrides.put("manifest", "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> open("app@" + manifestDigest, null)).isInstanceOf(ImageException.class)
                .hasMessageContaining("manifest digest mismatch");
    }

    @Test
    void anOversizedManifestIsCutOff() {
        overrides.put("manifest", new byte[(16 << 20) + 10]);
        assertThatThrownBy(() -> open("app:1", null)).isInstanceOf(ImageException.class).hasMessageContaining("larger than");
    }

    @Test
    void basicAuthIsAskedForAndUsed() throws Exception {
        challenge = "Basic realm=\"test\"";
        assertThatThrownBy(() -> open("app:1", null)).isInstanceOf(ImageException.class).hasMessageContaining("username and password");
        try (ImageSource src = open("app:1", new RegistryCredentials("u", "p"))) {
            assertThat(src.info().layers()).hasSize(1);
        }
        assertThatThrownBy(() -> open("app:1", new RegistryCredentials("u", "wrong"))).isInstanceOf(ImageException.class)
                .hasMessageContaining("access denied");
    }

    @Test
    void bearerTokensAreFetchedFromTheRealmOncePerScope() throws Exception {
        challenge = "Bearer realm=\"http://" + host() + "/token\",service=\"test\",scope=\"repository:app:pull\"";
        try (ImageSource src = open("app:1", null)) {
            Walks.all(src);
        }
        assertThat(tokenCalls.get()).isEqualTo(1);
    }

    @Test
    void unknownTagIsNamed() {
        blobs.remove(manifestDigest);
        assertThatThrownBy(() -> open("app:nope", null)).isInstanceOf(ImageException.class).hasMessageContaining("no such image or tag");
    }

    @Test
    void nothingListeningIsOneLine() {
        assertThatThrownBy(() -> ImageSources.open("registry:127.0.0.1:9/app:1", SourceOptions.defaults()))
                .isInstanceOf(ImageException.class).hasMessageContaining("cannot connect to 127.0.0.1:9");
    }
}
