package dev.bulwark.docker;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The docker CLI's TLS settings rules, and the failures found before or without a TLS daemon. */
class DockerTlsTest {
    @TempDir
    Path tmp;

    private Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("HOME", tmp.resolve("home").toString());
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void noTlsUnlessAsked() throws Exception {
        assertThat(DockerTls.fromEnvironment(env())).isNull();
        assertThat(DockerTls.fromEnvironment(env("DOCKER_TLS_VERIFY", "", "DOCKER_TLS", ""))).isNull();
        // the flags for files do not turn TLS on (the docker CLI ignores them without --tls/--tlsverify)
        assertThat(DockerTls.resolve(env(), null, null, tmp.resolve("ca.pem"), null, null)).isNull();
        assertThat(DockerTls.resolve(env("DOCKER_TLS", "1"), false, null, null, null, null)).isNull();
    }

    @Test
    void verifyFromTheEnvironment() throws Exception {
        Path home = tmp.resolve("home/.docker");
        // any non-empty value turns verification on, "0" too, as in the docker CLI
        for (String v : new String[]{"1", "0", "yes"}) {
            assertThat(DockerTls.fromEnvironment(env("DOCKER_TLS_VERIFY", v)))
                .isEqualTo(new DockerTls(home.resolve("ca.pem"), null, null, true));
        }
        Path certs = Files.createDirectories(tmp.resolve("certs"));
        Files.writeString(certs.resolve("cert.pem"), "x");
        Files.writeString(certs.resolve("key.pem"), "x");
        assertThat(DockerTls.fromEnvironment(env("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString())))
            .isEqualTo(DockerTls.verified(certs));
        // DOCKER_CONFIG is the default certificate directory when DOCKER_CERT_PATH is unset
        assertThat(DockerTls.fromEnvironment(env("DOCKER_TLS_VERIFY", "1", "DOCKER_CONFIG", certs.toString())))
            .isEqualTo(DockerTls.verified(certs));
    }

    @Test
    void tlsWithoutVerification() throws Exception {
        DockerTls t = DockerTls.fromEnvironment(env("DOCKER_TLS", "1"));
        assertThat(t.verify()).isFalse();
        assertThat(t.cert()).isNull();
        // --tlsverify=false given at all means TLS without verification, as in the docker CLI
        assertThat(DockerTls.resolve(env(), null, false, null, null, null).verify()).isFalse();
        // the --tlsverify flag wins over DOCKER_TLS_VERIFY
        assertThat(DockerTls.resolve(env("DOCKER_TLS_VERIFY", "1"), null, false, null, null, null).verify()).isFalse();
    }

    @Test
    void flagsOverTheEnvironment() throws Exception {
        Path a = tmp.resolve("a.pem");
        Path b = tmp.resolve("b.pem");
        Path c = tmp.resolve("c.pem");
        assertThat(DockerTls.resolve(env("DOCKER_CERT_PATH", "/nowhere"), null, true, a, b, c)).isEqualTo(new DockerTls(a, b, c, true));
    }

    @Test
    void aCertificateWithoutItsKey() throws Exception {
        Path certs = Files.createDirectories(tmp.resolve("half"));
        Files.writeString(certs.resolve("cert.pem"), "x");
        assertThatThrownBy(() -> DockerTls.fromEnvironment(env("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString())))
            .isInstanceOf(DockerException.class)
            .satisfies(e -> assertThat(((DockerException) e).oneLine()).isEqualTo(certs.resolve("key.pem")
                + ": client key not found, but there is a client certificate " + certs.resolve("cert.pem")
                + " (put its key.pem beside it or pass --tlskey)"));
        assertThatThrownBy(() -> new DockerTls(null, tmp, null, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingFilesAreNamed() {
        Path certs = tmp.resolve("empty");
        assertThatThrownBy(() -> DockerClient.connect("tcp://127.0.0.1:1",
                Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString())))
            .isInstanceOf(DockerException.class)
            .satisfies(e -> assertThat(((DockerException) e).oneLine()).isEqualTo(certs.resolve("ca.pem")
                + ": CA certificate (the daemon's certificate is verified against it; set DOCKER_CERT_PATH or --tlscacert) not found"));
        assertThatThrownBy(() -> DockerClient.connect("tcp://127.0.0.1:1",
                new DockerTls(null, tmp.resolve("c.pem"), tmp.resolve("k.pem"), false)))
            .isInstanceOf(DockerException.class).hasMessageStartingWith("client certificate").hasMessageEndingWith("not found");
    }

    @Test
    void hosts() throws Exception {
        assertThatThrownBy(() -> DockerClient.connect("unix:///var/run/docker.sock", new DockerTls(null, null, null, false)))
            .isInstanceOf(DockerException.class).hasMessageContaining("TLS settings given for a unix socket");
        for (String bad : new String[]{"tcp://", "tcp://:2376", "tcp://host:99999", "tcp://host:port", "tcp://a b:1", "ssh://host",
                                       "tcp://::1:2376", "tcp://user@host:1", "tcp://host:1?x=1"}) {
            assertThatThrownBy(() -> DockerClient.connect(bad, Map.of())).as(bad).isInstanceOf(DockerException.class);
        }
        // TLS on and DOCKER_HOST unset: tcp://localhost:2376, as the docker CLI (no request is made here)
        try (DockerClient c = DockerClient.fromEnvironment(Map.of("DOCKER_TLS", "1"))) {
            assertThat(c.host()).isEqualTo("tcp://localhost:2376");
            assertThat(c.tls()).isEqualTo(new DockerTls(Path.of(System.getProperty("user.home"), ".docker", "ca.pem"), null, null, false));
        }
        // a unix socket is plain whatever the environment says
        Path sock = Files.createFile(tmp.resolve("docker.sock"));
        try (DockerClient c = DockerClient.connect("unix://" + sock, Map.of("DOCKER_TLS_VERIFY", "1"))) {
            assertThat(c.tls()).isNull();
        }
        try (DockerClient c = DockerClient.connect("tcp://[::1]:2376", Map.of("DOCKER_TLS", "1"))) {
            assertThat(c.tls().verify()).isFalse();
        }
        try (DockerClient c = DockerClient.connect("https://docker.example:8443", Map.of())) {
            assertThat(c.tls()).isEqualTo(new DockerTls(null, null, null, true));
        }
    }

    /** Plain HTTP over tcp:// still works (a real HTTP server: the JDK's). TLS to a plain daemon is in DockerTlsIT. */
    @Test
    void plainTcp() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            byte[] body = "{\"ApiVersion\":\"1.41\"}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        try (DockerClient plain = DockerClient.connect("tcp://127.0.0.1:" + server.getAddress().getPort(), Map.of())) {
            assertThat(plain.tls()).isNull();
            assertThat(plain.getJson("/version").path("ApiVersion").asText()).isEqualTo("1.41");
        } finally {
            server.stop(0);
        }
    }
}
