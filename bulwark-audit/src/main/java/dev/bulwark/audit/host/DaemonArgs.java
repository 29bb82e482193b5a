package dev.bulwark.audit.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * dockerd's command line as a map from long flag name to the values given, in order ({@code -H x -H y} gives
 * "host" → [x, y]; a bare boolean flag gives "true"). Short flags become their long names. dockerd takes no
 * positional arguments, so a flag without "=" followed by a token that is not a flag takes that token as its value,
 * unless the flag is a boolean.
 */
record DaemonArgs(List<String> argv, Map<String, List<String>> flags) {
    private static final Map<String, String> SHORT = Map.of(
        "H", "host", "D", "debug", "l", "log-level", "b", "bridge", "G", "group", "p", "pidfile",
        "s", "storage-driver", "g", "data-root", "v", "version", "h", "help");

    /** dockerd's boolean flags: they never take the next token as their value. */
    private static final Set<String> BOOLEAN = Set.of(
        "debug", "icc", "iptables", "ip6tables", "ip-forward", "ip-masq", "ipv6", "live-restore", "no-new-privileges",
        "userland-proxy", "experimental", "selinux-enabled", "tls", "tlsverify", "raw-logs", "init", "rootless",
        "disable-legacy-registry", "validate", "help", "version", "containerd-namespace-unused", "cri-containerd");

    DaemonArgs {
        argv = List.copyOf(argv);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        flags.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        flags = java.util.Collections.unmodifiableMap(copy);
    }

    static DaemonArgs parse(List<String> argv) {
        Map<String, List<String>> flags = new LinkedHashMap<>();
        int start = 0;
        if (!argv.isEmpty() && !argv.getFirst().startsWith("-")) {
            start = 1; // argv[0]
            if (argv.size() > 1 && argv.get(1).equals("daemon")) start = 2; // "docker daemon" (before 1.12)
        }
        for (int i = start; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--")) break;
            if (!a.startsWith("-") || a.equals("-")) continue;
            String name;
            String value = null;
            if (a.startsWith("--")) {
                String body = a.substring(2);
                int eq = body.indexOf('=');
                if (eq >= 0) {
                    name = body.substring(0, eq);
                    value = body.substring(eq + 1);
                } else {
                    name = body;
                }
            } else {
                String body = a.substring(1);
                if (body.isEmpty()) continue;
                String key = body.substring(0, 1);
                name = SHORT.getOrDefault(key, key);
                String rest = body.substring(1);
                if (rest.startsWith("=")) {
                    value = rest.substring(1);
                } else if (!rest.isEmpty()) {
                    if (BOOLEAN.contains(name)) {
                        // combined boolean shorthands such as -Dx are not dockerd's style; keep the first only
                        value = "true";
                    } else {
                        value = rest; // -ldebug, -Hunix:///x
                    }
                }
            }
            if (value == null) {
                if (BOOLEAN.contains(name)) {
                    value = "true";
                } else if (i + 1 < argv.size() && !argv.get(i + 1).startsWith("-")) {
                    value = argv.get(++i);
                } else {
                    value = "true";
                }
            }
            flags.computeIfAbsent(name, k -> new ArrayList<>()).add(unquote(value));
        }
        return new DaemonArgs(argv, flags);
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    boolean has(String name) {
        return flags.containsKey(name);
    }

    List<String> all(String name) {
        return flags.getOrDefault(name, List.of());
    }

    /** The effective (last) value of a flag. */
    Optional<String> last(String name) {
        List<String> v = flags.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getLast());
    }

    /** A boolean flag's value: "--icc=false" → false, "--live-restore" → true, absent → empty. */
    Optional<Boolean> bool(String name) {
        return last(name).map(v -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "false", "0", "f", "no" -> false;
            default -> true;
        });
    }

    /** The command line as one line, for evidence. */
    String line() {
        return String.join(" ", argv);
    }
}
