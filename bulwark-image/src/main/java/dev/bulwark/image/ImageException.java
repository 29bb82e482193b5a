package dev.bulwark.image;

import dev.bulwark.model.BulwarkException;

/** Any problem reading an image: missing, malformed, hostile or unreachable input. */
public class ImageException extends BulwarkException {
    public ImageException(String where, String message) {
        super(where, message, null);
    }

    public ImageException(String where, String message, Throwable cause) {
        super(where, message, cause);
    }
}
