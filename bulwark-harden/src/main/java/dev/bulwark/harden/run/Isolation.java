package dev.bulwark.harden.run;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How thick the wall between a workload and the host is, weakest first: containers share the host's kernel, the
 * sandbox puts gVisor's user-space kernel between them (a kernel bug must now be in gVisor and then in the few host
 * calls gVisor makes), the VM gives the workload a kernel of its own behind QEMU.
 */
public enum Isolation {
    /** runc: namespaces, cgroups, seccomp, capabilities on the host kernel. */
    CONTAINER,
    /** runsc (gVisor) on the same OCI bundle. */
    SANDBOX,
    /** QEMU micro-VM with its own kernel; the image's root shared over virtio-9p. */
    VM;

    /** The level's name as the CLI and policies spell it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this level is at least as strong as {@code other}. */
    public boolean atLeast(Isolation other) {
        return compareTo(other) >= 0;
    }

    /** container, sandbox or vm (any case); anything else is refused with the choices. */
    public static Isolation parse(String s) {
        for (Isolation i : values()) if (i.id().equalsIgnoreCase(s == null ? "" : s.strip())) return i;
        throw new IllegalArgumentException("isolation " + s + ": one of " + Arrays.stream(values()).map(Isolation::id).collect(Collectors.joining(", ")));
    }
}
