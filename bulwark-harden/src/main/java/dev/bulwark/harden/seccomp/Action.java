package dev.bulwark.harden.seccomp;

import java.util.Optional;

/**
 * What the filter does with a syscall. {@link #precedence()} is the kernel's order when several filters (or, in
 * Bulwark's evaluation, several rules) answer for one call: the most restrictive wins.
 */
public enum Action {
    KILL_PROCESS("SCMP_ACT_KILL_PROCESS", 7),
    /** {@code SCMP_ACT_KILL}: libseccomp's older name for killing the thread. */
    KILL("SCMP_ACT_KILL", 6),
    KILL_THREAD("SCMP_ACT_KILL_THREAD", 6),
    TRAP("SCMP_ACT_TRAP", 5),
    ERRNO("SCMP_ACT_ERRNO", 4),
    NOTIFY("SCMP_ACT_NOTIFY", 3),
    TRACE("SCMP_ACT_TRACE", 2),
    LOG("SCMP_ACT_LOG", 1),
    ALLOW("SCMP_ACT_ALLOW", 0);

    private final String scmpName;
    private final int precedence;

    Action(String scmpName, int precedence) {
        this.scmpName = scmpName;
        this.precedence = precedence;
    }

    public String scmpName() {
        return scmpName;
    }

    public int precedence() {
        return precedence;
    }

    /** Whether the call goes through (logged or not). */
    public boolean runs() {
        return this == ALLOW || this == LOG;
    }

    /** Whether the action carries a number: the errno of ERRNO, the tracer's message of TRACE. */
    public boolean takesErrno() {
        return this == ERRNO || this == TRACE;
    }

    public static Optional<Action> parse(String s) {
        for (Action a : values()) {
            if (a.scmpName.equals(s)) return Optional.of(a);
        }
        return Optional.empty();
    }
}
