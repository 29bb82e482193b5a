package dev.bulwark.model;

/**
 * One layer of an image.
 *
 * @param index     position, 0 = base
 * @param diffId    digest of the uncompressed tar (null for an unpacked root filesystem)
 * @param digest    digest of the blob as stored (compressed); may equal diffId
 * @param size      blob size in bytes, or -1 when unknown
 * @param mediaType the blob's media type
 * @param createdBy the history entry that made it (Dockerfile instruction), or null
 */
public record LayerInfo(int index, Digest diffId, Digest digest, long size, String mediaType, String createdBy) {
}
