package dev.bulwark.policy;

/**
 * Shell-like globs for rule matches and the {@code glob()} CEL function: {@code *} is any run of characters
 * (dots and slashes included, so {@code container.*} and {@code swarm.*} cover every sub-action), {@code ?} is one
 * character, everything else is literal. Matched with the greedy two-pointer walk, linear in practice and never
 * exponential, so a hostile pattern or subject cannot stall a decision.
 */
final class Globs {
    private Globs() {
    }

    static boolean match(String pattern, String s) {
        int p = 0, i = 0, star = -1, mark = 0;
        int pn = pattern.length(), sn = s.length();
        while (i < sn) {
            if (p < pn && (pattern.charAt(p) == '?' || (pattern.charAt(p) != '*' && pattern.charAt(p) == s.charAt(i)))) {
                p++;
                i++;
            } else if (p < pn && pattern.charAt(p) == '*') {
                star = p++;
                mark = i;
            } else if (star >= 0) {
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < pn && pattern.charAt(p) == '*') p++;
        return p == pn;
    }

    /**
     * A matcher for "any of these globs", for the match lists a rule applies to every request: an empty list
     * matches everything, literal globs are a set lookup, and the answers for wildcard globs are remembered per
     * subject (actions and sources are a few dozen strings; the memo is bounded for the rest).
     */
    static java.util.function.Predicate<String> anyOf(java.util.List<String> globs) {
        if (globs.isEmpty()) return s -> true;
        boolean literal = globs.stream().noneMatch(g -> g.indexOf('*') >= 0 || g.indexOf('?') >= 0);
        if (literal) {
            java.util.Set<String> set = java.util.Set.copyOf(globs);
            return set::contains;
        }
        java.util.List<String> copy = java.util.List.copyOf(globs);
        java.util.concurrent.ConcurrentHashMap<String, Boolean> memo = new java.util.concurrent.ConcurrentHashMap<>();
        return s -> {
            Boolean b = memo.get(s);
            if (b != null) return b;
            boolean r = false;
            for (String g : copy) {
                if (match(g, s)) {
                    r = true;
                    break;
                }
            }
            if (memo.size() < MEMO_MAX) memo.put(s, r);
            return r;
        };
    }

    private static final int MEMO_MAX = 1024;

    /** True if the path is the directory itself or inside it ("/etc" holds "/etc" and "/etc/x", not "/etcx"). */
    static boolean under(String path, String dir) {
        if (path == null || dir == null || dir.isEmpty()) return false;
        if (dir.equals("/")) return path.startsWith("/");
        String d = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        return path.equals(d) || (path.startsWith(d) && path.length() > d.length() && path.charAt(d.length()) == '/');
    }
}
