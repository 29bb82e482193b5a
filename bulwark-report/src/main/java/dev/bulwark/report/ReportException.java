package dev.bulwark.report;

import dev.bulwark.model.BulwarkException;

/** A document that cannot be read back: not JSON, not a Bulwark inventory, or of a newer schema. */
public final class ReportException extends BulwarkException {
    public ReportException(String where, String message, Throwable cause) {
        super(where, message, cause);
    }
}
