package dev.bulwark.trust;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.model.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotaryVerifierTest {
    static final String GUN = "127.0.0.1:5000/trust-test/unit";
    @TempDir
    Path trust;

    /** Checks the one line a user sees ("where: what"), not just the message. */
    static org.assertj.core.api.ThrowingConsumer<Throwable> has(String part) {
        return e -> assertThat(((TrustException) e).oneLine()).contains(part).doesNotContain("\n");
    }

    private NotaryVerifier verifier() {
        return new NotaryVerifier(trust, null, Clock.systemUTC());
    }

    private NotaryVerifier.Target verify(Map<String, byte[]> files) throws TrustException {
        return verifier().verify(GUN, "1", TufRepo.source(files));
    }

    @Test
    void validChainNamesTheTagsDigestAndTheRootIsTrustedOnFirstUseOnly() throws Exception {
        TufRepo repo = new TufRepo();
        var t = verify(repo.build());
        assertThat(t.digest()).isEqualTo(Digest.sha256("manifest one".getBytes(StandardCharsets.UTF_8)));
        assertThat(t.role()).isEqualTo("targets");
        assertThat(t.trustedFirst()).isTrue();
        assertThat(verify(repo.build()).trustedFirst()).isFalse();
        assertThatThrownBy(() -> verifier().verify(GUN, "nope", TufRepo.source(repo.build())))
                .isInstanceOf(TrustRefusal.class).satisfies(has("no trust data for tag 'nope'"));
    }

    @Test
    void flippedSignatureByteIsRefused() throws Exception {
        TufRepo repo = new TufRepo();
        Map<String, byte[]> files = repo.build();
        ObjectNode ts = (ObjectNode) TufRepo.JSON.readTree(files.get("timestamp"));
        ObjectNode sig = (ObjectNode) ts.path("signatures").get(0);
        byte[] raw = Base64.getDecoder().decode(sig.path("sig").asText());
        raw[5] ^= 0x01;
        sig.put("sig", Base64.getEncoder().encodeToString(raw));
        files.put("timestamp", ts.toString().getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> verify(files)).isInstanceOf(TrustRefusal.class)
                .satisfies(has("signed by 0 of the role's keys, threshold is 1 (1 signature did not verify)"));
    }

    @Test
    void alteredSignedContentIsRefusedByTheHashAbove() throws Exception {
        Map<String, byte[]> files = new TufRepo().build();
        String targets = new String(files.get("targets"), StandardCharsets.UTF_8);
        files.put("targets", targets.replace("\"version\":1", "\"version\":7").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> verify(files)).isInstanceOf(TrustRefusal.class).satisfies(has("targets.json"))
                .satisfies(has("the file was altered"));
    }

    @Test
    void expiredMetadataIsRefused() {
        TufRepo repo = new TufRepo();
        repo.timestampExpires = Instant.now().minus(1, ChronoUnit.HOURS);
        assertThatThrownBy(() -> verify(repo.build())).isInstanceOf(TrustRefusal.class)
                .satisfies(has("timestamp.json")).satisfies(has("expired on"));
        TufRepo fresh = new TufRepo();
        NotaryVerifier later = new NotaryVerifier(null, null, Clock.fixed(Instant.now().plus(400, ChronoUnit.DAYS), java.time.ZoneOffset.UTC));
        assertThatThrownBy(() -> later.verify(GUN, "1", TufRepo.source(fresh.build()))).satisfies(has("expired on"));
    }

    @Test
    void versionRollbackIsRefused() throws Exception {
        TufRepo repo = new TufRepo();
        Map<String, byte[]> v1 = repo.build();
        repo.targetsVersion = 2;
        repo.snapshotVersion = 2;
        repo.timestampVersion = 2;
        repo.targetsContent.put("1", "manifest two".getBytes(StandardCharsets.UTF_8));
        assertThat(verify(repo.build()).digest()).isEqualTo(Digest.sha256("manifest two".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> verify(v1)).isInstanceOf(TrustRefusal.class)
                .satisfies(has("version 1 is older than version 2 seen before: rollback refused"));
    }

    @Test
    void underThresholdAndForeignSignaturesAreRefused() {
        TufRepo repo = new TufRepo();
        repo.targetsThreshold = 2;
        TufRepo.Key second = TufRepo.Key.ecdsa();
        // threshold 2 needs two keys in the role: root lists only one, so the role itself is unsatisfiable
        assertThatThrownBy(() -> verify(repo.build())).satisfies(has("fewer than its threshold 2"));

        TufRepo other = new TufRepo();
        other.targetsSigners = List.of(second); // signed, but by a key root does not name for targets
        assertThatThrownBy(() -> verify(other.build())).isInstanceOf(TrustRefusal.class)
                .satisfies(has("targets.json")).satisfies(has("signed by 0 of the role's keys, threshold is 1"));

        TufRepo none = new TufRepo();
        none.targetsSigners = List.of();
        assertThatThrownBy(() -> verify(none.build())).satisfies(has("signed by 0 of the role's keys"));
    }

    @Test
    void signatureUnderTheRightKeyIdByAnotherKeyIsRefused() {
        TufRepo repo = new TufRepo();
        TufRepo.Key impostor = TufRepo.Key.ecdsa();
        TufRepo.Key lying = new TufRepo.Key(impostor.pair(), "ecdsa", repo.targets.json(), repo.targets.id());
        repo.targetsSigners = List.of(lying);
        assertThatThrownBy(() -> verify(repo.build())).satisfies(has("(1 signature did not verify)"));
    }

    @Test
    void rootRotationNeedsTheOldRootsSignature() throws Exception {
        TufRepo repo = new TufRepo();
        verify(repo.build()); // trust root v1
        TufRepo.Key oldRoot = repo.root;
        repo.root = TufRepo.Key.ecdsa();
        repo.rootVersion = 2;
        repo.extraRootSigners = List.of(oldRoot);
        assertThat(verify(repo.build()).rootVersion()).isEqualTo(2);

        TufRepo forged = new TufRepo();
        NotaryVerifier v = verifier();
        v.verify("other/gun", "1", TufRepo.source(forged.build()));
        forged.root = TufRepo.Key.ecdsa();
        forged.rootVersion = 2; // signed by the new key only
        assertThatThrownBy(() -> v.verify("other/gun", "1", TufRepo.source(forged.build())))
                .isInstanceOf(TrustRefusal.class).satisfies(has("by the previous root's keys"));

        TufRepo back = new TufRepo();
        back.root = repo.root;
        back.rootVersion = 1;
        assertThatThrownBy(() -> verify(back.build())).satisfies(has("older than the trusted version 2: rollback refused"));
    }

    @Test
    void aPinnedRootRefusesAnotherRepositorysRoot() throws Exception {
        TufRepo mine = new TufRepo();
        byte[] pinned = mine.build().get("root");
        NotaryVerifier v = new NotaryVerifier(null, pinned, Clock.systemUTC());
        assertThat(v.verify(GUN, "1", TufRepo.source(mine.build())).trustedFirst()).isFalse();
        TufRepo theirs = new TufRepo();
        assertThatThrownBy(() -> v.verify(GUN, "1", TufRepo.source(theirs.build()))).isInstanceOf(TrustRefusal.class)
                .satisfies(has("differs from the trusted root"));
    }

    @Test
    void releasesDelegationIsPreferredAndMustBeSignedByItsKey() throws Exception {
        TufRepo repo = new TufRepo();
        repo.releasesContent = Map.of("1", "released".getBytes(StandardCharsets.UTF_8));
        var t = verify(repo.build());
        assertThat(t.role()).isEqualTo("targets/releases");
        assertThat(t.digest()).isEqualTo(Digest.sha256("released".getBytes(StandardCharsets.UTF_8)));
        TufRepo bad = new TufRepo();
        bad.releasesContent = Map.of("1", "x".getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> files = bad.build();
        // re-sign the delegation with a stranger's key, then make snapshot/timestamp consistent again
        TufRepo.Key stranger = TufRepo.Key.ecdsa();
        ObjectNode rel = (ObjectNode) TufRepo.JSON.readTree(files.get("targets/releases"));
        byte[] resigned = TufRepo.envelope((ObjectNode) rel.get("signed"), List.of(stranger));
        bad.releases = new TufRepo.Key(stranger.pair(), "ecdsa", bad.releases.json(), bad.releases.id());
        Map<String, byte[]> again = bad.build();
        assertThat(again.get("targets/releases")).isNotEqualTo(resigned);
        assertThatThrownBy(() -> new NotaryVerifier(null, null, Clock.systemUTC()).verify(GUN, "1", TufRepo.source(again)))
                .satisfies(has("targets/releases.json")).satisfies(has("did not verify"));
    }

    @Test
    void keyIdsAreRecomputedAndMalformedFilesRefusedInOneLine() throws Exception {
        Map<String, byte[]> files = new TufRepo().build();
        String root = new String(files.get("root"), StandardCharsets.UTF_8);
        // swap one key's public value for another key's: its declared ID no longer matches
        TufRepo.Key k = TufRepo.Key.ecdsa();
        ObjectNode r = (ObjectNode) TufRepo.JSON.readTree(root);
        var keys = (ObjectNode) r.path("signed").path("keys");
        String firstId = keys.fieldNames().next();
        keys.set(firstId, k.json());
        files.put("root", r.toString().getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> verify(files)).isInstanceOf(TrustRefusal.class).satisfies(has("does not hash to its ID"));
        for (String junk : List.of("", "{", "[]", "{\"signed\":{},\"signatures\":[]}", "null")) {
            Map<String, byte[]> f = new TufRepo().build();
            f.put("timestamp", junk.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> new NotaryVerifier(null, null, Clock.systemUTC()).verify(GUN, "1", TufRepo.source(f)))
                    .isInstanceOf(TrustRefusal.class).satisfies(e -> assertThat(((TrustException) e).oneLine()).doesNotContain("\n"));
        }
    }

    @Test
    void canonicalJsonIsSortedCompactAndEscapedLikeGo() throws Exception {
        var n = TufRepo.JSON.readTree("{\"b\": 1, \"a\": \"<x>&\\n\\u0001\", \"c\": [true, null, {\"z\":0,\"y\":-5}]}");
        assertThat(new String(CanonicalJson.bytes(n), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":\"\\u003cx\\u003e\\u0026\\n\\u0001\",\"b\":1,\"c\":[true,null,{\"y\":-5,\"z\":0}]}");
    }
}
