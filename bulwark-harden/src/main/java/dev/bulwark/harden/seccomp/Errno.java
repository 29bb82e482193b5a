package dev.bulwark.harden.seccomp;

import java.util.Map;

/** Names of the errnos profiles use, for explanations ("EPERM" reads better than 1). */
final class Errno {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(4, "EINTR"), Map.entry(5, "EIO"),
            Map.entry(9, "EBADF"), Map.entry(12, "ENOMEM"), Map.entry(13, "EACCES"), Map.entry(14, "EFAULT"),
            Map.entry(16, "EBUSY"), Map.entry(22, "EINVAL"), Map.entry(38, "ENOSYS"), Map.entry(95, "EOPNOTSUPP"),
            Map.entry(97, "EAFNOSUPPORT"));

    private Errno() {}

    static String name(int errno) {
        String n = NAMES.get(errno);
        return n == null ? "errno " + errno : n;
    }
}
