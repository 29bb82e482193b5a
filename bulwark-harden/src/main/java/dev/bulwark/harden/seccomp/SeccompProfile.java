package dev.bulwark.harden.seccomp;

import java.util.List;
import java.util.Objects;

/**
 * A Docker / OCI seccomp profile. Docker's own files use {@code archMap}; OCI runtime configs (and profiles made for
 * one host) use {@code architectures}: a profile has one or the other, as Docker requires.
 *
 * @param defaultErrnoRet errno of an ERRNO default action; null means EPERM
 * @param flags           {@code SECCOMP_FILTER_FLAG_*} names, passed through
 */
public record SeccompProfile(Action defaultAction, Integer defaultErrnoRet, List<Arch> architectures,
                             List<ArchMapping> archMap, List<String> flags, List<SyscallRule> syscalls) {
    public static final int EPERM = 1;

    public SeccompProfile {
        Objects.requireNonNull(defaultAction, "defaultAction");
        architectures = architectures == null ? List.of() : List.copyOf(architectures);
        archMap = archMap == null ? List.of() : List.copyOf(archMap);
        flags = flags == null ? List.of() : List.copyOf(flags);
        syscalls = syscalls == null ? List.of() : List.copyOf(syscalls);
        if (!architectures.isEmpty() && !archMap.isEmpty()) {
            throw new IllegalArgumentException("a profile has either architectures or archMap, not both");
        }
    }

    /** The allow-list shape learned profiles take: everything not listed fails with EPERM. */
    public static SeccompProfile allowList(List<Arch> architectures, List<String> names) {
        List<SyscallRule> rules = names.isEmpty() ? List.of() : List.of(SyscallRule.of(names, Action.ALLOW, null));
        return new SeccompProfile(Action.ERRNO, EPERM, architectures, List.of(), List.of(), rules);
    }

    SeccompProfile withSyscalls(List<SyscallRule> rules) {
        return new SeccompProfile(defaultAction, defaultErrnoRet, architectures, archMap, flags, rules);
    }

    SeccompProfile withArchitectures(List<Arch> arches) {
        return new SeccompProfile(defaultAction, defaultErrnoRet, arches, archMap, flags, syscalls);
    }

    /** The errno the default action returns (EPERM unless the profile says otherwise). */
    public int defaultErrno() {
        return defaultErrnoRet == null ? EPERM : defaultErrnoRet;
    }
}
