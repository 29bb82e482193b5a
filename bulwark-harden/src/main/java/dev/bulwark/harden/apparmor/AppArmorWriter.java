package dev.bulwark.harden.apparmor;

import java.util.List;

/**
 * Writes an AppArmor profile in the spirit of Docker's docker-default: all file access except what the config takes
 * away, no mounts, the kernel's control files under /proc and /sys out of reach, signals and ptrace only within the
 * profile; then bane's sections narrow it (read-only, audited and writable paths, which programs run, capabilities,
 * socket families). Every path is quoted, so globs work and no value can start a new rule.
 */
final class AppArmorWriter {
    private AppArmorWriter() {}

    static String write(BaneConfig c, String source) {
        StringBuilder b = new StringBuilder();
        b.append("# AppArmor profile ").append(c.name()).append(", written by Bulwark");
        if (source != null && !source.isEmpty()) b.append(" from ").append(source.replaceAll("\\p{Cntrl}", "?"));
        b.append(".\n# Load it with: apparmor_parser -r -W FILE; use it with: docker run --security-opt apparmor=")
                .append(c.name()).append('\n');
        b.append("#include <tunables/global>\n\n");
        b.append("profile ").append(c.name()).append(" flags=(attach_disconnected,mediate_deleted) {\n");
        b.append("  #include <abstractions/base>\n\n");

        b.append("  # Network: the inet protocols listed, raw and packet sockets only when asked for.\n");
        for (String p : c.protocols()) {
            b.append("  network inet ").append(p).append(",\n");
            // apparmor_parser 3.0 has no "inet6 icmp" (ICMPv6 is another protocol number): icmp is IPv4's.
            if (!p.equals("icmp")) b.append("  network inet6 ").append(p).append(",\n");
        }
        b.append(c.raw() ? "  network raw,\n" : "  deny network raw,\n");
        b.append(c.packet() ? "  network packet,\n" : "  deny network packet,\n");
        b.append('\n');

        b.append("  # Files: everything not denied below");
        if (c.allowExec().isEmpty()) {
            b.append(".\n  file,\n");
        } else {
            b.append(", and only the programs listed may run.\n  /** rwlkm,\n");
            for (String p : c.allowExec()) b.append("  ").append(q(p)).append(" ix,\n");
        }
        b.append("  umount,\n  deny mount,\n");
        section(b, "Read-only paths: no writes, no links.", c.readOnlyPaths(), "deny %s wl,");
        section(b, "Writes to these are audited.", c.logOnWritePaths(), "audit %s w,");
        section(b, "Writable paths.", c.writablePaths(), "%s rw,");
        section(b, "Denied programs (and every other access to them).", c.denyExec(), "deny %s mrwklx,");
        b.append('\n');

        b.append("  # The kernel's knobs: no writes to /proc's top files, other processes' entries or sysctls outside\n");
        b.append("  # kernel.shm*; nothing at all of sysrq-trigger and kcore; /sys read-only except cgroupfs.\n");
        b.append("  deny @{PROC}/* w,\n");
        b.append("  deny @{PROC}/{[^1-9],[^1-9][^0-9],[^1-9s][^0-9y][^0-9s],[^1-9][^0-9][^0-9][^0-9]*}/** w,\n");
        b.append("  deny @{PROC}/sys/[^k]** w,\n");
        b.append("  deny @{PROC}/sys/kernel/{?,??,[^s][^h][^m]**} w,\n");
        b.append("  deny @{PROC}/sysrq-trigger rwklx,\n");
        b.append("  deny @{PROC}/kcore rwklx,\n");
        b.append("  deny /sys/[^f]*/** wklx,\n");
        b.append("  deny /sys/f[^s]*/** wklx,\n");
        b.append("  deny /sys/fs/[^c]*/** wklx,\n");
        b.append("  deny /sys/fs/c[^g]*/** wklx,\n");
        b.append("  deny /sys/fs/cg[^r]*/** wklx,\n");
        b.append("  deny /sys/firmware/** rwklx,\n");
        b.append("  deny /sys/kernel/security/** rwklx,\n\n");

        b.append("  # Capabilities: ").append(c.capabilities().isEmpty() ? "none.\n" : "only these.\n");
        for (String cap : c.capabilities()) b.append("  capability ").append(cap).append(",\n");
        b.append('\n');
        b.append("  # Signals and ptrace only between processes of this profile.\n");
        b.append("  signal (send,receive) peer=").append(c.name()).append(",\n");
        b.append("  ptrace (trace,read,tracedby,readby) peer=").append(c.name()).append(",\n");
        b.append("}\n");
        return b.toString();
    }

    private static void section(StringBuilder b, String title, List<String> paths, String format) {
        if (paths.isEmpty()) return;
        b.append("  # ").append(title).append('\n');
        for (String p : paths) b.append("  ").append(String.format(format, q(p))).append('\n');
    }

    /** Quoted path; BaneToml has refused quotes, backslashes and control characters. */
    private static String q(String path) {
        return "\"" + path + "\"";
    }
}
