package dev.bulwark.match;

import dev.bulwark.match.version.VersionScheme;
import dev.bulwark.match.version.Versions;
import dev.bulwark.model.Advisory;
import dev.bulwark.model.AffectedPackage;
import dev.bulwark.model.Cvss;
import dev.bulwark.model.Finding;
import dev.bulwark.model.FindingStatus;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.Package;
import dev.bulwark.model.Severity;
import dev.bulwark.vulndb.Enrichment;
import dev.bulwark.vulndb.PackageKey;
import dev.bulwark.vulndb.VulnDb;
import dev.bulwark.vulndb.VulnDbException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Matches an inventory against the vulnerability DB: the findings of every package. Each package is looked up by
 * its ecosystem and name (distribution packages by source package and release), each advisory's affected entry is
 * evaluated with the ecosystem's version scheme, and advisories that name the same vulnerability (by id or alias)
 * become one finding per package. Severity: the advisory's own rating for the package (for distribution packages,
 * the distribution's), then its overall rating, then its CVSS, then NVD's.
 */
public final class Matcher {
    private final VulnDb db;

    public Matcher(VulnDb db) {
        this.db = db;
    }

    /** Findings and the problems met. */
    public record Result(List<Finding> findings, List<String> warnings) {
        public Result {
            findings = List.copyOf(findings);
            warnings = List.copyOf(warnings);
        }
    }

    /** One advisory's verdict on one package, before aliases are merged. */
    private record Hit(Advisory advisory, AffectedPackage affected, List<String> fixed) {
    }

    public Result match(Inventory inv) throws VulnDbException {
        List<String> warnings = new ArrayList<>();
        Map<Package, List<PackageKey>> keys = new LinkedHashMap<>();
        Set<String> unknownDistro = new TreeSet<>();
        for (Package p : inv.packages()) {
            String eco = Ecosystems.of(p, inv.os());
            if (eco == null) {
                unknownDistro.add(inv.os() == null ? "unknown" : inv.os().family() + " " + inv.os().versionId());
                continue;
            }
            List<PackageKey> ks = new ArrayList<>();
            for (String n : Ecosystems.names(p)) ks.add(PackageKey.of(eco, n));
            keys.put(p, ks);
        }
        if (!unknownDistro.isEmpty()) {
            warnings.add("OS packages not matched: no advisories are known for distribution " + String.join(", ", unknownDistro));
        }
        Set<PackageKey> all = new LinkedHashSet<>();
        keys.values().forEach(all::addAll);
        Map<PackageKey, List<Advisory>> advisories = db.advisories(all);

        // packages and advisories are large records: identity, not equals/hashCode, keeps lookups cheap
        Map<Package, List<Hit>> hits = new IdentityHashMap<>();
        List<Package> order = new ArrayList<>();
        Set<String> unparsable = new TreeSet<>();
        for (var e : keys.entrySet()) {
            Package p = e.getKey();
            String version = Ecosystems.version(p);
            VersionScheme scheme = Versions.forPackageType(p.type());
            if (!scheme.isValid(version)) {
                unparsable.add(p.name() + " " + version + ": not a valid " + scheme.id() + " version");
                continue;
            }
            Set<Advisory> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (PackageKey k : e.getValue()) {
                for (Advisory a : advisories.getOrDefault(k, List.of())) {
                    if (a.withdrawn() != null || !seen.add(a)) continue;
                    for (AffectedPackage ap : a.affected()) {
                        if (!PackageKey.of(ap.ecosystem(), ap.name()).equals(k)) continue;
                        AffectedCheck.Verdict v = AffectedCheck.check(ap, version, scheme);
                        if (v.unparsable() != null) unparsable.add(a.id() + " (" + p.name() + " " + version + "): " + v.unparsable());
                        if (v.affected()) {
                            hits.computeIfAbsent(p, x -> {
                                order.add(x);
                                return new ArrayList<>();
                            }).add(new Hit(a, ap, v.fixed()));
                        }
                    }
                }
            }
        }
        if (!unparsable.isEmpty()) {
            warnings.add(unparsable.size() + " advisory ranges could not be compared, e.g. " + unparsable.iterator().next());
        }

        List<List<Hit>> groups = new ArrayList<>();
        List<Package> groupPackages = new ArrayList<>();
        Set<String> ids = new TreeSet<>();
        for (Package pkg : order) {
            for (List<Hit> g : byVulnerability(hits.get(pkg))) {
                groups.add(g);
                groupPackages.add(pkg);
                for (Hit h : g) {
                    ids.add(h.advisory().id());
                    ids.addAll(h.advisory().aliases());
                }
            }
        }
        Map<String, Enrichment> enrichment = ids.isEmpty() ? Map.of() : db.enrichment(ids);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) findings.add(finding(groupPackages.get(i), groups.get(i), enrichment));
        findings.sort(ORDER);
        return new Result(findings, warnings);
    }

    /** Highest severity first, then package, version, id. */
    public static final Comparator<Finding> ORDER = Comparator
            .comparing(Finding::severity, Comparator.reverseOrder())
            .thenComparing(f -> f.pkg().name())
            .thenComparing(f -> f.pkg().version())
            .thenComparing(Finding::id);

    /** Splits one package's hits into groups that name the same vulnerability (connected by ids and aliases). */
    private static List<List<Hit>> byVulnerability(List<Hit> hits) {
        int n = hits.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        Map<String, Integer> owner = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Advisory a = hits.get(i).advisory();
            List<String> names = new ArrayList<>(a.aliases());
            names.add(a.id());
            for (String name : names) {
                Integer j = owner.putIfAbsent(name, i);
                if (j != null) union(parent, i, j);
            }
        }
        Map<Integer, List<Hit>> groups = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) groups.computeIfAbsent(find(parent, i), r -> new ArrayList<>()).add(hits.get(i));
        return new ArrayList<>(groups.values());
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        parent[find(parent, a)] = find(parent, b);
    }

    /** Distribution advisories first (they know the package's fix best), then by source and id: a stable order. */
    private static final Comparator<Hit> HIT_ORDER = Comparator
            .comparing((Hit h) -> h.advisory().source().startsWith("osv-") ? 1 : 0)
            .thenComparing(h -> h.advisory().source())
            .thenComparing(h -> h.advisory().id());

    private static Finding finding(Package p, List<Hit> unordered, Map<String, Enrichment> enrichment) {
        // the DB's storage order depends on how imports interleaved: sort, so the same data gives the same report
        List<Hit> group = new ArrayList<>(unordered);
        group.sort(HIT_ORDER);
        Set<String> names = new TreeSet<>();
        for (Hit h : group) {
            names.add(h.advisory().id());
            names.addAll(h.advisory().aliases());
        }
        String id = names.stream().filter(x -> x.startsWith("CVE-")).sorted().findFirst()
                .orElse(group.get(0).advisory().id());
        List<String> aliases = names.stream().filter(x -> !x.equals(id))
                .sorted(Comparator.comparing((String x) -> x.startsWith("CVE-") ? 0 : 1).thenComparing(x -> x)).toList();

        VersionScheme scheme = Versions.forPackageType(p.type());
        TreeSet<String> fixedVersions = new TreeSet<>((a, b) -> {
            try {
                return scheme.compare(a, b);
            } catch (IllegalArgumentException e) {
                return a.compareTo(b);
            }
        });
        boolean wontFix = false;
        boolean deferred = false;
        String title = "";
        Set<String> sources = new LinkedHashSet<>();
        Set<String> references = new LinkedHashSet<>();
        for (Hit h : group) {
            fixedVersions.addAll(h.fixed());
            wontFix |= "wont-fix".equals(h.affected().status());
            deferred |= "postponed".equals(h.affected().extra().get("nodsa_reason"));
            if (title.isEmpty() && h.advisory().summary() != null) title = h.advisory().summary().strip();
            sources.add(h.advisory().source() + ":" + h.advisory().id());
            references.addAll(h.advisory().references());
        }
        FindingStatus status = !fixedVersions.isEmpty() ? FindingStatus.FIXED
                : wontFix ? FindingStatus.WILL_NOT_FIX : deferred ? FindingStatus.FIX_DEFERRED : FindingStatus.AFFECTED;

        // enrichment by every CVE name of the group
        List<Cvss> nvd = new ArrayList<>();
        boolean kev = false;
        double epss = Double.NaN;
        for (String name : names) {
            Enrichment e = enrichment.get(name);
            if (e == null) continue;
            nvd.addAll(e.nvdCvss());
            kev |= e.kev();
            if (!Double.isNaN(e.epss()) && (Double.isNaN(epss) || e.epss() > epss)) epss = e.epss();
        }

        Severity severity = Severity.UNKNOWN;
        String severitySource = "";
        Cvss cvss = null;
        for (Hit h : group) {
            if (h.affected().severity() != Severity.UNKNOWN) {
                severity = h.affected().severity();
                severitySource = h.advisory().source();
                break;
            }
        }
        if (severity == Severity.UNKNOWN) {
            for (Hit h : group) {
                if (h.advisory().severity() != Severity.UNKNOWN && !h.advisory().source().equals("nvd")) {
                    severity = h.advisory().severity();
                    severitySource = h.advisory().source();
                    break;
                }
            }
        }
        Cvss advisoryCvss = null;
        String advisoryCvssSource = "";
        for (Hit h : group) {
            Cvss best = best(h.advisory().cvss());
            if (best != null && (advisoryCvss == null || rank(best) > rank(advisoryCvss))) {
                advisoryCvss = best;
                advisoryCvssSource = h.advisory().source();
            }
        }
        Cvss nvdBest = best(nvd);
        if (severity == Severity.UNKNOWN && advisoryCvss != null && !Double.isNaN(advisoryCvss.score())) {
            severity = advisoryCvss.severity();
            severitySource = advisoryCvssSource;
            cvss = advisoryCvss;
        }
        if (severity == Severity.UNKNOWN && nvdBest != null && !Double.isNaN(nvdBest.score())) {
            severity = nvdBest.severity();
            severitySource = "nvd";
            cvss = nvdBest;
        }
        if (cvss == null) cvss = nvdBest != null ? nvdBest : advisoryCvss;
        return new Finding(id, aliases, p, List.copyOf(fixedVersions), status, severity, severitySource, cvss, kev, epss,
                title, List.copyOf(sources), references.stream().limit(20).toList());
    }

    /** The most informative score: the newest CVSS version that has a score. */
    private static Cvss best(List<Cvss> scores) {
        Cvss best = null;
        for (Cvss c : scores) {
            if (best == null || rank(c) > rank(best)) best = c;
        }
        return best;
    }

    private static int rank(Cvss c) {
        int v = switch (c.version()) {
            case "4.0" -> 4;
            case "3.1" -> 3;
            case "3.0" -> 2;
            default -> 1;
        };
        // a v3.1 score beats a v4.0 vector without score: a score is what severity needs
        return (Double.isNaN(c.score()) ? 0 : 10) + v;
    }
}
