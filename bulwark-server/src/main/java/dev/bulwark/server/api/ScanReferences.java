package dev.bulwark.server.api;

import java.util.Locale;

/**
 * What a client may ask the server to scan. Registry references always; references to the server host's own files
 * and daemon (docker-archive:, oci:, rootfs:, docker:, paths) only when the operator allowed local sources, since
 * otherwise a scan token would read the server's disk and Docker Engine.
 */
final class ScanReferences {
    private static final String[] LOCAL = {"docker-archive:", "oci:", "rootfs:", "docker:"};

    private ScanReferences() {
    }

    static String normalise(String reference, boolean allowLocal) throws Problem {
        String r = reference.strip();
        if (r.length() > 1000) throw Problem.badRequest("the reference is longer than 1000 characters");
        if (r.chars().anyMatch(ch -> ch < 0x21 || ch == 0x7f)) throw Problem.badRequest("the reference holds spaces or control characters");
        String lower = r.toLowerCase(Locale.ROOT);
        for (String p : LOCAL) {
            if (lower.startsWith(p)) {
                if (!allowLocal) throw new Problem(403, "Forbidden", "scans of the server's own files and daemon (" + p + ") are off; start the server with --allow-local-sources");
                return r;
            }
        }
        if (r.startsWith("/") || r.startsWith(".")) {
            if (!allowLocal) throw new Problem(403, "Forbidden", "scans of the server's own files are off; start the server with --allow-local-sources");
            return r;
        }
        String name = lower.startsWith("registry:") ? r.substring("registry:".length()) : r;
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._:/@+-]*")) throw Problem.badRequest("not an image reference: " + r);
        return "registry:" + name;
    }
}
