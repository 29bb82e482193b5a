package dev.bulwark.harden;

import dev.bulwark.model.BulwarkException;

/**
 * A profile, log or config that cannot be used as given: malformed JSON or TOML, an unknown syscall, action or
 * capability, a workload that could not be traced. {@code where} is "file:line" when the line is known, so the CLI
 * prints "profile.json:12: unknown action SCMP_ACT_FOO".
 */
public class HardenException extends BulwarkException {
    public HardenException(String where, String message) {
        super(where, message, null);
    }

    public HardenException(String where, String message, Throwable cause) {
        super(where, message, cause);
    }

    /** Jackson's message without its "(start marker at [Source: ...])" tail: the line is in {@code where} already. */
    public static String jacksonMessage(com.fasterxml.jackson.core.JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
        return m.replaceAll("\\s*\\(start marker at \\[Source:.*$", "").replaceAll("[\\r\\n]+", " ").strip();
    }
}
