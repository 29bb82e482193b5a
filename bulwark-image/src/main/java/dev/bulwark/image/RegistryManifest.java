package dev.bulwark.image;

import dev.bulwark.model.Digest;

/**
 * A manifest or index exactly as the registry served it: the bytes are what the digest covers, so signatures and
 * pins are made over these and never over a re-serialised copy.
 */
public record RegistryManifest(byte[] body, String mediaType, Digest digest) {
    /** True for an OCI index or a Docker manifest list. */
    public boolean isIndex() {
        return ImageDocuments.INDEX_TYPES.contains(mediaType) || (mediaType == null || mediaType.isEmpty()) && looksLikeIndex();
    }

    private boolean looksLikeIndex() {
        try {
            return ImageDocuments.isIndex(ImageDocuments.parse(body, dev.bulwark.image.json.ManifestJson.class, "manifest", "manifest"));
        } catch (ImageException e) {
            return false;
        }
    }
}
