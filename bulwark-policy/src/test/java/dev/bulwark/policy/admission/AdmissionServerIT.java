package dev.bulwark.policy.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.policy.Policies;
import dev.bulwark.policy.PolicyEngine;
import dev.bulwark.policy.authz.AuditLog;
import dev.bulwark.policy.kube.KubeAdmission;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook over real TLS (a test CA and a server certificate made with openssl, as an operator or cert-manager
 * would), judged by the real policy engine (the baseline extended with an audit rule) and the real Kubernetes
 * decoder, with realistic AdmissionReview payloads written from the Kubernetes API reference.
 */
class AdmissionServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY = """
        apiVersion: bulwark.dev/v1
        kind: Policy
        metadata: {name: webhook-it}
        extends: baseline
        params: {allowedRegistries: ["docker.io", "registry.internal"]}
        default: allow
        rules:
          - name: audit-images
            match: {actions: [container.create]}
            condition: image.startsWith("docker.io/audit/")
            effect: audit
            message: "image {{image}} is audited"
        """;

    @TempDir
    static Path dir;
    private static AdmissionServer enforcing;
    private static AdmissionServer dryRun;
    private static HttpClient client;
    private static final Reviewer REAL = (engine, review) -> KubeAdmission.review(engine, review).decision();

    static void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + out);
    }

    @BeforeAll
    static void start() throws Exception {
        requireOpenssl();
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
            "-days", "1", "-subj", "/CN=bulwark-test-ca");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=bulwark-admission.bulwark-system.svc");
        Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=DNS:bulwark-admission.bulwark-system.svc,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "1",
            "-extfile", "ext.cnf");
        Path policyFile = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        PolicyEngine engine = Policies.load(policyFile);
        AuditLog audit = AuditLog.open(dir.resolve("audit.jsonl"), null, null);
        enforcing = AdmissionServer.start(new AdmissionServer.Config("127.0.0.1", 0, dir.resolve("server.crt"), dir.resolve("server.key"), false, 256 * 1024),
            () -> engine, REAL, audit, null);
        dryRun = AdmissionServer.start(new AdmissionServer.Config("127.0.0.1", 0, dir.resolve("server.crt"), dir.resolve("server.key"), true, 256 * 1024),
            () -> engine, REAL, audit, null);
        client = HttpClient.newBuilder().sslContext(trusting(dir.resolve("ca.crt"))).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static void requireOpenssl() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, "openssl"))) return;
        }
        throw new AssertionError("component openssl is missing: run scripts/test-all.sh (install.sh installs it)");
    }

    @AfterAll
    static void stop() {
        if (enforcing != null) enforcing.close();
        if (dryRun != null) dryRun.close();
    }

    static SSLContext trusting(Path caPem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static HttpResponse<String> post(AdmissionServer s, byte[] body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.port() + "/validate"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return client.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode response(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode n = JSON.readTree(r.body());
        assertThat(n.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        return n.get("response");
    }

    @Test
    void aPrivilegedPodIsDenied() throws Exception {
        JsonNode r = response(post(enforcing, TestReviewer.payload("pod-privileged.json")));
        assertThat(r.get("uid").asText()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertThat(r.get("status").get("code").asInt()).isEqualTo(403);
        assertThat(r.get("status").get("message").asText()).startsWith("bulwark: container shell: privileged").contains("no-privileged");
    }

    @Test
    void aHardenedDeploymentFromAnAllowedRegistryIsAllowed() throws Exception {
        JsonNode r = response(post(enforcing, TestReviewer.payload("deployment-ok.json")));
        assertThat(r.get("uid").asText()).isEqualTo("b9a2f0c1-2f4e-4a57-9e6a-0d1c1f0b7a11");
        assertThat(r.get("allowed").asBoolean()).isTrue();
        assertThat(r.has("status")).isFalse();
    }

    @Test
    void anAuditRuleIsAWarningOnAnAllowedDaemonSet() throws Exception {
        JsonNode r = response(post(enforcing, TestReviewer.payload("daemonset-audited.json")));
        assertThat(r.get("allowed").asBoolean()).isTrue();
        assertThat(r.get("warnings").toString()).contains("image docker.io/audit/node-agent:3.1 is audited");
    }

    @Test
    void hostNetworkInACronJobIsDeniedAndInDryRunOnlyWarned() throws Exception {
        JsonNode denied = response(post(enforcing, TestReviewer.payload("cronjob-hostnetwork.json")));
        assertThat(denied.get("allowed").asBoolean()).isFalse();
        assertThat(denied.get("status").get("message").asText()).contains("no-host-network");
        JsonNode dry = response(post(dryRun, TestReviewer.payload("cronjob-hostnetwork.json")));
        assertThat(dry.get("allowed").asBoolean()).isTrue();
        assertThat(dry.get("warnings").get(0).asText()).startsWith("bulwark dry-run: would deny: ").contains("no-host-network");
        List<String> lines = Files.readAllLines(dir.resolve("audit.jsonl"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"decision\":\"would-deny\"").contains("\"rule\":\"no-host-network\""));
    }

    @Test
    void garbageAndOversizedBodiesAreRefused() throws Exception {
        HttpResponse<String> g = post(enforcing, "{\"kind\":".getBytes(StandardCharsets.UTF_8));
        assertThat(g.statusCode()).isEqualTo(400);
        assertThat(g.body()).startsWith("bulwark: the body is not JSON");
        byte[] big = new byte[300 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> o = post(enforcing, big);
        assertThat(o.statusCode()).isEqualTo(413);
        assertThat(o.body()).contains("larger than 262144 bytes");
        // a review the engine cannot decode is answered (uid echoed) and denied
        String noObject = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"x1\",\"operation\":\"CREATE\","
            + "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},\"object\":{\"kind\":\"Pod\",\"spec\":{\"containers\":\"nope\"}}}}";
        JsonNode r = response(post(enforcing, noObject.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.get("uid").asText()).isEqualTo("x1");
        assertThat(r.get("allowed").asBoolean()).isFalse();
    }

    @Test
    void healthzAnswersAndOtherPathsAndMethodsDoNot() throws Exception {
        HttpResponse<String> h = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + enforcing.port() + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(h.body()).isEqualTo("ok\n");
        assertThat(client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + enforcing.port() + "/validate")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        assertThat(client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + enforcing.port() + "/mutate"))
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    @Test
    void onlyTlsIsSpokenAndAClientThatDoesNotTrustTheCaIsRefused() throws Exception {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + enforcing.port() + "/healthz"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(); // JDK default trust anchors
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + enforcing.port() + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString())).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void keyFormatsAreReadOrRefusedWithTheFix() throws Exception {
        openssl("rsa", "-in", "server.key", "-traditional", "-out", "server-pkcs1.key");
        assertThat(Files.readString(dir.resolve("server-pkcs1.key"))).contains("BEGIN RSA PRIVATE KEY");
        try (AdmissionServer s = AdmissionServer.start(new AdmissionServer.Config("127.0.0.1", 0, dir.resolve("server.crt"),
            dir.resolve("server-pkcs1.key"), false, 65536), () -> r -> dev.bulwark.model.Decision.allow("a", ""), REAL, null, null)) {
            assertThat(client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.port() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sec1.key");
        assertThatThrownBy(() -> AdmissionServer.start(new AdmissionServer.Config("127.0.0.1", 0, dir.resolve("server.crt"),
            dir.resolve("sec1.key"), false, 65536), () -> null, REAL, null, null))
            .isInstanceOf(AdmissionServer.TlsProblem.class).hasMessageContaining("openssl pkcs8 -topk8");
        assertThatThrownBy(() -> AdmissionServer.start(new AdmissionServer.Config("127.0.0.1", 0, dir.resolve("ca.crt"),
            dir.resolve("server.key"), false, 65536), () -> null, REAL, null, null))
            .isInstanceOf(AdmissionServer.TlsProblem.class).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> AdmissionServer.start(new AdmissionServer.Config("127.0.0.1", 0, dir.resolve("server.key"),
            dir.resolve("server.key"), false, 65536), () -> null, REAL, null, null))
            .isInstanceOf(AdmissionServer.TlsProblem.class).hasMessageContaining("server.key");
    }
}
