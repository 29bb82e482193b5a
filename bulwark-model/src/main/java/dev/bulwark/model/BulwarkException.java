package dev.bulwark.model;

/**
 * Root of Bulwark's checked exceptions. Every subclass says what went wrong and where (a file, a layer, an
 * entry, a URL), so the CLI can print one line without a stack trace.
 */
public abstract class BulwarkException extends Exception {
    private final String where;

    protected BulwarkException(String where, String message, Throwable cause) {
        super(message, cause);
        this.where = where;
    }

    /** The object the problem is in: a path, a reference, a layer digest. May be empty. */
    public String where() {
        return where == null ? "" : where;
    }

    /** One line for a user: "where: message". */
    public String oneLine() {
        String msg = getMessage() == null ? getClass().getSimpleName() : getMessage();
        return where().isEmpty() ? msg : where() + ": " + msg;
    }
}
