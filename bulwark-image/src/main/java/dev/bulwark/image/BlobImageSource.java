package dev.bulwark.image;

import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.LayerInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A source whose layer blobs can each be opened on their own (archive, layout, registry): layers are read
 * concurrently, each verified against its blob digest and size and its diffID.
 */
abstract class BlobImageSource implements ImageSource {
    protected final Limits limits;
    private ImageInfo info;

    BlobImageSource(Limits limits) {
        this.limits = limits;
    }

    private byte[] configDocument;

    /** @param configDocument the config blob as read and verified, for {@link #configDocument()} */
    protected final void setInfo(ImageInfo info, byte[] configDocument) {
        this.info = info;
        this.configDocument = configDocument;
    }

    @Override
    public byte[] configDocument() {
        return configDocument;
    }

    @Override
    public ImageInfo info() {
        return info;
    }

    /** Opens the layer's blob as stored (compressed or not). */
    protected abstract InputStream openBlob(LayerInfo layer) throws IOException, ImageException;

    /** Whether the stored blob is verified by its own digest (false when only the diffID is known). */
    protected boolean blobDigestKnown() {
        return true;
    }

    @Override
    public void walkLayers(List<Integer> indexes, LayerHandler handler, ExecutorService executor)
            throws ImageException, InterruptedException {
        List<Future<?>> futures = new ArrayList<>();
        for (int i : indexes) {
            LayerInfo layer = info.layers().get(i);
            futures.add(executor.submit(() -> {
                try {
                    LayerVisitor v = handler.start(layer);
                    walkOne(layer, v);
                    handler.finished(v, layer);
                } catch (ImageException e) {
                    throw new WrappedImageException(e);
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : futures) f.get();
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable c = e.getCause();
            if (c instanceof WrappedImageException w) throw w.wrapped;
            if (c instanceof UncheckedIOException u)
                throw new ImageException(info.target(), "while reading layers: " + u.getCause().getMessage(), u);
            if (c instanceof RuntimeException r) throw r;
            throw new ImageException(info.target(), "while reading layers: " + c, c);
        }
    }

    void walkOne(LayerInfo layer, LayerVisitor visitor) throws ImageException {
        String where = "layer " + layer.digest();
        try (InputStream raw = openBlob(layer)) {
            // A compressed blob is checked twice: its own digest as stored, and the diffID of what it expands to
            // (the diffID keys the layer cache, so a lying config must not poison it).
            boolean compressed = !layer.digest().equals(layer.diffId());
            Digest blobCheck = blobDigestKnown() ? layer.digest() : null;
            Digest tarCheck = compressed || !blobDigestKnown() ? layer.diffId() : null;
            VerifyingInputStream blob = new VerifyingInputStream(raw, blobCheck, layer.size(), where);
            VerifyingInputStream tar = new VerifyingInputStream(LayerStreams.decompress(blob), tarCheck, -1,
                    "layer " + layer.diffId() + " (uncompressed)");
            try {
                TarLayerWalker.walk(tar, visitor, limits);
                tar.drainAndVerify();
            } catch (IOException e) {
                // A bad blob shows first as bad content; name the root cause if the blob's own digest is wrong.
                blobProblem(blob);
                throw e;
            }
            blob.drainAndVerify();
        } catch (BlobIntegrityException e) {
            throw new ImageException(where, e.getMessage());
        } catch (IOException e) {
            throw new ImageException(where, "cannot read layer: " + describe(e), e);
        }
    }

    private static void blobProblem(VerifyingInputStream blob) throws BlobIntegrityException {
        try {
            blob.drainAndVerify();
        } catch (BlobIntegrityException e) {
            throw e;
        } catch (IOException ignored) {
            // the stream itself broke: the original error says more
        }
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.io.EOFException || (m != null && m.contains("Unexpected end of ZLIB input stream")))
            return "truncated (unexpected end of data)";
        if (e instanceof java.util.zip.ZipException) return "corrupt compressed data: " + m;
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** Carries a checked ImageException out of an executor task. */
    static final class WrappedImageException extends RuntimeException {
        final ImageException wrapped;

        WrappedImageException(ImageException e) {
            super(e.getMessage(), e, false, false);
            this.wrapped = e;
        }
    }
}
