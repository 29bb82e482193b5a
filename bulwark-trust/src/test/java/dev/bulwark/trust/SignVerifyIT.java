package dev.bulwark.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.bulwark.image.Registry;
import dev.bulwark.image.RegistryManifest;
import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sign and verify against the real loopback docker-registry (distribution 2.8), in a repository of our own. */
class SignVerifyIT {
    @TempDir
    Path dir;

    private static ImageVerifier verifier(List<java.security.PublicKey> keys, Map<String, String> ann) {
        return new ImageVerifier(TrustPolicy.ofKeys(keys, ann), TestImages.options());
    }

    @Test
    void signedDigestVerifiesAndOpensslAgreesWithTheSignature() throws Exception {
        String repo = TestImages.freshRepository("sign");
        Digest d = TestImages.push(repo + ":1", "one");
        KeyPair kp = Keys.generate();
        ImageRef ref = ImageRef.parse(repo + ":1");
        Signer.Signed s = Signer.sign(Registry.open(ref, TestImages.options()), kp.getPrivate(), Map.of("env", "prod"));
        assertThat(s.digest()).isEqualTo(d);
        assertThat(s.signatureTag()).isEqualTo("sha256-" + d.hex() + ".sig");

        ImageVerifier.Verification v = verifier(List.of(kp.getPublic()), Map.of("env", "prod")).verify(ref);
        assertThat(v.verified()).isTrue();
        assertThat(v.digest()).isEqualTo(d);
        assertThat(verifier(List.of(kp.getPublic()), Map.of()).verify(ImageRef.parse(repo + "@" + d)).verified()).isTrue();

        // What is stored is cosign's layout: an OCI manifest whose layer is the payload, signature in the annotation.
        Registry r = Registry.open(ref, TestImages.options());
        RegistryManifest sig = r.manifest(s.signatureTag());
        JsonNode m = new ObjectMapper().readTree(sig.body());
        JsonNode layer = m.path("layers").get(0);
        assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.dev.cosign.simplesigning.v1+json");
        byte[] payload = r.blob(Digest.parse(layer.path("digest").asText()), layer.path("size").asLong());
        assertThat(new ObjectMapper().readTree(payload).path("critical").path("image").path("docker-manifest-digest").asText()).isEqualTo(d.toString());

        // An independent implementation checks the same bytes: openssl dgst -sha256 -verify.
        Path openssl = TestComponents.requireTool("openssl");
        Files.writeString(dir.resolve("k.pub"), Keys.publicPem(kp.getPublic()));
        Files.write(dir.resolve("payload"), payload);
        Files.write(dir.resolve("sig"), Base64.getDecoder().decode(layer.path("annotations").path("dev.cosignproject.cosign/signature").asText()));
        Process p = new ProcessBuilder(openssl.toString(), "dgst", "-sha256", "-verify", dir.resolve("k.pub").toString(),
                "-signature", dir.resolve("sig").toString(), dir.resolve("payload").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        assertThat(out).contains("Verified OK");
    }

    @Test
    void wrongKeyMissingAnnotationAndUnsignedImagesAreRefused() throws Exception {
        String repo = TestImages.freshRepository("refuse");
        TestImages.push(repo + ":1", "r");
        KeyPair kp = Keys.generate();
        ImageRef ref = ImageRef.parse(repo + ":1");
        assertThat(verifier(List.of(kp.getPublic()), Map.of()).verify(ref).reasons()).singleElement().asString().contains("no signatures");
        Signer.sign(Registry.open(ref, TestImages.options()), kp.getPrivate(), Map.of("env", "dev"));
        var other = verifier(List.of(Keys.generate().getPublic()), Map.of()).verify(ref);
        assertThat(other.verified()).isFalse();
        assertThat(other.reasons()).singleElement().asString().contains("does not verify");
        var ann = verifier(List.of(kp.getPublic()), Map.of("env", "prod")).verify(ref);
        assertThat(ann.verified()).isFalse();
        assertThat(ann.reasons()).singleElement().asString().contains("annotation env=prod required, payload has env=dev");
    }

    @Test
    void aSignatureMovedToAnotherDigestIsRefusedAndASecondSignerIsKept() throws Exception {
        String repo = TestImages.freshRepository("moved");
        Digest first = TestImages.push(repo + ":1", "first");
        KeyPair a = Keys.generate(), b = Keys.generate();
        ImageRef ref = ImageRef.parse(repo + ":1");
        Registry r = Registry.open(ref, TestImages.options());
        Signer.sign(r, a.getPrivate(), Map.of());
        Signer.sign(r, b.getPrivate(), Map.of());
        var both = verifier(List.of(a.getPublic(), b.getPublic()), Map.of()).verify(ref);
        assertThat(both.signers()).hasSize(2);
        assertThat(verifier(List.of(b.getPublic()), Map.of()).verify(ref).verified()).isTrue();

        // The tag moves to another image; someone copies the old signatures to the new digest's .sig tag.
        Digest second = TestImages.push(repo + ":1", "second");
        assertThat(second).isNotEqualTo(first);
        RegistryManifest old = r.manifest(Cosign.signatureTag(first));
        r.putManifest(Cosign.signatureTag(second), old.body(), old.mediaType());
        var v = verifier(List.of(a.getPublic(), b.getPublic()), Map.of()).verify(ref);
        assertThat(v.verified()).isFalse();
        assertThat(v.digest()).isEqualTo(second);
        assertThat(v.reasons()).hasSize(2).allSatisfy(s -> assertThat(s).contains("signed for another digest " + first));
    }

    /** A registry (here: a loopback proxy in front of the real one) that serves other bytes than the digest asked for. */
    @Test
    void aRegistryAnsweringAnotherDigestIsAnError() throws Exception {
        String repo = TestImages.freshRepository("liar");
        Digest d = TestImages.push(repo + ":1", "honest");
        TestImages.push(repo + ":other", "other");
        KeyPair kp = Keys.generate();
        Signer.sign(Registry.open(ImageRef.parse(repo + ":1"), TestImages.options()), kp.getPrivate(), Map.of());
        String upstream = "http://" + TestComponents.registryAnonymous();
        String path = repo.substring(repo.indexOf('/') + 1);
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HttpClient http = HttpClient.newHttpClient();
        proxy.createContext("/", ex -> {
            String p = ex.getRequestURI().getRawPath();
            if (p.endsWith("/manifests/" + d)) p = p.replace("/manifests/" + d, "/manifests/other"); // the lie
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + p)).method(ex.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
            String accept = ex.getRequestHeaders().getFirst("Accept");
            if (accept != null) b.header("Accept", accept);
            try {
                HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                r.headers().firstValue("Content-Type").ifPresent(ct -> ex.getResponseHeaders().set("Content-Type", ct));
                boolean head = ex.getRequestMethod().equals("HEAD");
                ex.sendResponseHeaders(r.statusCode(), head || r.body().length == 0 ? -1 : r.body().length);
                if (!head) ex.getResponseBody().write(r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ex.close();
            }
        });
        proxy.start();
        try {
            String via = "127.0.0.1:" + proxy.getAddress().getPort() + "/" + path;
            assertThatThrownBy(() -> verifier(List.of(kp.getPublic()), Map.of()).verify(ImageRef.parse(via + "@" + d)))
                    .isInstanceOf(TrustException.class)
                    .satisfies(e -> assertThat(((TrustException) e).oneLine()).contains("manifest digest mismatch: asked for " + d));
            // through the proxy the honest tag still verifies: the proxy itself is not what is refused
            assertThat(verifier(List.of(kp.getPublic()), Map.of()).verify(ImageRef.parse(via + ":1")).verified()).isTrue();
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void pinResolvesRealImagesToWhatDockerPullRecords() throws Exception {
        Map<String, String> m = TestComponents.manifest();
        Path df = dir.resolve("Dockerfile");
        String text = "# base images\nFROM " + m.get("REF_ANON_MULTI") + " AS multi\nFROM " + m.get("REF_ANON_APP") + "\nCMD [\"x\"]\n";
        Files.writeString(df, text);
        Pinner.Plan p = new Pinner(TestImages.options()).plan(df);
        assertThat(p.edits()).extracting(Pinner.Edit::digest).containsExactly(Digest.parse(m.get("DIGEST_ANON_MULTI")),
                Digest.parse(m.get("DIGEST_ANON_APP")));
        assertThat(p.edits().get(0).index()).isTrue();
        assertThat(p.edits().get(1).index()).isFalse();
        Pinner.write(p);
        assertThat(Files.readString(df)).isEqualTo("# base images\nFROM " + m.get("REF_ANON_MULTI") + "@" + m.get("DIGEST_ANON_MULTI")
                + " AS multi\nFROM " + m.get("REF_ANON_APP") + "@" + m.get("DIGEST_ANON_APP") + "\nCMD [\"x\"]\n");

        Files.writeString(df, "FROM --platform=linux/s390x " + m.get("REF_ANON_MULTI") + "\n");
        assertThatThrownBy(() -> new Pinner(TestImages.options()).plan(df)).isInstanceOf(TrustException.class)
                .satisfies(e -> assertThat(((TrustException) e).oneLine()).contains("no manifest for platform linux/s390x")
                        .contains("linux/amd64"));
        Files.writeString(df, "FROM " + TestComponents.registryAnonymous() + "/trust-test/absent-image:1\n");
        assertThatThrownBy(() -> new Pinner(TestImages.options()).plan(df)).satisfies(e ->
                assertThat(((TrustException) e).oneLine()).startsWith(df + ":1: ").contains("no such image or tag"));
    }
}
