package dev.bulwark.image.testenv;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The test environment itself: each real component answers, and the token server works with registry (c). */
class TestComponentsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANIFEST_TYPES = String.join(",",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private HttpResponse<byte[]> get(String url, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .header("Accept", MANIFEST_TYPES);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void privateDockerdHoldsTheTestImages() throws Exception {
        Path sock = TestComponents.requireDocker();
        String reply = dockerGet(sock, "/images/" + TestComponents.appImage() + "/json");
        assertThat(reply).startsWith("HTTP/1.0 200").contains(TestComponents.get("APP_IMAGE_ID"));
        reply = dockerGet(sock, "/images/" + TestComponents.bookwormImage() + "/json");
        assertThat(reply).startsWith("HTTP/1.0 200").contains(TestComponents.get("BOOKWORM_IMAGE_ID"));
    }

    @Test
    void anonymousAndBasicRegistriesServeTheApp() throws Exception {
        TestComponents.requireRegistries();
        String anon = "http://" + TestComponents.registryAnonymous() + "/v2/bulwark-test/app/manifests/1";
        HttpResponse<byte[]> r = get(anon, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Docker-Content-Digest")).contains(TestComponents.get("DIGEST_ANON_APP"));

        String basicUrl = "http://" + TestComponents.registryBasic() + "/v2/bulwark-test/app/manifests/1";
        assertThat(get(basicUrl, null).statusCode()).isEqualTo(401);
        assertThat(get(basicUrl, basic("bulwark", "wrong")).statusCode()).isEqualTo(401);
        assertThat(get(basicUrl, basic(TestComponents.registryUser(), TestComponents.registryPassword())).statusCode())
            .isEqualTo(200);
    }

    @Test
    void multiPlatformIndexHasAmd64AndArm64() throws Exception {
        TestComponents.requireRegistry(TestComponents.registryAnonymous());
        HttpResponse<byte[]> r = get("http://" + TestComponents.registryAnonymous()
            + "/v2/bulwark-test/multi/manifests/1", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode index = JSON.readTree(r.body());
        assertThat(index.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(index.path("manifests").findValuesAsText("architecture")).containsExactly("amd64", "arm64");
    }

    @Test
    void tokenServerIssuesTokensTheRegistryAccepts() throws Exception {
        TestComponents.requireRegistry(TestComponents.registryToken());
        TokenServer ts = TestComponents.tokenServer();
        String manifestUrl = "http://" + TestComponents.registryToken() + "/v2/bulwark-test/app/manifests/1";

        HttpResponse<byte[]> challenge = get(manifestUrl, null);
        assertThat(challenge.statusCode()).isEqualTo(401);
        assertThat(challenge.headers().firstValue("WWW-Authenticate").orElse(""))
            .contains("Bearer realm=\"" + TestComponents.tokenRealm() + "\"")
            .contains("service=\"" + TestComponents.tokenService() + "\"");

        String tokenUrl = TestComponents.tokenRealm() + "?service=" + TestComponents.tokenService()
            + "&scope=" + URLEncoder.encode("repository:bulwark-test/app:pull", StandardCharsets.UTF_8);
        assertThat(get(tokenUrl, basic("bulwark", "wrong")).statusCode()).isEqualTo(401);
        assertThat(get(tokenUrl, null).statusCode()).isEqualTo(401);

        HttpResponse<byte[]> tokenReply = get(tokenUrl,
            basic(TestComponents.registryUser(), TestComponents.registryPassword()));
        assertThat(tokenReply.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(tokenReply.body());
        String token = body.path("token").asText();
        assertThat(body.path("access_token").asText()).isEqualTo(token);
        assertThat(body.path("expires_in").asInt()).isEqualTo(300);

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertThat(header.path("alg").asText()).isEqualTo("ES256");
        assertThat(header.path("x5c")).hasSize(2);
        assertThat(Base64.getUrlDecoder().decode(parts[2])).hasSize(64);
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.path("aud").asText()).isEqualTo(TestComponents.tokenService());
        assertThat(claims.path("access").get(0).path("name").asText()).isEqualTo("bulwark-test/app");

        HttpResponse<byte[]> m = get(manifestUrl, "Bearer " + token);
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("Docker-Content-Digest")).contains(TestComponents.get("DIGEST_TOKEN_APP"));
        assertThat(ts.grants()).isNotEmpty();

        // a token for another repository does not open this one
        String other = TestComponents.tokenRealm() + "?service=" + TestComponents.tokenService()
            + "&scope=" + URLEncoder.encode("repository:bulwark-test/bookworm:pull", StandardCharsets.UTF_8);
        String otherToken = JSON.readTree(get(other, basic(TestComponents.registryUser(),
            TestComponents.registryPassword())).body()).path("token").asText();
        assertThat(get(manifestUrl, "Bearer " + otherToken).statusCode()).isEqualTo(401);
    }

    @Test
    void imageArtifactsAndPeersExist() throws Exception {
        TestComponents.requireImages();
        assertThat(TestComponents.rootfsDir().resolve("var/lib/dpkg/status")).content()
            .contains("Package: base-files");
        assertThat(TestComponents.rootfsDir().resolve("dev")).isEmptyDirectory();
        JsonNode zstdIndex = JSON.readTree(TestComponents.appOciZstdLayout().resolve("index.json").toFile());
        String digest = zstdIndex.path("manifests").get(0).path("digest").asText().substring("sha256:".length());
        JsonNode manifest = JSON.readTree(TestComponents.appOciZstdLayout().resolve("blobs/sha256/" + digest).toFile());
        assertThat(manifest.path("layers").findValuesAsText("mediaType"))
            .allMatch(t -> t.equals("application/vnd.oci.image.layer.v1.tar+zstd"));

        Path trivy = TestComponents.trivyPeer();
        Process p = new ProcessBuilder(trivy.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("0.74");
        assertThat(TestComponents.requireTool("skopeo")).isExecutable();
        assertThat(Files.isRegularFile(TestComponents.manifestFile())).isTrue();
    }

    private static String dockerGet(Path sock, String path) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // HTTP/1.0: the daemon closes after the reply
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
    }
}
