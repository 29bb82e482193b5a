package dev.bulwark.harden.seccomp;

import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code syscalls}: what happens to the named calls when every argument comparison holds (a rule
 * with no {@code args} applies to every call of those names), on the hosts and containers its conditions admit.
 *
 * @param errnoRet the errno of an ERRNO action (EPERM when null), the message of TRACE
 * @param comment  kept as written; never affects a decision
 */
public record SyscallRule(List<String> names, Action action, Integer errnoRet, List<ArgRule> args, String comment,
                          Condition includes, Condition excludes) {
    public SyscallRule {
        names = List.copyOf(Objects.requireNonNull(names, "names"));
        Objects.requireNonNull(action, "action");
        args = args == null ? List.of() : List.copyOf(args);
        comment = comment == null || comment.isEmpty() ? null : comment;
        includes = includes == null ? Condition.NONE : includes;
        excludes = excludes == null ? Condition.NONE : excludes;
    }

    /** An unconditional rule: no arguments, no includes, no excludes. */
    public static SyscallRule of(List<String> names, Action action, Integer errnoRet) {
        return new SyscallRule(names, action, errnoRet, List.of(), null, Condition.NONE, Condition.NONE);
    }

    /** True when the rule has no argument comparisons and no includes or excludes. */
    public boolean unconditional() {
        return args.isEmpty() && includes.isEmpty() && excludes.isEmpty();
    }

    SyscallRule withNames(List<String> n) {
        return new SyscallRule(n, action, errnoRet, args, comment, includes, excludes);
    }
}
