package dev.bulwark.harden.seccomp;

import java.util.Objects;

/**
 * What the filter does with one call.
 *
 * @param errno  the errno an ERRNO (or the message a TRACE) returns; null for other actions
 * @param rule   index of the deciding entry in the profile's {@code syscalls}, or -1 for the default action, or -2
 *               when the call's architecture is not in the filter
 * @param reason one sentence: which rule, which conditions
 */
public record Verdict(Action action, Integer errno, int rule, String reason) {
    public static final int DEFAULT = -1;
    public static final int BAD_ARCH = -2;

    public Verdict {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
    }

    /** Whether the call runs (ALLOW, or LOG which allows and logs). */
    public boolean allowed() {
        return action.runs();
    }

    /** "SCMP_ACT_ERRNO (EPERM)", "SCMP_ACT_ALLOW". */
    public String summary() {
        return action.scmpName() + (errno == null ? "" : " (" + Errno.name(errno) + ")");
    }
}
