package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.audit.file.FileAuditor;
import dev.bulwark.model.AuditReport;
import dev.bulwark.report.ReportFormat;
import dev.bulwark.report.ReportOptions;
import dev.bulwark.report.Reports;
import dev.bulwark.server.store.Role;
import dev.bulwark.server.store.Store;
import dev.bulwark.server.store.Tokens;
import dev.bulwark.vulndb.DbLocation;
import dev.bulwark.vulndb.VulnDb;
import dev.bulwark.vulndb.feed.Limits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One embedded-DB server with a worker, scanning a real image (the outdated bookworm root filesystem as a
 * docker-archive) against a real vulnerability DB, then learning Debian's advisories while it runs: the stored
 * inventory is matched again without the image (which the test deletes first). Around it: authentication, roles,
 * problem+json errors, bounded bodies, audits and decisions through the API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerApiIT {
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    static Path tmp;

    private BulwarkServer server;
    private Http http;
    private DbLocation vulnDb;
    private String read;
    private String scan;
    private String admin;
    private Path archive;
    private long imageId;

    @BeforeAll
    void start() throws Exception {
        archive = TestImages.outdatedBookwormArchive(tmp);
        vulnDb = new DbLocation.Embedded(tmp.resolve("vulndb"));
        // a real DB that knows nothing of Debian yet: Alpine's advisories (the shared feed data)
        VulnDb.importPaths(vulnDb, List.of(TestImages.alpineSecdb()), Limits.DEFAULT, null);
        Store store = Store.open(tmp.resolve("store").toString(), null, null, 6);
        Tokens tokens = new Tokens(store);
        read = tokens.create("reader", Role.READ).token();
        scan = tokens.create("scanner", Role.SCAN).token();
        admin = tokens.create("admin", Role.ADMIN).token();
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, true, 1, Duration.ofSeconds(10), Duration.ofMillis(200), vulnDb,
                Duration.ofMillis(500), tmp.resolve("cache"), false, true, false, null, null, 64 * 1024, null);
        server = BulwarkServer.start(cfg, store, Map.of(), System.err::println);
        http = new Http(server.port());
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    @Test
    @Order(1)
    void aScanIsQueuedRunAndItsFindingsServed() throws Exception {
        Http.Answer queued = http.post("/api/v1/scans", scan, "{\"reference\":\"docker-archive:" + archive + "\"}");
        assertThat(queued.status()).isEqualTo(202);
        assertThat(queued.json().path("status").asText()).isEqualTo("queued");
        long id = queued.json().path("id").asLong();
        JsonNode done = http.await("/api/v1/scans/" + id, read, WAIT, j -> !j.path("status").asText().matches("queued|running"));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("done");

        JsonNode images = http.get("/api/v1/images", read).json().path("items");
        assertThat(images).hasSize(1);
        JsonNode img = images.get(0);
        imageId = img.path("id").asLong();
        assertThat(img.path("reference").asText()).isEqualTo("docker-archive:" + archive);
        assertThat(img.path("digest").asText()).startsWith("sha256:");
        assertThat(img.path("lastScanAt").asText()).endsWith("Z");
        for (String k : List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN")) assertThat(img.path("counts").has(k)).isTrue();

        JsonNode detail = http.get("/api/v1/images/" + imageId, read).json();
        assertThat(detail.path("packages").asInt()).isGreaterThan(50);
        assertThat(detail.path("scans")).hasSize(1);

        // the counts the list shows are the findings the drill-down lists
        JsonNode findings = http.get("/api/v1/images/" + imageId + "/findings", read).json().path("items");
        assertThat(findings.size()).isEqualTo(total(img.path("counts")));
    }

    @Test
    @Order(2)
    void aVulnerabilityDbUpdateRematchesTheStoredInventoryWithoutTheImage() throws Exception {
        int before = http.get("/api/v1/images/" + imageId + "/findings", read).json().path("items").size();
        Files.delete(archive);
        VulnDb.importPaths(vulnDb, List.of(TestImages.debianAdvisories()), Limits.DEFAULT, null);
        Set<String> advised = advisedCves();

        JsonNode detail = http.await("/api/v1/images/" + imageId, read, WAIT, j -> j.path("scans").size() >= 2);
        assertThat(detail.path("scans")).hasSize(2);
        JsonNode findings = http.get("/api/v1/images/" + imageId + "/findings", read).json().path("items");
        Set<String> ids = new HashSet<>();
        for (JsonNode f : findings) ids.add(f.path("vulnerability").asText());
        // Debian's own advisories for the outdated packages are now found, with the fix and the layer they came from
        Set<String> fromUpdate = new HashSet<>(ids);
        fromUpdate.retainAll(advised);
        assertThat(fromUpdate).isNotEmpty();
        assertThat(before).isZero();
        assertThat(findings.size()).isGreaterThan(before);
        for (JsonNode f : findings) {
            if (!advised.contains(f.path("vulnerability").asText())) continue;
            assertThat(f.path("fixedVersion").isTextual()).as(f.toString()).isTrue();
            assertThat(f.path("type").asText()).isEqualTo("deb");
            assertThat(f.path("layer").asText()).startsWith("sha256:");
        }
        JsonNode changes = http.get("/api/v1/images/" + imageId + "/changes", read).json().path("items");
        assertThat(changes.get(0).path("new").size()).isEqualTo(findings.size() - before);
        assertThat(changes.get(0).path("fixed")).isEmpty();

        // the SBOM of the stored inventory, as bulwark sbom writes it: CycloneDX by default, SPDX and our JSON on request
        JsonNode cdx = http.get("/api/v1/images/" + imageId + "/sbom", read).json();
        assertThat(cdx.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(cdx.path("components").size()).isGreaterThan(50);
        assertThat(cdx.path("components").findValuesAsText("purl")).anyMatch(p -> p.startsWith("pkg:deb/debian/libc6@"));
        assertThat(http.get("/api/v1/images/" + imageId + "/sbom?format=spdx", read).json().path("spdxVersion").asText())
                .isEqualTo("SPDX-2.3");
        JsonNode inventory = http.get("/api/v1/images/" + imageId + "/sbom?format=json", read).json();
        assertThat(inventory.path("packages").size()).isGreaterThan(50);
        assertThat(inventory.path("packages").findValuesAsText("name")).contains("libc6");
        assertThat(http.get("/api/v1/images/" + imageId + "/sbom?format=xml", read).status()).isEqualTo(400);
        assertThat(http.get("/api/v1/images/999999/sbom", read).status()).isEqualTo(404);

        // filters: at or above a severity, text, fixable
        JsonNode high = http.get("/api/v1/images/" + imageId + "/findings?severity=HIGH", read).json().path("items");
        for (JsonNode f : high) assertThat(f.path("severity").asText()).isIn("HIGH", "CRITICAL");
        String someId = fromUpdate.iterator().next();
        JsonNode byText = http.get("/api/v1/images/" + imageId + "/findings?q=" + someId.toLowerCase(), read).json().path("items");
        assertThat(byText).isNotEmpty().allSatisfy(f -> assertThat(f.path("vulnerability").asText()).isEqualTo(someId));
        JsonNode fixable = http.get("/api/v1/images/" + imageId + "/findings?fixable=true", read).json().path("items");
        assertThat(fixable).allSatisfy(f -> assertThat(f.path("fixedVersion").isTextual()).isTrue());
        JsonNode trends = http.get("/api/v1/trends?days=2", read).json().path("items");
        assertThat(trends).hasSize(2);
        assertThat(total(trends.get(1).path("counts"))).isEqualTo(findings.size());
    }

    @Test
    @Order(3)
    void everyJobCompletedExactlyOnce() throws Exception {
        try (Connection c = server.store().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT j.id, j.status, j.completions, (SELECT COUNT(*) FROM srv_scan x WHERE x.job_id = j.id) FROM srv_job j")) {
            int n = 0;
            while (rs.next()) {
                n++;
                assertThat(rs.getString(2)).isEqualTo("done");
                assertThat(rs.getInt(3)).isEqualTo(1);
                assertThat(rs.getInt(4)).isEqualTo(1);
            }
            assertThat(n).isEqualTo(2);
        }
    }

    @Test
    void withoutATokenNothingIsReadOrWritten() throws Exception {
        Http.Answer a = http.get("/api/v1/images", null);
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.contentType()).startsWith("application/problem+json");
        assertThat(a.json().path("status").asInt()).isEqualTo(401);
        assertThat(http.post("/api/v1/scans", null, "{\"reference\":\"x\"}").status()).isEqualTo(401);
        assertThat(http.get("/api/v1/images", "bwk_not-a-real-token").status()).isEqualTo(401);
        assertThat(http.get("/api/v1/images", Tokens.PREFIX).status()).isEqualTo(401);
    }

    @Test
    void rolesLimitWhatATokenMayDo() throws Exception {
        Http.Answer a = http.post("/api/v1/scans", read, "{\"reference\":\"registry:127.0.0.1:1/none:1\"}");
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().path("detail").asText()).contains("scan role");
        assertThat(http.get("/api/v1/tokens", scan).status()).isEqualTo(403);
        Http.Answer made = http.post("/api/v1/tokens", admin, "{\"name\":\"ci\",\"role\":\"read\"}");
        assertThat(made.status()).isEqualTo(201);
        String fresh = made.json().path("token").asText();
        assertThat(http.get("/api/v1/images", fresh).status()).isEqualTo(200);
        // the DB holds hashes only: the token itself is nowhere in it
        try (Connection c = server.store().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT hash FROM srv_token")) {
            while (rs.next()) assertThat(rs.getString(1)).doesNotContain(fresh.substring(4, 20)).hasSize(64);
        }
    }

    @Test
    void badRequestsGetOneLineProblems() throws Exception {
        Http.Answer notJson = http.post("/api/v1/scans", scan, "{\"reference\":");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.contentType()).startsWith("application/problem+json");
        assertThat(notJson.json().path("detail").asText()).doesNotContain("\n").contains("not JSON");
        assertThat(http.post("/api/v1/scans", scan, "[]").status()).isEqualTo(400);
        assertThat(http.post("/api/v1/scans", scan, "{\"reference\":\"a b\"}").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/images?severity=SEVERE", read).json().path("detail").asText()).contains("unknown severity");
        assertThat(http.get("/api/v1/images/99999", read).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/nothing", read).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/scans", read).status()).isEqualTo(405);
        assertThat(http.get("/api/v1/trends?days=0", read).status()).isEqualTo(400);
        byte[] big = new byte[200 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        assertThat(http.post("/api/v1/scans", scan, "application/json", big).status()).isEqualTo(413);
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 5000; i++) deep.append('[');
        assertThat(http.post("/api/v1/scans", scan, deep.toString()).status()).isEqualTo(400);
    }

    @Test
    void auditsAndDecisionsArriveThroughTheApi() throws Exception {
        AuditReport r = FileAuditor.audit("Dockerfile", "FROM debian:bookworm\nADD http://example.invalid/x.tgz /x\nRUN apt-get update\n");
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        Reports.write(r, ReportFormat.JSON, json, ReportOptions.defaults());
        assertThat(http.post("/api/v1/audits", read, "application/json", json.toByteArray()).status()).isEqualTo(403);
        Http.Answer stored = http.post("/api/v1/audits", scan, "application/json", json.toByteArray());
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
        long id = stored.json().path("id").asLong();
        JsonNode one = http.get("/api/v1/audits/" + id, read).json();
        assertThat(one.path("results").size()).isEqualTo(r.results().size());
        int fails = 0;
        for (JsonNode s : one.path("sections")) fails += s.path("fail").asInt();
        assertThat(fails).isEqualTo((int) r.results().stream().filter(x -> x.status() == dev.bulwark.model.AuditStatus.FAIL).count());
        assertThat(http.post("/api/v1/audits", scan, "{\"not\":\"an audit\"}").status()).isEqualTo(400);

        String lines = "{\"time\":\"2026-12-01T10:00:00Z\",\"source\":\"authz\",\"user\":\"alice\",\"action\":\"container.create\","
                + "\"decision\":\"deny\",\"rule\":\"no-privileged\",\"message\":\"privileged containers are not allowed\"}\n"
                + "{\"time\":\"2026-12-01T10:00:01Z\",\"event\":\"reload\",\"ok\":true,\"message\":\"policy reloaded\"}\n"
                + "{\"time\":\"2026-12-01T10:00:02Z\",\"source\":\"admission\",\"user\":\"bob\",\"action\":\"kubernetes.pod.create\","
                + "\"decision\":\"allow\",\"rule\":\"baseline\",\"message\":\"\"}\n";
        Http.Answer d = http.post("/api/v1/decisions", scan, "application/x-ndjson", lines.getBytes(StandardCharsets.UTF_8));
        assertThat(d.status()).as(d.body()).isEqualTo(201);
        assertThat(d.json().path("stored").asInt()).isEqualTo(2);
        JsonNode denies = http.get("/api/v1/decisions?decision=deny", read).json().path("items");
        assertThat(denies).hasSize(1);
        assertThat(denies.get(0).path("rule").asText()).isEqualTo("no-privileged");
        assertThat(http.post("/api/v1/decisions", scan, "application/x-ndjson", "{\"decision\":\"maybe\"}".getBytes()).json()
                .path("detail").asText()).isEqualTo("line 1: decision must be allow or deny, not maybe");
    }

    @Test
    void theOpenApiDocumentAndTheDashboardAreServed() throws Exception {
        JsonNode doc = http.get("/openapi.json", null).json();
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        assertThat(doc.path("paths").has("/api/v1/images/{id}/findings")).isTrue();
        Http.Answer page = http.get("/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        for (String bad : new String[]{"/ui/../../../etc/passwd", "/ui/%2e%2e/db/migration/V1__server.sql", "/ui/%2e%2e%2fopenapi.json"}) {
            Http.Answer a = http.get(bad, null);
            assertThat(a.status()).as(bad).isIn(400, 404);
            assertThat(a.contentType()).as(bad).startsWith("application/problem+json");
            assertThat(a.body()).doesNotContain("CREATE TABLE").doesNotContain("Exception");
        }
    }

    private static int total(JsonNode counts) {
        int n = 0;
        for (String k : List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN")) n += counts.path(k).asInt();
        return n;
    }

    /** The CVE ids of the Debian advisories file. */
    private static Set<String> advisedCves() throws Exception {
        JsonNode root = Http.JSON.readTree(TestImages.debianAdvisories().toFile());
        Set<String> out = new HashSet<>();
        for (var pkg : (Iterable<Map.Entry<String, JsonNode>>) root::fields) {
            List<String> ids = new ArrayList<>();
            pkg.getValue().fieldNames().forEachRemaining(ids::add);
            out.addAll(ids);
        }
        return out;
    }
}
