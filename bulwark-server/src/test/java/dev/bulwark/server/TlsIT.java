package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.server.store.Store;
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
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from PEM files as openssl (and Kubernetes TLS secrets) write them; a key that is not PKCS#8 is one clear line. */
class TlsIT {
    @TempDir
    Path tmp;

    @Test
    void theApiSpeaksHttpsWithAPemCertificate() throws Exception {
        Path openssl = TestComponents.requireTool("openssl");
        Path key = tmp.resolve("tls.key");
        Path crt = tmp.resolve("tls.crt");
        run(openssl.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(),
                "-out", crt.toString(), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, true, 0, Duration.ofSeconds(10), Duration.ofSeconds(1),
                new dev.bulwark.vulndb.DbLocation.Embedded(tmp.resolve("vulndb")), null, null, false, false, false, crt, key,
                ServerConfig.DEFAULT_MAX_BODY, null);
        try (BulwarkServer server = BulwarkServer.start(cfg, Store.open(tmp.resolve("store").toString(), null, null, 2), Map.of(), System.err::println)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(crt)) {
                trust.setCertificateEntry("srv", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ok\n");
            HttpResponse<String> unauth = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/api/v1/images")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unauth.statusCode()).isEqualTo(401);
            // no CORS unless configured
            assertThat(unauth.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
        // a traditional EC key (BEGIN EC PRIVATE KEY) is refused with the command that converts it
        Path ecKey = tmp.resolve("ec.key");
        run(openssl.toString(), "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ecKey.toString());
        ServerConfig bad = new ServerConfig("127.0.0.1", 0, true, 0, Duration.ofSeconds(10), Duration.ofSeconds(1),
                new dev.bulwark.vulndb.DbLocation.Embedded(tmp.resolve("vulndb")), null, null, false, false, false, crt, ecKey,
                ServerConfig.DEFAULT_MAX_BODY, null);
        assertThatThrownBy(() -> BulwarkServer.start(bad, Store.open(tmp.resolve("store2").toString(), null, null, 2), Map.of(), System.err::println))
                .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.oneLine()).contains("PKCS#8").contains("openssl pkcs8").doesNotContain("\n"));
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new AssertionError(String.join(" ", cmd) + ": " + out);
    }
}
