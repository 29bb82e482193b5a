package dev.bulwark.policy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The action names rules match: Docker API endpoints grouped by what they do (docs/policy.md has the table of
 * endpoints), and for Kubernetes the same container actions plus {@code kubernetes.KIND.OPERATION} for objects
 * without a pod spec. A rule's {@code actions} glob that matches none of these is a load error: a typo there
 * would silently never match.
 */
public final class Actions {
    public static final String UNKNOWN = "unknown";
    public static final String KUBERNETES_PREFIX = "kubernetes.";

    /** Every action a request can have, except the open-ended {@code kubernetes.*} ones. */
    public static final Set<String> ALL;

    static {
        Set<String> s = new TreeSet<>();
        s.add(UNKNOWN);
        for (String a : List.of("create", "start", "exec", "attach", "update", "list", "inspect", "logs", "stats",
                "export", "stop", "restart", "kill", "pause", "unpause", "rename", "wait", "delete", "prune", "archive",
                "copy", "resize")) {
            s.add("container." + a);
        }
        for (String a : List.of("pull", "push", "build", "load", "delete", "list", "inspect", "tag", "search", "prune",
                "save", "commit", "import")) {
            s.add("image." + a);
        }
        for (String a : List.of("create", "list", "inspect", "update", "delete", "prune")) s.add("volume." + a);
        for (String a : List.of("create", "list", "inspect", "delete", "connect", "disconnect", "prune")) s.add("network." + a);
        for (String a : List.of("install", "list", "inspect", "delete", "enable", "disable", "upgrade", "create", "push",
                "configure", "privileges")) {
            s.add("plugin." + a);
        }
        for (String a : List.of("inspect", "init", "join", "leave", "update", "unlock", "unlockkey")) s.add("swarm." + a);
        for (String a : List.of("list", "inspect", "update", "delete")) s.add("swarm.node." + a);
        for (String a : List.of("list", "inspect", "create", "update", "delete", "logs")) s.add("swarm.service." + a);
        for (String a : List.of("list", "inspect", "logs")) s.add("swarm.task." + a);
        for (String kind : List.of("secret", "config")) {
            for (String a : List.of("list", "inspect", "create", "update", "delete")) s.add("swarm." + kind + "." + a);
        }
        for (String a : List.of("ping", "version", "info", "events", "df", "auth", "session")) s.add("system." + a);
        ALL = Set.copyOf(s);
    }

    private Actions() {
    }

    /** True when the glob can match some action (so it is not a typo). */
    static boolean plausible(String glob) {
        if (glob.startsWith(KUBERNETES_PREFIX) || Globs.match(glob, "kubernetes.x.create")) return true;
        for (String a : ALL) if (Globs.match(glob, a)) return true;
        return false;
    }
}
