package dev.bulwark.audit.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the host audit reads besides the Docker Engine API.
 *
 * @param root               the host's root directory: host files ({@code /etc/group}, {@code /etc/docker},
 *                           systemd units, audit rules, {@code /proc}) are read under it. "/" on a live host; a
 *                           fixture directory in tests; {@code /host} when Bulwark runs in a container with the
 *                           host's root mounted there
 * @param daemonCommandLine  dockerd's argv (argv[0] included or not), or null to read it from
 *                           {@code <root>/proc/<pid>/cmdline} of the dockerd process that serves the audited socket
 * @param daemonConfig       the daemon.json path on the host (absolute, resolved under root), or null for the
 *                           daemon's {@code --config-file}, else {@code /etc/docker/daemon.json}
 * @param environment        the environment whose DOCKER_CONTENT_TRUST check 4.5 reads (the auditing user's)
 * @param trustedUsers       the users allowed in the docker group (check 1.1.2); empty: list the members for review
 * @param includeStopped     audit every container ({@code /containers/json?all=1}); false: running ones only,
 *                           as docker-bench-security does
 */
public record HostView(Path root, List<String> daemonCommandLine, Path daemonConfig, Map<String, String> environment,
                       Set<String> trustedUsers, boolean includeStopped) {
    public HostView {
        root = Objects.requireNonNullElse(root, Path.of("/")).toAbsolutePath().normalize();
        daemonCommandLine = daemonCommandLine == null ? null : List.copyOf(daemonCommandLine);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        trustedUsers = trustedUsers == null ? Set.of() : Set.copyOf(trustedUsers);
    }

    /** The live host: root "/", the daemon found in /proc, this process's environment, every container. */
    public static HostView local() {
        return new HostView(Path.of("/"), null, null, System.getenv(), Set.of(), true);
    }

    public HostView withRoot(Path newRoot) {
        return new HostView(newRoot, daemonCommandLine, daemonConfig, environment, trustedUsers, includeStopped);
    }

    public HostView withDaemonCommandLine(List<String> argv) {
        return new HostView(root, argv, daemonConfig, environment, trustedUsers, includeStopped);
    }

    public HostView withDaemonConfig(Path daemonJson) {
        return new HostView(root, daemonCommandLine, daemonJson, environment, trustedUsers, includeStopped);
    }

    public HostView withEnvironment(Map<String, String> env) {
        return new HostView(root, daemonCommandLine, daemonConfig, env, trustedUsers, includeStopped);
    }

    public HostView withTrustedUsers(Set<String> users) {
        return new HostView(root, daemonCommandLine, daemonConfig, environment, users, includeStopped);
    }

    public HostView withIncludeStopped(boolean all) {
        return new HostView(root, daemonCommandLine, daemonConfig, environment, trustedUsers, all);
    }

    /** True when root is the machine's own "/" (live processes and {@code auditctl -l} may then be consulted). */
    public boolean isLiveRoot() {
        return root.equals(Path.of("/"));
    }
}
