package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.model.Digest;
import dev.bulwark.model.Finding;
import dev.bulwark.model.FindingStatus;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.Severity;
import dev.bulwark.server.store.Jobs;
import dev.bulwark.server.store.Results;
import dev.bulwark.server.store.Role;
import dev.bulwark.server.store.Store;
import dev.bulwark.server.store.Tokens;
import dev.bulwark.vulndb.DbLocation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every read of the API on PostgreSQL (the same SQL as on H2 must answer the same), over two scans of one image. */
class PostgresApiIT {
    @TempDir
    Path tmp;

    @Test
    void everyReadAnswersOnPostgres() throws Exception {
        try (PostgresSchema pg = PostgresSchema.create()) {
            Store store = Store.open(pg.url(), pg.user, pg.password, 4);
            Results results = new Results(store);
            ImageInfo info = new ImageInfo("registry:example.invalid/app:1", "registry", Digest.sha256("c".getBytes()),
                    Digest.sha256("m".getBytes()), null, null, null, null, null, null);
            Inventory inv = new Inventory(info, null, List.of(), List.of(), Instant.now(), "test");
            Finding a = finding("CVE-2026-0001", "libfoo", Severity.CRITICAL, "1.1");
            Finding b = finding("CVE-2026-0002", "libbar", Severity.LOW, null);
            Finding c = finding("CVE-2026-0003", "libbaz", Severity.NEGLIGIBLE, "2.0");
            results.storeDirect(new Results.ScanResult(info.target(), Jobs.SCAN, inv, "{}".getBytes(), List.of(a, b), "v1", "s"));
            results.storeDirect(new Results.ScanResult(info.target(), Jobs.REMATCH, inv, "{}".getBytes(), List.of(a, c), "v2", "s"));
            String read = new Tokens(store).create("r", Role.READ).token();
            String scan = new Tokens(store).create("s", Role.SCAN).token();
            ServerConfig cfg = new ServerConfig("127.0.0.1", 0, true, 0, Duration.ofSeconds(10), Duration.ofSeconds(1),
                    new DbLocation.Embedded(tmp.resolve("vulndb")), null, null, false, false, false, null, null, ServerConfig.DEFAULT_MAX_BODY, null);
            try (BulwarkServer server = BulwarkServer.start(cfg, store, Map.of(), System.err::println)) {
                Http http = new Http(server.port());
                JsonNode images = http.get("/api/v1/images?q=APP&severity=CRITICAL", read).json().path("items");
                assertThat(images).hasSize(1);
                long id = images.get(0).path("id").asLong();
                assertThat(images.get(0).path("counts").path("CRITICAL").asInt()).isEqualTo(1);
                assertThat(images.get(0).path("counts").path("LOW").asInt()).isEqualTo(1);
                assertThat(http.get("/api/v1/images?q=nothing", read).json().path("items")).isEmpty();
                assertThat(http.get("/api/v1/images/" + id, read).json().path("scans")).hasSize(2);
                JsonNode fixable = http.get("/api/v1/images/" + id + "/findings?fixable=true&q=LIB", read).json().path("items");
                assertThat(fixable).extracting(f -> f.path("vulnerability").asText()).containsExactly("CVE-2026-0001", "CVE-2026-0003");
                JsonNode changes = http.get("/api/v1/images/" + id + "/changes", read).json().path("items");
                assertThat(changes).hasSize(2);
                assertThat(changes.get(0).path("new")).extracting(f -> f.path("vulnerability").asText()).containsExactly("CVE-2026-0003");
                assertThat(changes.get(0).path("fixed")).extracting(f -> f.path("vulnerability").asText()).containsExactly("CVE-2026-0002");
                assertThat(changes.get(1).path("new")).hasSize(2);
                JsonNode trends = http.get("/api/v1/trends?days=3", read).json().path("items");
                assertThat(trends).hasSize(3);
                assertThat(trends.get(2).path("counts").path("CRITICAL").asInt()).isEqualTo(1);
                assertThat(trends.get(0).path("counts").path("CRITICAL").asInt()).isZero();
                String line = "{\"time\":\"2026-12-01T10:00:00Z\",\"source\":\"kubernetes\",\"user\":\"u\",\"action\":\"kubernetes.pod.create\","
                        + "\"decision\":\"would-deny\",\"rule\":\"r\",\"message\":\"m\"}\n";
                assertThat(http.post("/api/v1/decisions", scan, "application/x-ndjson", line.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);
                JsonNode d = http.get("/api/v1/decisions?decision=allow&limit=5", read).json().path("items");
                assertThat(d).hasSize(1);
                assertThat(d.get(0).path("source").asText()).isEqualTo("admission");
                assertThat(http.get("/api/v1/audits", read).json().path("items")).isEmpty();
            }
        }
    }

    private static Finding finding(String id, String pkg, Severity sev, String fixed) {
        Package p = new Package(PackageType.DEB, pkg, "1.0", null, null, null, Digest.sha256("layer".getBytes()), List.of("/var/lib/dpkg/status"), null);
        return new Finding(id, null, p, fixed == null ? List.of() : List.of(fixed), fixed == null ? FindingStatus.AFFECTED : FindingStatus.FIXED,
                sev, "test", null, false, Double.NaN, "t", null, null);
    }
}
