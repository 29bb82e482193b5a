package dev.bulwark.harden.seccomp;

import java.util.List;

/**
 * Docker's {@code includes} / {@code excludes} of a rule: capabilities in the container's bounding set, the daemon
 * host's architecture (Go's name: amd64, arm64, s390x...) and a minimum kernel version. Empty means "no condition".
 */
public record Condition(List<String> caps, List<String> arches, String minKernel) {
    public static final Condition NONE = new Condition(List.of(), List.of(), null);

    public Condition {
        caps = caps == null ? List.of() : List.copyOf(caps);
        arches = arches == null ? List.of() : List.copyOf(arches);
        minKernel = minKernel == null || minKernel.isBlank() ? null : minKernel;
    }

    public boolean isEmpty() {
        return caps.isEmpty() && arches.isEmpty() && minKernel == null;
    }
}
