package dev.bulwark.policy;

import dev.bulwark.model.BulwarkException;

/**
 * A policy or a test file that cannot be used: unreadable, malformed YAML, a rule whose CEL condition does not
 * compile. {@link #where()} is {@code file:line} (or just the file), and the message names the rule when the
 * problem is inside one, so {@link #oneLine()} reads {@code policy.yaml:12: rule no-root: condition: ...}.
 */
public class PolicyException extends BulwarkException {
    public PolicyException(String where, String message, Throwable cause) {
        super(where == null ? null : where.replaceAll("\\p{Cntrl}", "?"), oneLineOf(message), cause);
    }

    /** A problem at a line of a file (1-based; 0 or less: the file as a whole). */
    static PolicyException at(String file, int line, String message) {
        return new PolicyException(line > 0 ? file + ":" + line : file, message, null);
    }

    static String oneLineOf(String s) {
        if (s == null) return "invalid";
        String t = s.replaceAll("\\s*[\\r\\n]+\\s*", " ").replaceAll("\\p{Cntrl}", "?").strip();
        return t.length() > 400 ? t.substring(0, 400) + "…" : t;
    }
}
