package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.server.store.Role;
import dev.bulwark.server.store.Store;
import dev.bulwark.server.store.Tokens;
import dev.bulwark.vulndb.DbLocation;
import dev.bulwark.vulndb.VulnDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loopback docker-registry (scripts/registry-notify.sh) whose push notifications go to a running server: pushing an
 * image with skopeo makes the server scan it from that registry, with no request of ours.
 */
class RegistryNotifyIT {
    @TempDir
    Path tmp;

    @Test
    void aPushToTheRegistryIsScannedByTheServer() throws Exception {
        Path script = TestComponents.root().resolve("scripts/registry-notify.sh");
        Path skopeo = TestComponents.requireTool("skopeo");
        TestComponents.requireTool("docker-registry");
        DbLocation vulnDb = new DbLocation.Embedded(tmp.resolve("vulndb"));
        VulnDb.importBuiltin(vulnDb, null);
        Store store = Store.open(tmp.resolve("store").toString(), null, null, 4);
        Tokens tokens = new Tokens(store);
        String hook = tokens.create("registry", Role.SCAN).token();
        String read = tokens.create("reader", Role.READ).token();
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, true, 1, Duration.ofSeconds(10), Duration.ofMillis(200), vulnDb,
                Duration.ofMinutes(10), tmp.resolve("cache"), false, false, false, null, null, ServerConfig.DEFAULT_MAX_BODY, null);
        try (BulwarkServer server = BulwarkServer.start(cfg, store, Map.of(), System.err::println)) {
            Path tokenFile = tmp.resolve("token");
            Files.writeString(tokenFile, hook);
            run(script.toString(), "start", "http://127.0.0.1:" + server.port() + "/api/v1/registry/events", tokenFile.toString());
            try {
                // a tag of its own, so that a registry kept from an earlier run cannot answer for this one
                String tag = "t" + UUID.randomUUID().toString().substring(0, 8);
                String ref = "127.0.0.1:5003/bulwark-test/app:" + tag;
                run(skopeo.toString(), "copy", "--dest-tls-verify=false", "--insecure-policy",
                        "docker-archive:" + TestComponents.appDockerArchive(), "docker://" + ref);
                Http http = new Http(server.port());
                JsonNode images = http.await("/api/v1/images?q=" + tag, read, Duration.ofMinutes(2), j -> j.path("items").size() == 1);
                JsonNode img = images.path("items").get(0);
                assertThat(img.path("reference").asText()).isEqualTo("registry:" + ref);
                assertThat(img.path("digest").asText()).startsWith("sha256:");
                JsonNode detail = http.get("/api/v1/images/" + img.path("id").asLong(), read).json();
                assertThat(detail.path("packages").asInt()).isGreaterThan(0);
            } finally {
                run(script.toString(), "stop");
            }
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
    }
}
