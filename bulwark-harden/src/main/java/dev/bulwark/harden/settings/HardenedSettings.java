package dev.bulwark.harden.settings;

import java.util.List;

/**
 * The hardened way to run one image, independent of the runtime that applies it: every output format (docker run
 * flags, Compose, Kubernetes, OCI config) is rendered from this one record, so they cannot disagree.
 *
 * @param image         the image reference to print (pinned by digest when the digest is known)
 * @param user          "uid:gid" or a name from the image's USER; never root
 * @param readOnlyRoot  root filesystem mounted read-only
 * @param tmpfs         writable tmpfs mounts: the image's VOLUMEs, /tmp and /run
 * @param capAdd        capabilities kept after dropping ALL (NET_BIND_SERVICE for a port below 1024)
 * @param seccomp       "default" (Bulwark's deny-list, see docs/harden.md), "unconfined" or a profile file
 * @param apparmor      an AppArmor profile name, or "" when not used
 * @param memoryBytes   memory limit (swap limited to the same: no extra swap)
 * @param cpus          CPU limit in CPUs
 * @param pidsLimit     process limit
 * @param restart       restart policy ("on-failure:5")
 * @param ports         the image's EXPOSE, "8080/tcp"; published on 127.0.0.1 only
 * @param healthcheck   whether the image has a HEALTHCHECK
 * @param notes         why a setting is what it is, where that is not obvious
 */
public record HardenedSettings(String image, String user, boolean readOnlyRoot, List<String> tmpfs, List<String> capAdd,
                               String seccomp, String apparmor, long memoryBytes, double cpus, int pidsLimit, String restart,
                               List<String> ports, boolean healthcheck, List<String> notes) {
    public HardenedSettings {
        tmpfs = List.copyOf(tmpfs);
        capAdd = List.copyOf(capAdd);
        ports = List.copyOf(ports);
        notes = List.copyOf(notes);
        apparmor = apparmor == null ? "" : apparmor;
    }

    /** uid part of {@link #user()} when numeric, else -1. */
    public long uid() {
        return numeric(user.contains(":") ? user.substring(0, user.indexOf(':')) : user);
    }

    /** gid part of {@link #user()} when numeric, else the uid, else -1. */
    public long gid() {
        return user.contains(":") ? numeric(user.substring(user.indexOf(':') + 1)) : uid();
    }

    /** No ports: no network at all; ports: a private bridge, published on loopback only. */
    public boolean networkNone() {
        return ports.isEmpty();
    }

    static long numeric(String s) {
        try {
            long v = Long.parseLong(s);
            return v < 0 ? -1 : v;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
