package dev.bulwark.trust;

import dev.bulwark.image.ImageException;
import dev.bulwark.image.Registry;
import dev.bulwark.image.RegistryManifest;
import dev.bulwark.model.Digest;

import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Signs what a reference names, by digest, and stores the signature beside the image the way cosign does: the
 * payload as a blob, the signature in the layer's annotation, the manifest under the {@code sha256-<hex>.sig} tag
 * (signatures already there are kept: a second signer adds a layer).
 */
public final class Signer {
    private Signer() {
    }

    /**
     * @param digest       the signed manifest (or index) digest
     * @param signatureTag where the signature manifest is stored
     * @param payload      the exact signed bytes
     */
    public record Signed(Digest digest, String signatureTag, Digest payloadDigest, byte[] payload) {
    }

    public static Signed sign(Registry registry, PrivateKey key, Map<String, String> annotations) throws TrustException {
        try {
            Digest digest = registry.resolve(registry.ref().reference()).digest();
            String repo = registry.ref().registry() + "/" + registry.ref().repository();
            byte[] payload = new SimpleSigning(repo, digest, annotations).toJson();
            byte[] signature = Cosign.sign(key, payload);
            Digest payloadDigest = registry.putBlob(payload);
            Cosign.Layer mine = new Cosign.Layer(payloadDigest, payload.length, Base64.getEncoder().encodeToString(signature));
            String tag = Cosign.signatureTag(digest);
            List<Cosign.Layer> layers = new ArrayList<>();
            RegistryManifest existing = registry.manifestIfPresent(tag);
            if (existing != null) layers.addAll(Cosign.layers(existing.body(), registry.where() + " " + tag));
            layers.add(mine);
            byte[] config = Cosign.config(layers);
            registry.putBlob(config);
            registry.putManifest(tag, Cosign.manifest(config, layers), Cosign.OCI_MANIFEST);
            return new Signed(digest, tag, payloadDigest, payload);
        } catch (ImageException e) {
            throw new TrustException(e.where(), e.getMessage(), e);
        }
    }
}
