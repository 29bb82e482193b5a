package dev.bulwark.harden.seccomp;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * "May a container with these capabilities, on this host, call this syscall with these arguments?"
 *
 * @param syscall the name
 * @param arch    the ABI the call is made in (a 32-bit program on a 64-bit host calls in {@link Arch#X86})
 * @param host    the machine's architecture, which selects the archMap entry and Docker's includes/excludes.arches;
 *                null means "the archMap entry that holds {@code arch}", else {@code arch} itself
 * @param caps    the container's bounding set, as {@code CAP_SYS_ADMIN} (Docker's default set when built with
 *                {@link #dockerDefaultCaps()})
 * @param kernel  the host kernel for minKernel conditions, e.g. "6.1"; null means this machine's kernel
 * @param args    six argument values (unsigned 64-bit in a long), missing ones 0
 */
public record SyscallQuery(String syscall, Arch arch, Arch host, Set<String> caps, String kernel, long[] args) {
    /** The capabilities Docker gives a container unless told otherwise (moby's oci/caps defaults). */
    public static Set<String> dockerDefaultCaps() {
        return Set.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
                "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
                "CAP_KILL", "CAP_AUDIT_WRITE");
    }

    public SyscallQuery {
        Objects.requireNonNull(syscall, "syscall");
        Objects.requireNonNull(arch, "arch");
        Set<String> normal = new LinkedHashSet<>();
        for (String c : caps == null ? Set.<String>of() : caps) normal.add(normalizeCap(c));
        caps = Set.copyOf(normal);
        long[] a = new long[6];
        if (args != null) {
            if (args.length > 6) throw new IllegalArgumentException("a syscall has at most 6 arguments");
            System.arraycopy(args, 0, a, 0, args.length);
        }
        args = a;
        if (kernel != null && !KernelVersion.valid(kernel)) throw new IllegalArgumentException("not a kernel version: " + kernel);
    }

    public static SyscallQuery of(String syscall, Arch arch, Set<String> caps, long... args) {
        return new SyscallQuery(syscall, arch, null, caps, null, args);
    }

    public SyscallQuery withKernel(String k) {
        return new SyscallQuery(syscall, arch, host, caps, k, args);
    }

    public SyscallQuery withHost(Arch h) {
        return new SyscallQuery(syscall, arch, h, caps, kernel, args);
    }

    /** {@code sys_admin}, {@code CAP_SYS_ADMIN} and {@code cap_sys_admin} are one capability. */
    public static String normalizeCap(String c) {
        String u = c.strip().toUpperCase(Locale.ROOT);
        return u.startsWith("CAP_") ? u : "CAP_" + u;
    }

    @Override
    public long[] args() {
        return args.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyscallQuery q && syscall.equals(q.syscall) && arch == q.arch && host == q.host
                && caps.equals(q.caps) && Objects.equals(kernel, q.kernel) && Arrays.equals(args, q.args);
    }

    @Override
    public int hashCode() {
        return Objects.hash(syscall, arch, host, caps, kernel, Arrays.hashCode(args));
    }

    @Override
    public String toString() {
        return syscall + "@" + arch.token() + " caps=" + caps + " args=" + Arrays.toString(args);
    }
}
