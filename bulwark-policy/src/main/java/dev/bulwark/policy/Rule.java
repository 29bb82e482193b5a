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

    /**
     * {@link #matches} with the match lists turned into matchers once ({@link Globs#anyOf}): a policy asks every
     * rule for every request, and glob walks were a third of a decision.
     */
    record Matcher(java.util.function.Predicate<String> sources, java.util.function.Predicate<String> actions,
                   java.util.function.Predicate<String> users, List<String> groups) {
        Matcher(Rule r) {
            this(Globs.anyOf(r.sources()), Globs.anyOf(r.actions()), Globs.anyOf(r.users()), r.groups());
        }

        boolean matches(PolicyRequest r, List<String> groupsOfUser) {
            if (!sources.test(r.source()) || !actions.test(r.action()) || !users.test(r.user())) return false;
            if (groups.isEmpty()) return true;
            for (String g : groupsOfUser) if (any(groups, g)) return true;
            return false;
        }
    }

    private static boolean any(List<String> globs, String s) {
        if (globs.isEmpty()) return true;
        for (String g : globs) if (Globs.match(g, s)) return true;
        return false;
    }
}
