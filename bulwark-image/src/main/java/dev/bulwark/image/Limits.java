package dev.bulwark.image;

/**
 * Bounds that keep hostile images from exhausting memory, disk or time.
 *
 * @param maxLayerBytes     uncompressed bytes one layer may expand to (decompression bombs stop here)
 * @param maxEntriesPerLayer entries one layer may hold
 * @param maxMetadataBytes  size of a manifest, index or config document
 */
public record Limits(long maxLayerBytes, long maxEntriesPerLayer, int maxMetadataBytes) {
    public static final Limits DEFAULT = new Limits(64L << 30, 5_000_000, 16 << 20);
}
