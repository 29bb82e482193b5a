package dev.bulwark.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.audit.file.FileAuditor;
import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.AuditReport;
import dev.bulwark.policy.Policies;
import dev.bulwark.policy.PolicyEngine;
import dev.bulwark.policy.authz.AuditLog;
import dev.bulwark.policy.authz.AuthzServer;
import dev.bulwark.policy.docker.DockerRequests;
import dev.bulwark.report.ReportFormat;
import dev.bulwark.report.ReportOptions;
import dev.bulwark.report.Reports;
import dev.bulwark.server.BulwarkServer;
import dev.bulwark.server.ServerConfig;
import dev.bulwark.server.store.Role;
import dev.bulwark.server.store.Store;
import dev.bulwark.server.store.Tokens;
import dev.bulwark.vulndb.DbLocation;
import dev.bulwark.vulndb.VulnDb;
import dev.bulwark.vulndb.feed.Limits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in headless Debian chromium (playwright-core), against a real {@code bulwark serve} holding real data:
 * the test images scanned by the server's own workers and matched against the built-in Debian advisories, GHSA
 * records of the app image's Maven and npm packages, and the real Go feed of {@code shared/vulndata} (imported while
 * the server runs, so every image is re-matched and the app image gains findings: a second scan and a change with
 * new findings); a file audit of a Dockerfile and a Kubernetes manifest by the real auditor; and the decisions of the
 * real authz plugin under the baseline policy, from its JSON-lines audit log. One image reference carries an HTML
 * payload.
 *
 * <p>The browser half is {@code src/test/js/dashboard.spec.mjs}: it compares what every page shows with the API's
 * answers, exercises the filters, sorting and drill-downs, and keeps screenshots in {@code <build dir>/dashboard-shots}.
 * Components: {@code scripts/browser.sh} (chromium, node, playwright-core), {@code scripts/testimages.sh}.
 */
class DashboardIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Spaces are refused in references: HTML that needs none. Each '/' becomes a directory of the layout's path. */
    private static final String XSS = "<img/src/onerror=window.__pwned=1>";
    private static final Duration SCANS_DONE = Duration.ofMinutes(6);

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private URI base;
    private String token;

    @Test
    void everyViewShowsTheServersRealDataInHeadlessChromium() throws Exception {
        Map<String, String> browser = browserEnv();
        Path node = TestComponents.requireTool(browser.getOrDefault("BULWARK_NODE", "node"));
        Path chromium = TestComponents.requireTool(browser.getOrDefault("BULWARK_CHROMIUM", "/usr/bin/chromium"));
        Path playwright = Path.of(browser.getOrDefault("BULWARK_PLAYWRIGHT_DIR", ""));
        TestComponents.require(playwright.resolve("playwright-core/package.json"), "playwright-core (scripts/browser.sh)");
        Path spec = TestComponents.require(TestComponents.root().resolve("bulwark-server/src/test/js/dashboard.spec.mjs"), "dashboard.spec.mjs");
        Path vulndata = TestComponents.require(TestComponents.root().resolve("../shared/vulndata").normalize(), "real advisory feeds (shared/vulndata)");
        Path bookworm = TestComponents.path("BOOKWORM_OCI_DIR");
        String bookwormTag = TestComponents.get("BOOKWORM_OCI_REF");
        Path appArchive = TestComponents.path("APP_DOCKER_ARCHIVE");
        Path appOci = TestComponents.path("APP_OCI_ARCHIVE");
        String appOciTag = TestComponents.get("APP_OCI_REF");

        // The vulnerability DB: Debian's built-in advisories, the Node.js security WG's feed and GHSA records of the
        // app image's Maven and npm packages (ghsa/README.md) now; the Go feed later.
        Path ghsa = Path.of(DashboardIT.class.getResource("ghsa").toURI());
        DbLocation vulnDb = new DbLocation.Embedded(tmp.resolve("vulndb"));
        VulnDb.importBuiltin(vulnDb, null);
        VulnDb.importPaths(vulnDb, List.of(vulndata.resolve("nodejs-security-wg"), ghsa), Limits.DEFAULT, null);

        // The HTML-carrying reference names a real OCI layout: the payload's slashes are directories, its last part
        // a link to the bookworm layout.
        Path xssLayout = tmp.resolve("hostile").resolve(XSS);
        Files.createDirectories(xssLayout.getParent());
        Files.createSymbolicLink(xssLayout, bookworm);

        List<String> serverLog = new CopyOnWriteArrayList<>();
        Store store = Store.open(tmp.resolve("server-db").toString(), null, null, 4);
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, true, 2, Duration.ofSeconds(30), Duration.ofMillis(200), vulnDb,
                Duration.ofSeconds(1), tmp.resolve("layer-cache"), false, true, false, null, null, ServerConfig.DEFAULT_MAX_BODY, null);
        try (BulwarkServer server = BulwarkServer.start(cfg, store, Map.of(), serverLog::add)) {
            base = URI.create("http://127.0.0.1:" + server.port() + "/");
            token = new Tokens(store).create("dashboard-it", Role.ADMIN).token();

            String app = "docker-archive:" + appArchive;
            List<String> refs = List.of("oci:" + bookworm + ":" + bookwormTag, app, "oci:" + appOci + ":" + appOciTag,
                    "oci:" + xssLayout + ":" + bookwormTag);
            List<Long> jobs = new ArrayList<>();
            for (String r : refs) {
                JsonNode queued = post("api/v1/scans", JSON.writeValueAsBytes(Map.of("reference", r)), "application/json", 202);
                jobs.add(queued.get("id").asLong());
            }
            for (int i = 0; i < jobs.size(); i++) {
                long id = jobs.get(i);
                String ref = refs.get(i);
                awaitCondition("scan of " + ref, SCANS_DONE, () -> !get("api/v1/scans/" + id).path("status").asText().matches("queued|running"), serverLog);
                JsonNode job = get("api/v1/scans/" + id);
                assertThat(job.path("status").asText()).as("scan of %s: %s; server log %s", ref, job.path("error").asText(), serverLog).isEqualTo("done");
            }
            long appId = imageId(app);
            int appScans = get("api/v1/images/" + appId).path("scans").size();
            int appTotal = total(get("api/v1/images/" + appId).path("counts"));
            JsonNode appCounts = get("api/v1/images/" + appId).path("counts");
            assertThat(appCounts.path("CRITICAL").asInt()).as("critical findings of the app image (log4j-core 2.14.1, commons-text 1.9): %s",
                    get("api/v1/images")).isPositive();

            // A DB update while the server runs: every stored inventory is matched again, no image is read again.
            VulnDb.importPaths(vulnDb, List.of(vulndata.resolve("golang-vulndb")), Limits.DEFAULT, null);
            awaitCondition("the app image re-matched after the Go feed was imported", SCANS_DONE,
                    () -> get("api/v1/images/" + appId).path("scans").size() > appScans, serverLog);
            awaitCondition("every re-match finished", SCANS_DONE, () -> noJobsPending(refs), serverLog);
            assertThat(total(get("api/v1/images/" + appId).path("counts")))
                    .as("the app image's Go binary (docker-registry, go1.19) gains findings from the Go feed").isGreaterThan(appTotal);

            postAudits();
            postDecisions();

            Path shots = buildDir().resolve("dashboard-shots");
            deleteTree(shots);
            Files.createDirectories(shots);
            Path out = tmp.resolve("spec.log");
            ProcessBuilder pb = new ProcessBuilder(node.toString(), spec.toString()).redirectErrorStream(true).redirectOutput(out.toFile());
            Map<String, String> env = pb.environment();
            env.put("BULWARK_URL", base.toString());
            env.put("BULWARK_TOKEN", token);
            env.put("BULWARK_SHOTS", shots.toString());
            env.put("BULWARK_CHROMIUM", chromium.toString());
            env.put("BULWARK_PLAYWRIGHT_DIR", playwright.toString());
            env.put("BULWARK_XSS", XSS);
            env.put("BULWARK_REQUIRE", "images,findings,fixable,changes,trends,audits,decisions");
            // playwright-core must never fetch a browser of its own
            env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
            env.put("HOME", tmp.toString());
            Process p = pb.start();
            boolean finished = p.waitFor(10, TimeUnit.MINUTES);
            if (!finished) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            String log = Files.readString(out);
            System.out.println(log);
            assertThat(finished).as("the browser tests did not finish within 10 minutes:\n%s", log).isTrue();
            assertThat(p.exitValue()).as("browser tests failed (screenshots in %s):\n%s\nserver log: %s", shots, log, serverLog).isZero();
            assertThat(log).containsPattern("dashboard: [1-9][0-9]* passed, 0 failed");
            try (var files = Files.list(shots)) {
                assertThat(files.filter(f -> f.toString().endsWith(".png")).count()).as("screenshots in %s", shots).isGreaterThanOrEqualTo(10);
            }
        }
    }

    // ------------------------------------------------------------------ data through the real API

    /** A Dockerfile and a Kubernetes manifest with real problems, audited by the real file auditor. */
    private void postAudits() throws Exception {
        Path dockerfile = tmp.resolve("audit/Dockerfile");
        Files.createDirectories(dockerfile.getParent());
        Files.writeString(dockerfile, """
                FROM debian:latest
                ENV API_TOKEN=not-a-real-secret-but-set-in-env
                ADD https://example.invalid/tool.tar.gz /opt/
                RUN apt-get update && apt-get install -y curl
                COPY . /app
                EXPOSE 22
                CMD ["/app/run"]
                """);
        Path manifest = tmp.resolve("audit/deployment.yaml");
        Files.writeString(manifest, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 1
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      hostNetwork: true
                      containers:
                        - name: web
                          image: nginx:latest
                          securityContext:
                            privileged: true
                          volumeMounts:
                            - {name: docker, mountPath: /var/run/docker.sock}
                      volumes:
                        - name: docker
                          hostPath: {path: /var/run/docker.sock}
                """);
        for (Path f : List.of(dockerfile, manifest)) {
            AuditReport report = FileAuditor.audit(f);
            assertThat(report.results()).as("audit results of %s", f).isNotEmpty();
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            Reports.write(report, ReportFormat.JSON, json, ReportOptions.defaults());
            post("api/v1/audits", json.toByteArray(), "application/json", 201);
        }
    }

    /**
     * The real authz plugin (baseline policy, Docker request decoder) on a unix socket, asked what dockerd asks; its
     * JSON-lines audit log is what the server is given.
     */
    private void postDecisions() throws Exception {
        Path logFile = tmp.resolve("authz/audit.jsonl");
        Files.createDirectories(logFile.getParent());
        List<String> problems = new CopyOnWriteArrayList<>();
        PolicyEngine baseline = Policies.baseline();
        AuditLog audit = AuditLog.open(logFile, null, problems::add);
        Path sock = tmp.resolve("authz/plugin.sock");
        try (AuthzServer plugin = AuthzServer.start(AuthzServer.Config.of(sock), () -> baseline, DockerRequests::decode, audit, problems::add)) {
            authz(sock, "POST", "/v1.41/containers/create", "{\"Image\":\"debian:12\",\"HostConfig\":{\"Privileged\":true}}");
            authz(sock, "POST", "/v1.41/containers/create", "{\"Image\":\"debian:12\",\"User\":\"1000\",\"HostConfig\":{\"ReadonlyRootfs\":true}}");
            authz(sock, "POST", "/v1.41/containers/create", "{\"Image\":\"debian:12\",\"HostConfig\":{\"Binds\":[\"/etc:/host-etc\"]}}");
            authz(sock, "POST", "/v1.41/images/create?fromImage=quay.io%2Fsomeone%2Ftool&tag=1", null);
            authz(sock, "GET", "/v1.41/containers/json", null);
            authz(sock, "GET", "/v1.41/version", null);
        } finally {
            audit.close();
        }
        assertThat(problems).as("authz plugin problems").isEmpty();
        byte[] lines = Files.readAllBytes(logFile);
        assertThat(new String(lines, StandardCharsets.UTF_8)).contains("\"deny\"").contains("\"allow\"");
        JsonNode stored = post("api/v1/decisions", lines, "application/x-ndjson", 201);
        assertThat(stored.path("stored").asInt()).isGreaterThanOrEqualTo(6);
    }

    /** One AuthZPlugin.AuthZReq in raw HTTP/1.1 over the plugin's socket, as dockerd's Go client sends it. */
    private static void authz(Path sock, String method, String uri, String body) throws Exception {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("User", "alice");
        req.put("RequestMethod", method);
        req.put("RequestUri", uri);
        if (body != null) req.put("RequestBody", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        req.put("RequestHeaders", Map.of("Content-Type", "application/json"));
        byte[] json = JSON.writeValueAsBytes(req);
        String head = "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nHost: \r\nContent-Type: application/json\r\nContent-Length: " + json.length
                + "\r\nConnection: close\r\n\r\n";
        String reply = CompletableFuture.supplyAsync(() -> {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(sock));
                ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
                ch.write(ByteBuffer.wrap(json));
                InputStream in = Channels.newInputStream(ch);
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(20, TimeUnit.SECONDS);
        assertThat(reply).as("plugin reply to %s %s", method, uri).startsWith("HTTP/1.1 200").contains("\"Allow\"");
    }

    private long imageId(String reference) throws Exception {
        for (JsonNode i : get("api/v1/images").path("items")) {
            if (i.path("reference").asText().equals(reference)) return i.path("id").asLong();
        }
        throw new AssertionError("no image " + reference + " in " + get("api/v1/images"));
    }

    /** True when every stored image's latest scan is newer than the DB import: no job of any reference waiting. */
    private boolean noJobsPending(List<String> refs) throws Exception {
        JsonNode images = get("api/v1/images").path("items");
        for (JsonNode i : images) {
            JsonNode d = get("api/v1/images/" + i.path("id").asLong());
            if (d.path("scans").size() < 2) return false;
        }
        return images.size() == refs.size();
    }

    private static int total(JsonNode counts) {
        int t = 0;
        for (String s : List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN")) t += counts.path(s).asInt();
        return t;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as("GET %s: %s", path, new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode post(String path, byte[] body, String type, int want) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as("POST %s: %s", path, new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(want);
        return JSON.readTree(r.body());
    }

    interface Check {
        boolean test() throws Exception;
    }

    /** Polls a condition every 250 ms until it holds or the bound passes (then fails, with the server's log). */
    private static void awaitCondition(String what, Duration bound, Check check, List<String> serverLog) throws Exception {
        long end = System.nanoTime() + bound.toNanos();
        while (!check.test()) {
            if (System.nanoTime() > end) throw new AssertionError(what + ": not within " + bound.toSeconds() + " s; server log: " + serverLog);
            Thread.sleep(250);
        }
    }

    // ------------------------------------------------------------------ components

    /** What scripts/browser.sh wrote: BULWARK_CHROMIUM, BULWARK_NODE, BULWARK_PLAYWRIGHT_DIR. */
    private static Map<String, String> browserEnv() throws IOException {
        Path f = TestComponents.require(TestComponents.work().resolve("browser/env"), "browser (scripts/browser.sh)");
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) m.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return m;
    }

    /** The module's build directory (target, or target-NAME with -Dbulwark.build.dir): the parent of test-classes. */
    private static Path buildDir() throws Exception {
        return Path.of(DashboardIT.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
