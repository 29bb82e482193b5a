package dev.bulwark.match.suppress;

import dev.bulwark.model.Finding;

import java.util.List;

/**
 * One entry of an ignore file that is in force (expired entries never become rules).
 *
 * @param id     the vulnerability id, matched case-insensitively against the finding's id and aliases
 * @param paths  globs on the package's paths; empty for any path
 * @param purls  package URL patterns; empty for any package
 * @param reason the entry's statement or comment, or ""
 * @param where  "file:line" (text form) or "file: entry N" (YAML form)
 */
record IgnoreRule(String id, List<Glob> paths, List<Purl> purls, String reason, String where) {
    IgnoreRule {
        paths = List.copyOf(paths);
        purls = List.copyOf(purls);
    }

    boolean matches(Finding f, Purl pkgPurl) {
        if (!Ids.knownAs(f, id)) return false;
        if (!paths.isEmpty() && f.pkg().paths().stream().noneMatch(p -> paths.stream().anyMatch(g -> g.matches(p))))
            return false;
        return purls.isEmpty() || purls.stream().anyMatch(p -> p.matches(pkgPurl));
    }
}
