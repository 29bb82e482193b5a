package dev.bulwark.trust;

import dev.bulwark.image.Registry;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageRef;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** Small images of our own, pushed to a fresh repository under trust-test/ so no other test's image is touched. */
final class TestImages {
    private TestImages() {
    }

    static String freshRepository(String what) {
        String reg = TestComponents.requireRegistry(TestComponents.registryAnonymous());
        return reg + "/trust-test/" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static SourceOptions options() {
        return new SourceOptions(null, null, false, null, Map.of());
    }

    /** Pushes a one-layer OCI image whose content is {@code seed}; returns its manifest digest. */
    static Digest push(String repoAndTag, String seed) throws Exception {
        ImageRef ref = ImageRef.parse(repoAndTag);
        Registry r = Registry.open(ref, options());
        byte[] layer = ("layer " + seed).getBytes(StandardCharsets.UTF_8);
        Digest ld = r.putBlob(layer);
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + ld + "\"]}}";
        byte[] cb = config.getBytes(StandardCharsets.UTF_8);
        Digest cd = r.putBlob(cb);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + cd + "\",\"size\":" + cb.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + ld + "\",\"size\":" + layer.length + "}]}";
        return r.putManifest(ref.tag(), manifest.getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.manifest.v1+json");
    }
}
