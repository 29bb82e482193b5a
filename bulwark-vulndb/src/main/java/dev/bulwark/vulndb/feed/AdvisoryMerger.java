package dev.bulwark.vulndb.feed;

import dev.bulwark.model.Advisory;
import dev.bulwark.model.AffectedPackage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Joins advisories that describe one vulnerability, from one source, for the same ecosystems: the key is
 * (source, id, set of affected ecosystems). That turns the parsers' record-sized output into the units the rest of
 * Bulwark wants: one Alpine advisory per CVE per release (main and community joined), one Debian advisory per issue
 * per release (all its source packages joined), and security-wg's index.json duplicates of its per-record files
 * gone. Records from different feeds, and OSV records (whose ids are unique), are untouched.
 */
final class AdvisoryMerger {
    private AdvisoryMerger() {
    }

    record Key(String source, String id, String ecosystems) {
    }

    static List<Advisory> merge(List<Advisory> advisories) {
        Map<Key, Advisory> merged = new LinkedHashMap<>();
        for (Advisory a : advisories) merged.merge(key(a), a, AdvisoryMerger::combine);
        return new ArrayList<>(merged.values());
    }

    private static Key key(Advisory a) {
        TreeSet<String> ecosystems = new TreeSet<>();
        for (AffectedPackage p : a.affected()) ecosystems.add(p.ecosystem());
        return new Key(a.source(), a.id(), String.join("\n", ecosystems));
    }

    private static Advisory combine(Advisory a, Advisory b) {
        if (a.equals(b)) return a;
        return new Advisory(a.id(), a.source(), union(a.aliases(), b.aliases()),
                a.summary() != null ? a.summary() : b.summary(),
                a.published() != null ? a.published() : b.published(),
                a.modified() != null ? a.modified() : b.modified(),
                a.withdrawn() != null ? a.withdrawn() : b.withdrawn(),
                a.severity().atLeast(b.severity()) ? a.severity() : b.severity(),
                union(a.cvss(), b.cvss()), union(a.affected(), b.affected()), union(a.references(), b.references()));
    }

    private static <T> List<T> union(List<T> a, List<T> b) {
        if (b.isEmpty() || a.equals(b)) return a;
        LinkedHashSet<T> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
