package dev.bulwark.docker;

import dev.bulwark.docker.Pki.KeyKind;
import dev.bulwark.docker.testenv.Components;
import dev.bulwark.docker.testenv.Relay;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DockerClient} against a real dockerd started with {@code --tlsverify} on 127.0.0.1:2376 by
 * {@code scripts/dockerd-variant.sh} (as bulwark-audit's DaemonVariantIT starts its TLS variant), with certificates
 * made here by openssl: a CA, a server certificate for IP:127.0.0.1 and DNS:localhost, client certificates in every
 * key format, and a second CA that the daemon does not know.
 *
 * <p>The variant's TCP listener lives in the daemon's own network namespace; {@link Relay} carries the bytes to a
 * loopback port here, untouched, so TLS runs end to end between the client and dockerd. Each case is also run with
 * the docker CLI with the same environment, and both must agree on success or failure.
 */
class DockerTlsIT {
    static final String VARIANT = "bwd-tls";

    @TempDir
    static Path tmp;
    static Pki pki;
    static Process netnsRelay;
    static Relay tls;         // 127.0.0.1:port -> the daemon's TLS port
    static Relay tlsOtherIp;  // 127.0.0.2:port -> the same port: an address the server certificate does not name
    static Relay plain;       // 127.0.0.1:port -> the daemon's unix socket: a real daemon speaking plain HTTP over TCP
    static Path goodCa;
    static Map<KeyKind, Path> clientDirs = new HashMap<>();

    @BeforeAll
    static void daemon() throws Exception {
        for (String tool : List.of("openssl", "dockerd", "docker", "unshare", "jq", "nsenter")) Components.requireTool(tool);
        pki = new Pki(tmp.resolve("pki"));
        goodCa = pki.ca("ca", "bulwark-tls-ca");
        pki.ca("other", "bulwark-other-ca");
        Path serverKey = pki.key("server", KeyKind.SEC1_EC);
        Path serverCert = pki.issue("server", "ca", serverKey, "bulwark-tls-server",
            "subjectAltName=IP:127.0.0.1,DNS:localhost;extendedKeyUsage=serverAuth");
        for (KeyKind kind : List.of(KeyKind.PKCS8_RSA, KeyKind.PKCS1_RSA, KeyKind.SEC1_EC, KeyKind.PKCS8_ED25519)) {
            String n = "client-" + kind.name().toLowerCase().replace('_', '-');
            Path key = pki.key(n, kind);
            Path cert = pki.issue(n, "ca", key, n, "extendedKeyUsage=clientAuth");
            clientDirs.put(kind, pki.certDir(n, goodCa, cert, key));
        }
        Path json = tmp.resolve("daemon.json");
        Files.writeString(json, """
            {"tlsverify": true, "tlscacert": "%s", "tlscert": "%s", "tlskey": "%s"}
            """.formatted(goodCa, serverCert, serverKey));
        Path socket = Path.of(Components.script("dockerd-variant.sh", "start", VARIANT, json.toString(), "-H", "tcp://127.0.0.1:2376"));

        Path pidFile = socket.resolveSibling("dockerd.pid");
        String pid = Files.readString(pidFile).strip();
        Path relaySocket = tmp.resolve("tls.sock");
        String classes = Path.of(Relay.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        ProcessBuilder pb = new ProcessBuilder(Components.requireTool("nsenter").toString(), "--net=/proc/" + pid + "/ns/net", "--",
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classes, Relay.class.getName(),
            relaySocket.toString(), "127.0.0.1", "2376")
            .redirectError(tmp.resolve("relay.err").toFile());
        netnsRelay = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(netnsRelay.getInputStream(), StandardCharsets.UTF_8));
        String ready = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(ready).as("relay in the daemon's network namespace: " + Files.readString(tmp.resolve("relay.err"))).isEqualTo("ready");
        tls = Relay.tcpToUnix(InetAddress.getByName("127.0.0.1"), relaySocket);
        tlsOtherIp = Relay.tcpToUnix(InetAddress.getByName("127.0.0.2"), relaySocket);
        plain = Relay.tcpToUnix(InetAddress.getByName("127.0.0.1"), socket);
    }

    @AfterAll
    static void stop() {
        for (Relay r : new Relay[]{tls, tlsOtherIp, plain}) if (r != null) r.close();
        if (netnsRelay != null) {
            netnsRelay.destroy();
            try {
                netnsRelay.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Components.script("dockerd-variant.sh", "purge", VARIANT);
    }

    static String tlsHost() {
        return "tcp://127.0.0.1:" + tls.port();
    }

    static Map<String, String> env(String host, Path certDir, String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("DOCKER_HOST", host);
        m.put("DOCKER_CONFIG", tmp.resolve("docker-config").toString());
        if (certDir != null) m.put("DOCKER_CERT_PATH", certDir.toString());
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** The docker CLI with this environment: its exit status and output. */
    static Components.Result dockerCli(Map<String, String> env) {
        List<String> cmd = new ArrayList<>(List.of(Components.requireTool("docker").toString(), "version", "--format", "{{.Server.APIVersion}}"));
        return Components.run(env, null, 120, cmd);
    }

    /** GET /version through DockerClient.fromEnvironment(env); the docker CLI must succeed too. */
    static String apiVersion(Map<String, String> env) throws DockerException {
        try (DockerClient c = DockerClient.fromEnvironment(env)) {
            String v = c.getJson("/version").path("ApiVersion").asText();
            Components.Result cli = dockerCli(env);
            assertThat(cli.exit()).as("the docker CLI agrees: " + cli.both()).isZero();
            assertThat(cli.out().strip()).isEqualTo(v);
            return v;
        }
    }

    /** The one-line failure of GET /version; the docker CLI must fail too. */
    static String failure(Map<String, String> env) {
        Components.Result cli = dockerCli(env);
        assertThat(cli.exit()).as("the docker CLI fails too: " + cli.both()).isNotZero();
        try (DockerClient c = DockerClient.fromEnvironment(env)) {
            c.getJson("/version");
        } catch (DockerException e) {
            assertThat(e.oneLine()).doesNotContain("\n");
            assertThat(e.where()).isEqualTo(env.get("DOCKER_HOST"));
            return e.getMessage();
        }
        throw new AssertionError("GET /version succeeded with " + env);
    }

    @ParameterizedTest
    @EnumSource(value = KeyKind.class, names = {"PKCS8_RSA", "PKCS1_RSA", "SEC1_EC", "PKCS8_ED25519"})
    void versionWithTheRightClientCertificate(KeyKind kind) throws Exception {
        assertThat(apiVersion(env(tlsHost(), clientDirs.get(kind), "DOCKER_TLS_VERIFY", "1"))).matches("1\\.\\d+");
    }

    @Test
    void explicitSettingsAndTheDnsName() throws Exception {
        Path d = clientDirs.get(KeyKind.SEC1_EC);
        DockerTls settings = new DockerTls(d.resolve("ca.pem"), d.resolve("cert.pem"), d.resolve("key.pem"), true);
        try (DockerClient c = DockerClient.connect(tlsHost(), settings)) {
            assertThat(c.tls()).isEqualTo(settings);
            assertThat(c.getJson("/version").path("ApiVersion").asText()).matches("1\\.\\d+");
            assertThat(c.getJson("/info").path("ID").asText()).isNotEmpty();
        }
        // DNS:localhost is in the certificate too
        assertThat(apiVersion(env("tcp://localhost:" + tls.port(), d, "DOCKER_TLS_VERIFY", "1"))).matches("1\\.\\d+");
    }

    @Test
    void withoutAClientCertificate() {
        Path d = pki.certDir("ca-only", goodCa, null, null);
        assertThat(failure(env(tlsHost(), d, "DOCKER_TLS_VERIFY", "1"))).isEqualTo(
            "the daemon requires a client certificate issued by CN=bulwark-tls-ca; none is configured"
                + " (no cert.pem and key.pem in DOCKER_CERT_PATH; or pass --tlscert and --tlskey)");
    }

    @Test
    void aClientCertificateFromAnotherCa() {
        Path key = pki.key("stranger", KeyKind.PKCS8_EC);
        Path cert = pki.issue("stranger", "other", key, "stranger", "extendedKeyUsage=clientAuth");
        Path d = pki.certDir("stranger", goodCa, cert, key);
        assertThat(failure(env(tlsHost(), d, "DOCKER_TLS_VERIFY", "1"))).isEqualTo(
            "the daemon requires a client certificate issued by CN=bulwark-tls-ca; " + d.resolve("cert.pem")
                + " is issued by CN=bulwark-other-ca, a CA the daemon does not accept");
    }

    /** A CA of the same name with another key (a regenerated CA): the daemon asks for its name, then rejects the signature. */
    @Test
    void aClientCertificateFromAnImpostorCa() {
        pki.ca("impostor", "bulwark-tls-ca");
        Path key = pki.key("impostor-client", KeyKind.PKCS8_EC);
        Path cert = pki.issue("impostor-client", "impostor", key, "impostor-client", "extendedKeyUsage=clientAuth");
        Path d = pki.certDir("impostor", goodCa, cert, key);
        assertThat(failure(env(tlsHost(), d, "DOCKER_TLS_VERIFY", "1"))).isEqualTo(
            "the daemon rejected the client certificate " + d.resolve("cert.pem")
                + " (CN=impostor-client, issued by CN=bulwark-tls-ca): TLS alert bad_certificate");
    }

    @Test
    void aDaemonCertificateFromAnotherCa() {
        Path good = clientDirs.get(KeyKind.PKCS8_RSA);
        Path d = pki.certDir("untrusting", tmp.resolve("pki/other.pem"), good.resolve("cert.pem"), good.resolve("key.pem"));
        assertThat(failure(env(tlsHost(), d, "DOCKER_TLS_VERIFY", "1"))).isEqualTo(
            "the daemon's certificate (CN=bulwark-tls-server, issued by CN=bulwark-tls-ca) is not signed by a CA in "
                + d.resolve("ca.pem") + ": not trusted");
    }

    @Test
    void aHostTheDaemonCertificateDoesNotName() {
        String host = "tcp://127.0.0.2:" + tlsOtherIp.port();
        assertThat(failure(env(host, clientDirs.get(KeyKind.SEC1_EC), "DOCKER_TLS_VERIFY", "1"))).isEqualTo(
            "the daemon's certificate is valid for IP:127.0.0.1, DNS:localhost, not for 127.0.0.2 (the host connected to):"
                + " host name mismatch");
    }

    @Test
    void plainHttpToTheTlsDaemon() {
        assertThat(failure(env(tlsHost(), null))).isEqualTo(
            "the daemon speaks TLS on this port and refused plain HTTP: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH"
                + " (a directory with ca.pem, cert.pem, key.pem), or pass --tlsverify");
    }

    @Test
    void tlsToAPlainHttpDaemon() throws Exception {
        String host = "tcp://127.0.0.1:" + plain.port();
        // the same daemon answers plain HTTP here (its unix socket, relayed to TCP)
        try (DockerClient c = DockerClient.connect(host, Map.of())) {
            assertThat(c.getJson("/version").path("ApiVersion").asText()).matches("1\\.\\d+");
        }
        assertThat(failure(env(host, clientDirs.get(KeyKind.SEC1_EC), "DOCKER_TLS_VERIFY", "1"))).isEqualTo(
            "the daemon at 127.0.0.1:" + plain.port() + " does not speak TLS on this port (it answered in plain text, as a"
                + " plain-HTTP daemon does): connect without TLS (unset DOCKER_TLS_VERIFY and DOCKER_TLS) or use the daemon's TLS port");
    }

    /** DOCKER_TLS without DOCKER_TLS_VERIFY: encrypted, the client certificate presented, the daemon not verified. */
    @Test
    void tlsWithoutVerification() throws Exception {
        Path good = clientDirs.get(KeyKind.PKCS1_RSA);
        Path d = pki.certDir("insecure", tmp.resolve("pki/other.pem"), good.resolve("cert.pem"), good.resolve("key.pem"));
        assertThat(apiVersion(env(tlsHost(), d, "DOCKER_TLS", "1"))).matches("1\\.\\d+");
        assertThat(apiVersion(env("tcp://127.0.0.2:" + tlsOtherIp.port(), d, "DOCKER_TLS", "1"))).matches("1\\.\\d+");
        // but never without being asked: DOCKER_TLS_VERIFY with the wrong CA fails (aDaemonCertificateFromAnotherCa)
    }
}
