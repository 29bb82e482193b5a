package dev.bulwark.scan;

import dev.bulwark.model.BulwarkException;

/** A scan that could not complete (the image itself failed to read is an ImageException instead). */
public class ScanException extends BulwarkException {
    public ScanException(String where, String message, Throwable cause) {
        super(where, message, cause);
    }
}
