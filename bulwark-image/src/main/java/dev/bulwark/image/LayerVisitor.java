package dev.bulwark.image;

import java.io.IOException;
import java.io.InputStream;

/**
 * Receives a layer's entries in archive order. Whiteouts are reported as such, never as entries: a whiteout hides
 * the path in lower layers; an opaque directory hides everything lower layers put under it.
 */
public interface LayerVisitor {
    /**
     * One entry. For {@link EntryType#FILE} {@code content} streams the file's bytes and is valid only during the
     * call (reading it is optional); for other types it is null.
     */
    void entry(LayerEntry entry, InputStream content) throws IOException;

    /** {@code path} was deleted by this layer ({@code .wh.<name>}). */
    default void whiteout(String path) {
    }

    /** Everything lower layers put under {@code dir} is hidden ({@code .wh..wh..opq}). */
    default void opaque(String dir) {
    }

    /** A part of the layer that could not be read (an unreadable file in a root filesystem); the walk goes on. */
    default void warning(String message) {
    }
}
