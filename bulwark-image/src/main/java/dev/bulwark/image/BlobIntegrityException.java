package dev.bulwark.image;

import java.io.IOException;

/**
 * Thrown from inside a stream when content breaks a promise: wrong digest, wrong size, a limit passed, a hostile
 * entry. An IOException so it can cross stream APIs; turned into an {@link ImageException} at the source boundary.
 */
final class BlobIntegrityException extends IOException {
    BlobIntegrityException(String message) {
        super(message);
    }
}
