package dev.bulwark.image;

import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageRef;
import dev.bulwark.model.Platform;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The write path of {@link Registry} (blob upload, manifest PUT, tag list) against the three real registries. */
class RegistryPushIT {
    private static SourceOptions opts(RegistryCredentials c, Platform p) {
        return new SourceOptions(p, c, false, null, Map.of());
    }

    private static RegistryCredentials good() {
        return new RegistryCredentials(TestComponents.registryUser(), TestComponents.registryPassword());
    }

    /** Pushes config + one layer + an OCI manifest; checks every step reads back byte for byte. */
    private static void roundTrip(String registry, RegistryCredentials c) throws Exception {
        String repo = registry + "/trust-test/push-" + UUID.randomUUID().toString().substring(0, 8);
        Registry r = Registry.open(ImageRef.parse(repo + ":a"), opts(c, null));
        assertThat(r.tags()).isEmpty();
        assertThat(r.manifestIfPresent("a")).isNull();
        byte[] layer = "some layer".getBytes(StandardCharsets.UTF_8);
        Digest ld = r.putBlob(layer);
        assertThat(ld).isEqualTo(Digest.sha256(layer));
        assertThat(r.putBlob(layer)).isEqualTo(ld); // already there: skipped, same answer
        byte[] cfg = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + ld + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        Digest cd = r.putBlob(cfg);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + cd + "\",\"size\":" + cfg.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + ld + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        Digest md = r.putManifest("a", manifest, "application/vnd.oci.image.manifest.v1+json");
        assertThat(md).isEqualTo(Digest.sha256(manifest));
        RegistryManifest back = r.manifestIfPresent("a");
        assertThat(back.body()).isEqualTo(manifest);
        assertThat(back.isIndex()).isFalse();
        assertThat(r.blob(cd, (long) cfg.length)).isEqualTo(cfg);
        assertThat(r.resolve("a").digest()).isEqualTo(md);
        assertThat(r.resolve(md.toString()).digest()).isEqualTo(md);
        assertThat(r.tags()).containsExactly("a");
    }

    @Test
    void pushToAnonymousBasicAndTokenRegistries() throws Exception {
        roundTrip(TestComponents.requireRegistry(TestComponents.registryAnonymous()), null);
        roundTrip(TestComponents.requireRegistry(TestComponents.registryBasic()), good());
        TestComponents.tokenServer();
        roundTrip(TestComponents.requireRegistry(TestComponents.registryToken()), good());
    }

    @Test
    void pushWithoutOrWithWrongCredentialsIsRefused() {
        String repo = TestComponents.requireRegistry(TestComponents.registryBasic()) + "/trust-test/denied:a";
        assertThatThrownBy(() -> Registry.open(ImageRef.parse(repo), opts(null, null)).putBlob(new byte[]{1}))
                .isInstanceOf(ImageException.class).hasMessageContaining("username and password");
        assertThatThrownBy(() -> Registry.open(ImageRef.parse(repo), opts(new RegistryCredentials("bulwark", "wrong"), null)).putBlob(new byte[]{1}))
                .isInstanceOf(ImageException.class).hasMessageContaining("access denied");
    }

    @Test
    void resolveChecksTheIndexOffersThePlatform() throws Exception {
        Map<String, String> m = TestComponents.manifest();
        ImageRef multi = ImageRef.parse(m.get("REF_ANON_MULTI"));
        Registry.Resolved amd = Registry.open(multi, opts(null, Platform.parse("linux/amd64"))).resolve("1");
        assertThat(amd.index()).isTrue();
        assertThat(amd.digest()).isEqualTo(Digest.parse(m.get("DIGEST_ANON_MULTI")));
        Registry.Resolved arm = Registry.open(multi, opts(null, Platform.parse("linux/arm64"))).resolve("1");
        assertThat(arm.digest()).isEqualTo(amd.digest());
        assertThat(arm.platformDigest()).isNotEqualTo(amd.platformDigest());
        assertThatThrownBy(() -> Registry.open(multi, opts(null, Platform.parse("linux/riscv64"))).resolve("1"))
                .hasMessageContaining("no manifest for platform linux/riscv64");
    }
}
