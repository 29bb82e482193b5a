package dev.bulwark.cli;

import dev.bulwark.image.SourceOptions;
import dev.bulwark.model.HygieneFinding;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.ImageRef;
import dev.bulwark.model.Severity;
import dev.bulwark.trust.ImageVerifier;
import dev.bulwark.trust.TrustException;

/**
 * The image-hygiene side of content trust (CIS 4.5): does the registry keep a signature beside the image's digest?
 * Composed here because the scanner may not see bulwark-trust. Only registry images have a place for signatures;
 * whether a signature is good is `bulwark verify`'s question (it needs a key), not this one.
 */
final class ContentTrustCheck {
    static final String CHECK_ID = "CIS-4.5";

    private ContentTrustCheck() {
    }

    /**
     * A finding when the registry holds no signature for the image's digest; null when it holds one or the image is
     * not from a registry.
     *
     * @throws TrustException when the registry cannot be asked (a warning for the caller, never a pass or a finding)
     */
    static HygieneFinding check(ImageInfo image, SourceOptions options) throws TrustException {
        if (!"registry".equals(image.kind()) || image.manifestDigest() == null || !image.target().startsWith("registry:")) return null;
        ImageRef ref = ImageRef.parse(image.target().substring("registry:".length()));
        ImageVerifier.StoredSignatures sigs = ImageVerifier.storedSignatures(ref, image.manifestDigest(), options);
        if (sigs.count() > 0) return null;
        return new HygieneFinding(CHECK_ID, "Content trust: the image is signed", Severity.LOW, "registry", null,
                "no signature for " + image.manifestDigest() + " (no " + sigs.tag() + " tag in " + ref.registry() + "/"
                        + ref.repository() + ")",
                "sign the digest (bulwark sign IMAGE --key KEY, or cosign sign) and require it where images run"
                        + " (bulwark verify, or signed(image) in the authz / admission policy)");
    }
}
