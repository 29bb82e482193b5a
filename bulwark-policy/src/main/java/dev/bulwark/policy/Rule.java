package dev.bulwark.policy;

import java.util.List;

/**
 * One rule of a policy, compiled. It applies when the request matches every non-empty list of {@code match}
 * (globs; empty means any) and its condition (none means true) holds.
 *
 * @param origin where it was written ("policy.yaml:14", "baseline:30"), for messages and {@code policy check}
 */
record Rule(String name, String description, List<String> users, List<String> groups, List<String> sources,
            List<String> actions, Conditions.Compiled condition, Effect effect, Template message, String origin) {

    enum Effect { ALLOW, DENY, AUDIT }

    boolean matches(PolicyRequest r, List<String> groupsOfUser) {
        return any(sources, r.source()) && any(actions, r.action()) && any(users, r.user())
                && (groups.isEmpty() || groupsOfUser.stream().anyMatch(g -> any(groups, g)));
    }

    private static boolean any(List<String> globs, String s) {
        if (globs.isEmpty()) return true;
        for (String g : globs) if (Globs.match(g, s)) return true;
        return false;
    }
}
