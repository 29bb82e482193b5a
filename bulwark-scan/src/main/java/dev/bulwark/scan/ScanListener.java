package dev.bulwark.scan;

import dev.bulwark.model.LayerInfo;

/** Progress of a scan, for a progress bar. Called from worker threads. */
public interface ScanListener {
    ScanListener NONE = new ScanListener() {
    };

    /** The scan will look at {@code layers} layers, {@code cached} of them already known. */
    default void started(int layers, int cached) {
    }

    default void layerDone(LayerInfo layer, boolean fromCache) {
    }
}
