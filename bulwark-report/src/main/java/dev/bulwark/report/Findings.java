package dev.bulwark.report;

import dev.bulwark.model.Finding;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.OsRelease;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.Severity;
import dev.bulwark.model.Suppression;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/** What the vulnerability reports (table, SARIF, CycloneDX, JUnit, HTML) share. */
final class Findings {
    /** Most severe first: the order of summaries and cards. */
    static final List<Severity> DESCENDING = List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW,
            Severity.NEGLIGIBLE, Severity.UNKNOWN);
    /** Groups in report order: OS packages first, then ecosystems in the model's order (as {@link PackageOrder}). */
    static final Comparator<PackageType> GROUP_ORDER = Comparator.comparing((PackageType t) -> !t.isOsPackage())
            .thenComparing(Comparator.naturalOrder());

    private Findings() {
    }

    /** A scan report without findings: how the vulnerability formats render a bare inventory. */
    static ScanReport of(Inventory inv) {
        return new ScanReport(inv, List.of(), List.of(), null, List.of());
    }

    /** Counts per severity, every level present (zero when none), most severe first. */
    static Map<Severity, Integer> count(List<Finding> findings) {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) counts.put(s, 0);
        for (Finding f : findings) counts.merge(f.severity(), 1, Integer::sum);
        Map<Severity, Integer> ordered = new LinkedHashMap<>();
        for (Severity s : DESCENDING) ordered.put(s, counts.get(s));
        return ordered;
    }

    /**
     * "Total: 3 (CRITICAL: 0, HIGH: 1, MEDIUM: 1, LOW: 0, UNKNOWN: 1)", Trivy's summary line (most severe first).
     * NEGLIGIBLE, a level Trivy does not have, is listed only when some finding has it.
     */
    static String summary(List<Finding> findings) {
        StringBuilder sb = new StringBuilder("Total: ").append(findings.size()).append(" (");
        boolean first = true;
        for (Map.Entry<Severity, Integer> e : count(findings).entrySet()) {
            if (e.getKey() == Severity.NEGLIGIBLE && e.getValue() == 0) continue;
            if (!first) sb.append(", ");
            sb.append(e.getKey().name()).append(": ").append(e.getValue());
            first = false;
        }
        return sb.append(')').toString();
    }

    /** Findings grouped by their package's ecosystem, groups in {@link #GROUP_ORDER}, findings in the given order. */
    static Map<PackageType, List<Finding>> byType(List<Finding> findings) {
        Map<PackageType, List<Finding>> groups = new TreeMap<>(GROUP_ORDER);
        for (Finding f : findings) groups.computeIfAbsent(f.pkg().type(), t -> new ArrayList<>()).add(f);
        return groups;
    }

    /**
     * The inventory's packages grouped by ecosystem ({@link PackageOrder} within a group), plus any package a
     * finding names that the inventory lacks (so that no finding is lost from a per-package report).
     */
    static Map<PackageType, List<Package>> packagesByType(ScanReport report) {
        // a package listed twice (equal records) is one package: one row, one test case
        List<Package> all = new ArrayList<>(new java.util.LinkedHashSet<>(report.inventory().packages()));
        Set<Package> known = new HashSet<>(all);
        for (Finding f : report.findings()) {
            if (known.add(f.pkg())) all.add(f.pkg());
        }
        for (Suppression s : report.suppressed()) {
            if (s.finding() != null && known.add(s.finding().pkg())) all.add(s.finding().pkg());
        }
        Map<PackageType, List<Package>> groups = new TreeMap<>(GROUP_ORDER);
        for (Package p : PackageOrder.sorted(all)) groups.computeIfAbsent(p.type(), t -> new ArrayList<>()).add(p);
        return groups;
    }

    /** "deb packages - Debian GNU/Linux 12 (bookworm)" for the distribution's packages, "npm packages" otherwise. */
    static String groupTitle(PackageType type, OsRelease os) {
        String title = type.purlType() + " packages";
        return type.isOsPackage() && os != null ? title + " - " + osName(os) : title;
    }

    static String osName(OsRelease os) {
        if (os == null) return "unknown";
        String name = os.prettyName() != null && !os.prettyName().isBlank() ? os.prettyName()
                : (os.family() + " " + Objects.toString(os.versionId(), "")).strip();
        return os.distroless() ? name + " (distroless)" : name;
    }

    static String fixed(Finding f) {
        return String.join(", ", f.fixedVersions());
    }

    /**
     * The first reference that is an absolute http(s) URL: the only kind a report may link to (a
     * {@code javascript:} or {@code data:} "reference" from a feed must never become a link).
     */
    static String firstLink(List<String> references) {
        for (String r : references) {
            String u = link(r);
            if (u != null) return u;
        }
        return null;
    }

    static String link(String reference) {
        if (reference == null) return null;
        String s = reference.strip();
        try {
            URI u = new URI(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) return null;
            if (u.getRawAuthority() == null || u.getHost() == null) return null;
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) > 0x7e) return null; // IRIs: not every consumer takes them, so none are linked
            }
            return s;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** What the status means for the reader, in one phrase. */
    static String remedy(Finding f) {
        return switch (f.status()) {
            case FIXED -> f.fixedVersions().isEmpty() ? "fixed upstream" : "fixed in " + fixed(f);
            case AFFECTED -> f.fixedVersions().isEmpty() ? "no fix yet" : "fixed in " + fixed(f);
            case WILL_NOT_FIX -> "will not be fixed";
            case FIX_DEFERRED -> "fix deferred";
        };
    }

    /** The CVSS base score written with one decimal, as CVSS does, or null when there is none. */
    static String score(Finding f) {
        if (f.cvss() == null || !Double.isFinite(f.cvss().score())) return null;
        return String.format(Locale.ROOT, "%.1f", f.cvss().score());
    }

    /** EPSS as a percentage with two decimals ("12.34%"), or null when unknown. */
    static String epss(Finding f) {
        if (!Double.isFinite(f.epss())) return null;
        return String.format(Locale.ROOT, "%.2f%%", f.epss() * 100);
    }

    /** Replaces what XML 1.0 (and so HTML and JUnit XML) cannot carry: C0 controls but tab and line ends, lone surrogates. */
    static String xmlText(String s) {
        if (s == null) return "";
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (sb != null) sb.append(c).append(s.charAt(i + 1));
                i++;
                continue;
            }
            ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd);
            if (!ok && sb == null) sb = new StringBuilder(s.length()).append(s, 0, i);
            if (sb != null) sb.append(ok ? c : '\uFFFD');
        }
        return sb == null ? s : sb.toString();
    }
}
