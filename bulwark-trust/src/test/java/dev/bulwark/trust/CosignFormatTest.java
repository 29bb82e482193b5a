package dev.bulwark.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.model.Digest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CosignFormatTest {
    static final Digest D = Digest.parse("sha256:7e8e3aacaa735afa5145f0eefa3819134976df8cf708407676d3ff4c4c7fbcf0");
    static final Digest OTHER = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));

    private static byte[] resource(String name) throws Exception {
        try (var in = CosignFormatTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void payloadHasCosignsLayoutAndTag() throws Exception {
        byte[] json = new SimpleSigning("127.0.0.1:5000/a/b", D, Map.of("team", "x")).toJson();
        JsonNode n = new ObjectMapper().readTree(json);
        assertThat(n.path("critical").path("identity").path("docker-reference").asText()).isEqualTo("127.0.0.1:5000/a/b");
        assertThat(n.path("critical").path("image").path("docker-manifest-digest").asText()).isEqualTo(D.toString());
        assertThat(n.path("critical").path("type").asText()).isEqualTo("cosign container image signature");
        assertThat(n.path("optional").path("team").asText()).isEqualTo("x");
        assertThat(new ObjectMapper().readTree(new SimpleSigning("r/x", D, Map.of()).toJson()).get("optional").isNull()).isTrue();
        assertThat(Cosign.signatureTag(D)).isEqualTo("sha256-7e8e3aacaa735afa5145f0eefa3819134976df8cf708407676d3ff4c4c7fbcf0.sig");
    }

    @Test
    void signatureManifestIsAnOciManifestWithTheAnnotatedPayloadLayer() throws Exception {
        var layer = new Cosign.Layer(Digest.sha256(new byte[]{1}), 1, "c2ln");
        byte[] config = Cosign.config(List.of(layer));
        JsonNode m = new ObjectMapper().readTree(Cosign.manifest(config, List.of(layer)));
        assertThat(m.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(m.path("config").path("digest").asText()).isEqualTo(Digest.sha256(config).toString());
        JsonNode l = m.path("layers").get(0);
        assertThat(l.path("mediaType").asText()).isEqualTo("application/vnd.dev.cosign.simplesigning.v1+json");
        assertThat(l.path("annotations").path("dev.cosignproject.cosign/signature").asText()).isEqualTo("c2ln");
        assertThat(Cosign.layers(Cosign.manifest(config, List.of(layer)), "t")).containsExactly(layer);
    }

    /** A payload in cosign's layout, signed by openssl dgst -sha256 -sign (base64 DER), as cosign's EXAMPLES.md pairs them. */
    @Test
    void verifiesTheOpensslSignedVector() throws Exception {
        byte[] payload = resource("vector-payload.json");
        String sig = new String(resource("vector-payload.sig"), StandardCharsets.US_ASCII);
        PublicKey pub = Keys.parsePublic(new String(resource("openssl-p256.pub"), StandardCharsets.US_ASCII), "vector");
        assertThat(ImageVerifier.judge(payload, sig, D, List.of(pub), Map.of("team", "bulwark"), "v")).isNull();
        assertThat(ImageVerifier.judge(payload, sig, OTHER, List.of(pub), Map.of(), "v")).contains("another digest");
        assertThat(ImageVerifier.judge(payload, sig, D, List.of(pub), Map.of("team", "other"), "v")).contains("annotation team=other required");
        assertThat(ImageVerifier.judge(payload, sig, D, List.of(Keys.generate().getPublic()), Map.of(), "v")).contains("does not verify");
        byte[] tampered = payload.clone();
        tampered[tampered.length - 3] ^= 1;
        assertThat(ImageVerifier.judge(tampered, sig, D, List.of(pub), Map.of(), "v")).contains("does not verify");
        byte[] raw = Base64.getDecoder().decode(sig);
        raw[raw.length - 1] ^= 1;
        assertThat(ImageVerifier.judge(payload, Base64.getEncoder().encodeToString(raw), D, List.of(pub), Map.of(), "v")).contains("does not verify");
        assertThat(ImageVerifier.judge(payload, "%%%", D, List.of(pub), Map.of(), "v")).contains("not base64");
        assertThat(ImageVerifier.judge(payload, "", D, List.of(pub), Map.of(), "v")).contains("no signature");
    }

    @Test
    void aValidSignatureOverAPayloadOfAnotherTypeIsRefused() {
        KeyPair kp = Keys.generate();
        byte[] p = ("{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"" + D
                + "\"},\"type\":\"something else\"},\"optional\":null}").getBytes(StandardCharsets.UTF_8);
        String sig = Base64.getEncoder().encodeToString(Cosign.sign(kp.getPrivate(), p));
        assertThat(ImageVerifier.judge(p, sig, D, List.of(kp.getPublic()), Map.of(), "v")).contains("not 'cosign container image signature'");
    }

    @Property(tries = 200)
    void payloadRoundTrips(@ForAll("repos") String repo, @ForAll("annotations") Map<String, String> ann) throws Exception {
        SimpleSigning s = new SimpleSigning(repo, D, ann);
        SimpleSigning back = SimpleSigning.parse(s.toJson(), "p");
        assertThat(back).isEqualTo(s);
        KeyPair kp = KEY;
        String sig = Base64.getEncoder().encodeToString(Cosign.sign(kp.getPrivate(), s.toJson()));
        assertThat(ImageVerifier.judge(s.toJson(), sig, D, List.of(kp.getPublic()), ann, "p")).isNull();
    }

    private static final KeyPair KEY = Keys.generate();

    @Property(tries = 500)
    void fuzzedPayloadsAreRefusedInOneLine(@ForAll byte[] junk) {
        try {
            SimpleSigning.parse(junk, "fuzz");
        } catch (TrustException e) {
            assertThat(e.oneLine()).startsWith("fuzz: ").doesNotContain("\n");
        }
    }

    @Property(tries = 300)
    void truncatedPayloadsNeverParseAsAnotherDigest(@ForAll("cut") int cut) throws Exception {
        byte[] full = new SimpleSigning("r/x", D, Map.of("a", "b")).toJson();
        byte[] part = java.util.Arrays.copyOf(full, Math.min(cut, full.length - 1));
        assertThatThrownBy(() -> SimpleSigning.parse(part, "t")).isInstanceOf(TrustException.class);
    }

    @Provide
    Arbitrary<Integer> cut() {
        return Arbitraries.integers().between(0, 400);
    }

    @Provide
    Arbitrary<String> repos() {
        return Arbitraries.strings().withChars("abcxyz0123456789./:-").ofMinLength(1).ofMaxLength(60);
    }

    @Provide
    Arbitrary<Map<String, String>> annotations() {
        return Arbitraries.maps(Arbitraries.strings().ofMinLength(1).ofMaxLength(20), Arbitraries.strings().ofMaxLength(40)).ofMaxSize(5);
    }
}
