package dev.bulwark.audit.file;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/** Host paths that matter when mounted into a container (CIS 5.5 and 5.31). */
final class HostPaths {
    /** CIS Docker Benchmark 5.5's sensitive host directories. */
    static final Set<String> SENSITIVE = Set.of("/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr");
    /** Harmless read-only mounts under sensitive directories. */
    private static final Set<String> HARMLESS_READ_ONLY = Set.of("/etc/localtime", "/etc/timezone");
    private static final Set<String> SOCKET_DIRS = Set.of("/var/run", "/run", "/var/run/docker", "/run/docker",
            "/run/containerd", "/var/run/containerd", "/var/run/crio", "/run/crio", "/run/podman", "/var/run/podman");

    enum Kind {
        /** A container runtime's API socket or the directory holding it: control of the host. */
        RUNTIME_SOCKET,
        /** One of CIS 5.5's directories itself. */
        SENSITIVE_DIR,
        /** Something under one of them. */
        UNDER_SENSITIVE,
        /** Under a sensitive directory but harmless when read-only (/etc/localtime). */
        HARMLESS,
        OTHER
    }

    private HostPaths() {
    }

    static Kind classify(String path, boolean readOnly) {
        String p = normalize(path);
        if (p.endsWith("/docker.sock") || p.endsWith("/containerd.sock") || p.endsWith("/crio.sock")
                || p.endsWith("/podman.sock") || p.endsWith("/dockershim.sock") || SOCKET_DIRS.contains(p)) {
            return Kind.RUNTIME_SOCKET;
        }
        if (SENSITIVE.contains(p)) return Kind.SENSITIVE_DIR;
        for (String s : SENSITIVE) {
            if (!s.equals("/") && p.startsWith(s + "/")) {
                return readOnly && HARMLESS_READ_ONLY.contains(p) ? Kind.HARMLESS : Kind.UNDER_SENSITIVE;
            }
        }
        return Kind.OTHER;
    }

    /** Collapses //, removes . and .. segments and a trailing slash; "/" stays "/". */
    static String normalize(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String s : path.split("/+")) {
            if (s.isEmpty() || s.equals(".")) continue;
            if (s.equals("..")) {
                if (!parts.isEmpty()) parts.removeLast();
                continue;
            }
            parts.addLast(s);
        }
        return "/" + String.join("/", parts);
    }
}
