package dev.bulwark.match.suppress;

import dev.bulwark.model.BulwarkException;

/**
 * An ignore file or VEX document that cannot be used at all: missing, too large, not text, not JSON or YAML, or of a
 * format Bulwark does not read. {@link #where()} names the file and, when known, the line ("vex.json:12:5");
 * {@link #oneLine()} is the message for a user. Problems with single entries of an otherwise readable file are
 * warnings, not exceptions.
 */
public final class SuppressionException extends BulwarkException {
    public SuppressionException(String where, String message, Throwable cause) {
        super(where, message, cause);
    }
}
