package dev.bulwark.image;

import dev.bulwark.model.ImageInfo;

import java.io.Closeable;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * An image from wherever it lives. Open one with {@link ImageSources#open}.
 */
public interface ImageSource extends Closeable {
    /** Manifest and config facts, known once the source is open (no layer has been read yet). */
    ImageInfo info();

    /**
     * Streams the layers at {@code indexes} (positions in {@code info().layers()}) once each, decompressing on the
     * fly and verifying every digest and size. Sources with random access read layers concurrently on
     * {@code executor}; a stream-only source (a Docker Engine export) reads them in stream order. The visitor for a
     * layer may be called on any thread; visitors of different layers may run at the same time.
     *
     * A stream-only source may read layers not asked for (they come in the same stream); the handler is told.
     */
    void walkLayers(List<Integer> indexes, LayerHandler handler, ExecutorService executor)
            throws ImageException, InterruptedException;

    /**
     * The image config document as this source read it (checked against {@code info().imageId()} where the source
     * has a digest to check), with the values {@link ImageInfo#config()} leaves out: ENV and LABEL values, exact
     * argument vectors, the history. Null for a source without one (a root filesystem). The caller must not modify it.
     */
    default byte[] configDocument() {
        return null;
    }

    /** Whether a layer's analysis may be cached under its diffID (false for a live root filesystem). */
    default boolean cacheable() {
        return true;
    }

    @Override
    void close();
}
