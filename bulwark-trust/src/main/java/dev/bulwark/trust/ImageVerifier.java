package dev.bulwark.trust;

import dev.bulwark.image.ImageException;
import dev.bulwark.image.Registry;
import dev.bulwark.image.RegistryManifest;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageRef;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The module's facade for callers that decide (the CLI's verify, the policy engine's authz plugin and admission
 * webhook): is this image signed as the trust policy demands? The answer is computed over the digest the
 * registry serves for the reference, checked against the bytes; a tag is never what is trusted.
 */
public final class ImageVerifier {
    private final TrustPolicy policy;
    private final SourceOptions options;
    private final java.nio.file.Path trustDir;

    public ImageVerifier(TrustPolicy policy, SourceOptions options) {
        this(policy, options, null);
    }

    /** @param trustDir where Notary roots and versions are kept for {@code require: notary} rules (null: none kept) */
    public ImageVerifier(TrustPolicy policy, SourceOptions options, java.nio.file.Path trustDir) {
        this.policy = policy;
        this.options = options;
        this.trustDir = trustDir;
    }

    /**
     * The outcome for one image.
     *
     * @param digest   what the reference resolved to (null when it could not be resolved)
     * @param verified true only when a signature by a policy key over exactly this digest, with the required
     *                 annotations, was found (or the policy's rule says {@code require: none})
     * @param signers  descriptions of the signatures that passed
     * @param reasons  why each signature found was refused, or why there was none
     */
    public record Verification(ImageRef ref, Digest digest, boolean verified, List<String> signers, List<String> reasons) {
        public Verification {
            signers = List.copyOf(signers);
            reasons = List.copyOf(reasons);
        }
    }

    /** Verifies; a registry that cannot be asked is a TrustException (an error, never a pass). */
    public Verification verify(ImageRef ref) throws TrustException {
        TrustPolicy.Rule rule = policy.ruleFor(ref);
        if (rule == null)
            return new Verification(ref, null, false, List.of(), List.of("no trust policy rule matches " + ref.registry() + "/" + ref.repository()));
        if (rule.require().equals("notary")) {
            NotaryVerifier nv = new NotaryVerifier(trustDir, null, java.time.Clock.systemUTC());
            return verifyNotary(ref, nv, NotaryServer.open(rule.notary(), rule.notaryCa(), ref.registry() + "/" + ref.repository()));
        }
        Registry registry = Registry.open(ref, options);
        try {
            Digest digest = registry.resolve(ref.reference()).digest();
            if (rule.require().equals("none"))
                return new Verification(ref, digest, true, List.of("not required by rule '" + rule.match() + "'"), List.of());
            return check(ref, registry, digest, rule.keys(), rule.annotations());
        } catch (ImageException e) {
            throw new TrustException(e.where(), e.getMessage(), e);
        }
    }

    /**
     * Docker Content Trust: the tag's digest according to Notary, and the registry must serve exactly that (its
     * bytes hash to it) under the tag now. A refusal of the trust data is a failed verification with the reason.
     */
    public Verification verifyNotary(ImageRef ref, NotaryVerifier notary, NotaryVerifier.Source source) throws TrustException {
        if (ref.tag() == null || ref.digest() != null)
            throw new TrustException(ref.familiar(), "content trust verifies a tag; give NAME:TAG, not a digest");
        String gun = ref.registry() + "/" + ref.repository();
        NotaryVerifier.Target t;
        try {
            t = notary.verify(gun, ref.tag(), source);
        } catch (TrustRefusal e) {
            return new Verification(ref, null, false, List.of(), List.of(e.oneLine()));
        }
        Registry registry = Registry.open(ref, options);
        try {
            registry.manifest(t.digest().toString()); // fetched by digest: the registry client checks the bytes hash to it
            Digest now = registry.resolve(ref.tag()).digest();
            if (!now.equals(t.digest()))
                return new Verification(ref, now, false, List.of(), List.of("the registry's " + ref.tag() + " is " + now
                        + " but the trust data signs " + t.digest()));
        } catch (ImageException e) {
            throw new TrustException(e.where(), e.getMessage(), e);
        }
        return new Verification(ref, t.digest(), true, List.of("notary " + t.role() + " (root v" + t.rootVersion()
                + (t.trustedFirst() ? ", trusted on first use" : "") + ")"), List.of());
    }

    /** The signatures stored beside an image digest, unverified: cosign's tag for it and how many it holds. */
    public record StoredSignatures(String tag, int count) {
    }

    /**
     * Which signatures the registry keeps for {@code digest} (cosign's {@code sha256-<hex>.sig} tag), without
     * judging them: the image-hygiene view of content trust, where no key is at hand.
     */
    public static StoredSignatures storedSignatures(ImageRef ref, Digest digest, SourceOptions options) throws TrustException {
        Registry registry = Registry.open(ref, options);
        String tag = Cosign.signatureTag(digest);
        try {
            RegistryManifest sigs = registry.manifestIfPresent(tag);
            return new StoredSignatures(tag, sigs == null ? 0 : Cosign.layers(sigs.body(), registry.where() + " " + tag).size());
        } catch (ImageException e) {
            throw new TrustException(e.where(), e.getMessage(), e);
        }
    }

    static Verification check(ImageRef ref, Registry registry, Digest digest, List<PublicKey> keys,
                              Map<String, String> required) throws ImageException, TrustException {
        String tag = Cosign.signatureTag(digest);
        RegistryManifest sigs = registry.manifestIfPresent(tag);
        if (sigs == null) return new Verification(ref, digest, false, List.of(), List.of("no signatures (no " + tag + " tag)"));
        String where = registry.where() + " " + tag;
        List<Cosign.Layer> layers = Cosign.layers(sigs.body(), where);
        if (layers.isEmpty()) return new Verification(ref, digest, false, List.of(), List.of(tag + " holds no signature layers"));
        List<String> ok = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        int i = 0;
        for (Cosign.Layer l : layers) {
            String which = "signature " + i++ + " (payload " + l.digest().shortHex() + ")";
            if (l.size() < 0 || l.size() > SimpleSigning.MAX_BYTES) {
                reasons.add(which + ": payload size " + l.size() + " out of bounds");
                continue;
            }
            byte[] payload = registry.blob(l.digest(), l.size());
            String reason = judge(payload, l.signatureBase64(), digest, keys, required, where);
            if (reason == null) ok.add(which);
            else reasons.add(which + ": " + reason);
        }
        return new Verification(ref, digest, !ok.isEmpty(), ok, reasons);
    }

    /** Null when the payload and signature pass; else the reason they do not. */
    static String judge(byte[] payload, String signatureBase64, Digest digest, List<PublicKey> keys,
                        Map<String, String> required, String where) {
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(signatureBase64 == null ? "" : signatureBase64.strip());
        } catch (IllegalArgumentException e) {
            return "signature annotation is not base64";
        }
        if (sig.length == 0) return "no signature annotation";
        boolean byKey = false;
        for (PublicKey k : keys) byKey |= Cosign.verify(k, payload, sig);
        if (!byKey) return "signature does not verify with " + (keys.size() == 1 ? "the key" : "any of the " + keys.size() + " keys");
        SimpleSigning p;
        try {
            p = SimpleSigning.parse(payload, where);
        } catch (TrustException e) {
            return e.getMessage();
        }
        if (!p.digest().equals(digest)) return "signed for another digest " + p.digest() + ", not " + digest;
        for (var e : required.entrySet()) {
            String have = p.optional().get(e.getKey());
            if (!e.getValue().equals(have))
                return "annotation " + e.getKey() + "=" + e.getValue() + " required, payload has " + (have == null ? "none" : e.getKey() + "=" + have);
        }
        return null;
    }
}
