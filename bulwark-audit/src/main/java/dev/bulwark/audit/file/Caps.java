package dev.bulwark.audit.file;

import java.util.Locale;
import java.util.Set;

/** Linux capabilities: Docker's default set and the ones that break isolation. */
final class Caps {
    /** What Docker (and containerd's default spec) grants a container unless told otherwise. */
    static final Set<String> DOCKER_DEFAULT = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID",
            "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
    /** Capabilities that give a way out of the container or control over the host. */
    static final Set<String> DANGEROUS = Set.of("ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_MODULE", "SYS_PTRACE",
            "SYS_RAWIO", "SYS_BOOT", "SYS_TIME", "DAC_READ_SEARCH", "BPF", "PERFMON", "MAC_ADMIN", "MAC_OVERRIDE",
            "SYSLOG", "LINUX_IMMUTABLE", "SYS_RESOURCE", "CHECKPOINT_RESTORE");

    private Caps() {
    }

    /** "cap_sys_admin" → "SYS_ADMIN". */
    static String normalize(String cap) {
        String c = cap.strip().toUpperCase(Locale.ROOT);
        return c.startsWith("CAP_") ? c.substring(4) : c;
    }
}
