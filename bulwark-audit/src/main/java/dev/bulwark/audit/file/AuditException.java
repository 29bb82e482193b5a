package dev.bulwark.audit.file;

import dev.bulwark.model.BulwarkException;

/**
 * A file that cannot be audited at all: missing, too large, not text, malformed (YAML that does not parse, a
 * Dockerfile with an unknown instruction), hostile (too many YAML aliases) or of none of the kinds Bulwark audits.
 * {@link #where()} is the file and, when known, the line and column ({@code "compose.yaml:12:5"});
 * {@link #oneLine()} is {@code "compose.yaml:12:5: what"}, one line for a user, never a stack trace.
 */
public final class AuditException extends BulwarkException {
    public AuditException(String where, String message, Throwable cause) {
        super(where, oneLineOf(message), cause);
    }

    /** A problem at a line (1-based; 0 or less: the file as a whole). */
    static AuditException at(String file, int line, String message) {
        return new AuditException(line > 0 ? file + ":" + line : file, message, null);
    }

    /** A problem at a line and column (both 1-based; a column of 0 or less is left out). */
    static AuditException at(String file, int line, int column, String message, Throwable cause) {
        String where = line > 0 ? file + ":" + line + (column > 0 ? ":" + column : "") : file;
        return new AuditException(where, message, cause);
    }

    private static String oneLineOf(String s) {
        if (s == null) return "cannot be audited";
        String t = s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }
}
