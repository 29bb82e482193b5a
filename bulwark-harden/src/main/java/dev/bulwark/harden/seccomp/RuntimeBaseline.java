package dev.bulwark.harden.seccomp;

import java.util.List;

/**
 * Syscalls the runtime makes after it has loaded the filter and before the workload's own first instruction, so a
 * learned profile must allow them although strace never sees the workload make them. Observed with
 * {@code strace -f runc run} (runc 1.1, {@code noNewPrivileges: true}, where runc loads the filter last): between
 * {@code prctl(PR_SET_SECCOMP)} and {@code execve} runc's init
 * <ul>
 *   <li>signals "ready" through the exec FIFO: {@code openat} of /proc/self/fd/N, {@code write}, {@code close};</li>
 *   <li>closes inherited descriptors by listing /proc/self/fd: {@code openat}, {@code fstatfs}, {@code getdents64},
 *       {@code fcntl}, {@code epoll_ctl} (Go's poller), {@code getpid}, {@code fstat}, {@code newfstatat};</li>
 *   <li>and its Go runtime keeps scheduling meanwhile: {@code futex}, {@code nanosleep}, {@code epoll_pwait},
 *       {@code sched_yield}, {@code rt_sigreturn}, {@code rt_sigprocmask}, {@code sigaltstack}, {@code tgkill},
 *       {@code gettid}, {@code getpid}, {@code mmap}, {@code munmap}, {@code madvise}, {@code exit},
 *       {@code exit_group};</li>
 *   <li>then {@code execve} the workload.</li>
 * </ul>
 * With {@code noNewPrivileges: false} runc loads the filter before dropping privileges, and the profile would also
 * need capget, capset, prctl, setgroups, setresuid, setresgid and friends; Bulwark's bundles always set it.
 */
final class RuntimeBaseline {
    static final List<String> RUNC = List.of(
            "close", "epoll_ctl", "epoll_pwait", "execve", "exit", "exit_group", "fcntl", "fstat", "fstatfs", "futex",
            "getdents64", "getpid", "gettid", "madvise", "mmap", "munmap", "nanosleep", "newfstatat", "openat",
            "rt_sigprocmask", "rt_sigreturn", "sched_yield", "sigaltstack", "tgkill", "write");

    private RuntimeBaseline() {}
}
