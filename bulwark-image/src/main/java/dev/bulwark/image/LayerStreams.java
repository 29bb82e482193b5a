package dev.bulwark.image;

import com.github.luben.zstd.ZstdInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/** Media types and decompression of layer blobs. */
final class LayerStreams {
    static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";
    private static final Set<String> KNOWN = Set.of(
            DOCKER_LAYER_TAR,
            "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
            "application/vnd.oci.image.layer.v1.tar",
            "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.oci.image.layer.v1.tar+zstd",
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd");

    private LayerStreams() {
    }

    static boolean isKnownLayerType(String mediaType) {
        return mediaType != null && KNOWN.contains(mediaType);
    }

    /**
     * Decompresses by content, not by label: gzip and zstd are recognised by their magic numbers, anything else is
     * read as a plain tar (a mislabelled blob still scans; a corrupt one fails in the tar reader).
     */
    static InputStream decompress(InputStream raw) throws IOException {
        BufferedInputStream in = raw instanceof BufferedInputStream b ? b : new BufferedInputStream(raw, 1 << 16);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            ZstdInputStream z = new ZstdInputStream(in);
            z.setContinuous(false);
            return new BufferedInputStream(z, 1 << 16);
        }
        return in;
    }
}
