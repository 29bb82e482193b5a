package dev.bulwark.image;

import dev.bulwark.model.LayerInfo;

/** Receives the layers of one {@link ImageSource#walkLayers} call. Methods may be called from several threads. */
public interface LayerHandler {
    /**
     * A visitor for a layer about to be read. {@code layer} is null when the source learns which layer it is
     * reading only at the end (a Docker Engine export names layers by legacy ids, so only the content's digest
     * tells); {@link #finished} then says.
     */
    LayerVisitor start(LayerInfo layer);

    /** The layer {@code visitor} read was complete and verified. */
    void finished(LayerVisitor visitor, LayerInfo layer);
}
