package dev.bulwark.harden.seccomp;

import java.util.List;
import java.util.Objects;

/**
 * An {@code archMap} entry: on a host of {@code architecture}, the filter also accepts calls made in the
 * {@code subArchitectures} (a 64-bit x86 host runs 32-bit x86 and x32 programs).
 */
public record ArchMapping(Arch architecture, List<Arch> subArchitectures) {
    public ArchMapping {
        Objects.requireNonNull(architecture, "architecture");
        subArchitectures = subArchitectures == null ? List.of() : List.copyOf(subArchitectures);
    }
}
