package dev.bulwark.model;

/**
 * How much of an image's layers is dead weight, as dive counts it: bytes of file versions that a later layer
 * overwrote or deleted are in the image (every pull downloads them) but in no container's filesystem.
 *
 * @param totalBytes  sum of the sizes of every regular file in every layer
 * @param wastedBytes bytes of file versions hidden by a later layer (overwritten, deleted, or under an opaque dir)
 * @param cacheBytes  bytes of package-manager caches visible in the final filesystem (apt lists, apk, pip, npm)
 * @param score       1 - wasted/total (1.0 for an empty image): dive's efficiency score
 */
public record ImageEfficiency(long totalBytes, long wastedBytes, long cacheBytes, double score) {
}
