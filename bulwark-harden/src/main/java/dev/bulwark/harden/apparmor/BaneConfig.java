package dev.bulwark.harden.apparmor;

import java.util.List;
import java.util.Objects;

/**
 * The input of {@code bulwark profile apparmor}: bane's TOML ({@code Name}, {@code [Filesystem]},
 * {@code [Capabilities]}, {@code [Network]}), as records.
 *
 * @param readOnlyPaths   written to is denied (and so is linking)
 * @param logOnWritePaths writes are allowed and audited
 * @param writablePaths   writes are allowed
 * @param allowExec       when non-empty, the only programs that may run
 * @param denyExec        denied every access, execution included
 * @param capabilities    lower-case capability names without {@code CAP_}; none means no capability at all
 * @param raw             raw sockets allowed
 * @param packet          packet sockets allowed
 * @param protocols       tcp, udp, icmp: the inet families' protocols allowed; empty means no inet networking
 */
public record BaneConfig(String name, List<String> readOnlyPaths, List<String> logOnWritePaths, List<String> writablePaths,
                         List<String> allowExec, List<String> denyExec, List<String> capabilities, boolean raw,
                         boolean packet, List<String> protocols) {
    public BaneConfig {
        Objects.requireNonNull(name, "name");
        readOnlyPaths = List.copyOf(readOnlyPaths);
        logOnWritePaths = List.copyOf(logOnWritePaths);
        writablePaths = List.copyOf(writablePaths);
        allowExec = List.copyOf(allowExec);
        denyExec = List.copyOf(denyExec);
        capabilities = List.copyOf(capabilities);
        protocols = List.copyOf(protocols);
    }

    public BaneConfig withName(String n) {
        return new BaneConfig(n, readOnlyPaths, logOnWritePaths, writablePaths, allowExec, denyExec, capabilities, raw,
                packet, protocols);
    }
}
