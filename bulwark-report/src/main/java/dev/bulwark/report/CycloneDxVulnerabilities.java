package dev.bulwark.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bulwark.model.Cvss;
import dev.bulwark.model.Finding;
import dev.bulwark.model.Package;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.Severity;
import dev.bulwark.model.Suppression;
import dev.bulwark.model.VulnDbInfo;
import dev.bulwark.report.CycloneDxWriter.Property;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The CycloneDX 1.6 {@code vulnerabilities} of a scan report. One entry per vulnerability id, in the order the
 * report first names it, {@code affects} listing every package it was found in; each suppressed finding gets an
 * entry of its own whose {@code analysis} says {@code not_affected} and why (the VEX way of saying it).
 */
final class CycloneDxVulnerabilities {
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** The justifications CycloneDX knows (impactAnalysisJustification), and OpenVEX's mapped onto them. */
    private static final Map<String, String> JUSTIFICATIONS = Map.ofEntries(
            Map.entry("code_not_present", "code_not_present"),
            Map.entry("code_not_reachable", "code_not_reachable"),
            Map.entry("requires_configuration", "requires_configuration"),
            Map.entry("requires_dependency", "requires_dependency"),
            Map.entry("requires_environment", "requires_environment"),
            Map.entry("protected_by_compiler", "protected_by_compiler"),
            Map.entry("protected_at_runtime", "protected_at_runtime"),
            Map.entry("protected_at_perimeter", "protected_at_perimeter"),
            Map.entry("protected_by_mitigating_control", "protected_by_mitigating_control"),
            Map.entry("component_not_present", "code_not_present"),
            Map.entry("vulnerable_code_not_present", "code_not_present"),
            Map.entry("vulnerable_code_not_in_execute_path", "code_not_reachable"),
            Map.entry("vulnerable_code_cannot_be_controlled_by_adversary", "requires_environment"),
            Map.entry("inline_mitigations_already_exist", "protected_by_mitigating_control"));

    private CycloneDxVulnerabilities() {
    }

    /** Every finding of the report, suppressed ones included. */
    static List<Finding> all(ScanReport report) {
        List<Finding> all = new ArrayList<>(report.findings());
        for (Suppression s : report.suppressed()) {
            if (s.finding() != null) all.add(s.finding());
        }
        return all;
    }

    static List<Vulnerability> of(ScanReport report, Map<Package, String> refs) {
        Map<String, List<Finding>> byId = new LinkedHashMap<>();
        for (Finding f : report.findings()) byId.computeIfAbsent(f.id(), id -> new ArrayList<>()).add(f);
        Set<Vulnerability> out = new LinkedHashSet<>(); // the schema wants unique items
        byId.forEach((id, group) -> out.add(vulnerability(group, refs, null)));
        for (Suppression s : report.suppressed()) {
            if (s.finding() != null) out.add(vulnerability(List.of(s.finding()), refs, analysis(s)));
        }
        return List.copyOf(out);
    }

    static List<Property> dbProperties(VulnDbInfo db) {
        List<Property> props = new ArrayList<>();
        if (db == null) return props;
        if (db.builtAt() != null) CycloneDxWriter.add(props, "bulwark:db:builtAt", Sboms.iso(db.builtAt()));
        for (VulnDbInfo.Source s : db.sources()) CycloneDxWriter.add(props, "bulwark:db:source", s.name());
        return props;
    }

    private static Vulnerability vulnerability(List<Finding> group, Map<Package, String> refs, Analysis analysis) {
        Finding first = group.get(0);
        Set<Reference> aliases = new LinkedHashSet<>();
        Set<Rating> ratings = new LinkedHashSet<>();
        Set<Advisory> advisories = new LinkedHashSet<>();
        Set<Affects> affects = new LinkedHashSet<>();
        Set<Property> props = new LinkedHashSet<>();
        String description = null;
        for (Finding f : group) {
            for (String alias : f.aliases()) {
                if (!alias.equals(f.id()) && !alias.isEmpty()) aliases.add(new Reference(alias, aliasSource(alias)));
            }
            ratings.addAll(ratings(f));
            for (String r : f.references()) {
                String url = Findings.link(r);
                if (url != null) advisories.add(new Advisory(null, url));
            }
            String ref = Objects.requireNonNull(refs.get(f.pkg()), "no component for a finding's package");
            String v = CycloneDxWriter.version(f.pkg().version());
            affects.add(new Affects(ref, v == null ? List.of() : List.of(new AffectedVersion(v, "affected"))));
            if (description == null && !f.title().isBlank()) description = f.title();
            List<Property> p = new ArrayList<>();
            CycloneDxWriter.add(p, "bulwark:status", f.status().label());
            if (f.knownExploited()) CycloneDxWriter.add(p, "bulwark:knownExploited", "true");
            if (Double.isFinite(f.epss())) CycloneDxWriter.add(p, "bulwark:epss", String.valueOf(f.epss()));
            f.dataSources().forEach(d -> CycloneDxWriter.add(p, "bulwark:dataSource", d));
            props.addAll(p);
        }
        return new Vulnerability(first.id(), source(first), List.copyOf(aliases), List.copyOf(ratings), description,
                recommendation(group), List.copyOf(advisories), analysis, List.copyOf(affects), List.copyOf(props));
    }

    /** Who reported the id: the data source that named it ("debian:CVE-2024-0727" → debian), and its first link. */
    private static Source source(Finding f) {
        String name = null;
        for (String ds : f.dataSources()) {
            int colon = ds.indexOf(':');
            String src = colon > 0 ? ds.substring(0, colon) : ds;
            if (name == null && !src.isBlank()) name = src;
            if (colon > 0 && ds.substring(colon + 1).equals(f.id()) && !src.isBlank()) {
                name = src;
                break;
            }
        }
        return source(name, Findings.firstLink(f.references()));
    }

    /** Where an alias is published, for the id schemes whose home is well known. */
    static Source aliasSource(String alias) {
        String enc = PLAIN_ID.matcher(alias).matches() ? alias : null;
        String upper = alias.toUpperCase(Locale.ROOT);
        if (upper.startsWith("CVE-")) return source("NVD", enc == null ? null : "https://nvd.nist.gov/vuln/detail/" + enc);
        if (upper.startsWith("GHSA-")) return source("GitHub Advisory Database", enc == null ? null : "https://github.com/advisories/" + enc);
        if (upper.startsWith("GO-")) return source("Go Vulnerability Database", enc == null ? null : "https://pkg.go.dev/vuln/" + enc);
        if (upper.startsWith("RUSTSEC-")) return source("RustSec", enc == null ? null : "https://rustsec.org/advisories/" + enc + ".html");
        if (upper.startsWith("DSA-") || upper.startsWith("DLA-") || upper.startsWith("DEBIAN-"))
            return source("Debian", enc == null ? null : "https://security-tracker.debian.org/tracker/" + enc);
        int dash = alias.indexOf('-');
        return source(dash > 0 ? alias.substring(0, dash) : "unknown", null);
    }

    private static Source source(String name, String url) {
        return name == null && url == null ? null : new Source(name, url);
    }

    /**
     * The finding's own rating (the distribution's or the advisory's, method "other") and its CVSS score with its
     * method; one rating when both say the same.
     */
    private static List<Rating> ratings(Finding f) {
        List<Rating> out = new ArrayList<>();
        Cvss c = f.cvss();
        boolean sameAsCvss = c != null && Objects.equals(c.source(), f.severitySource()) && c.severity() == f.severity();
        if (!sameAsCvss && (f.severity() != Severity.UNKNOWN || c == null)) {
            out.add(new Rating(source(f.severitySource().isBlank() ? null : f.severitySource(), null), null,
                    severity(f.severity()), "other", null));
        }
        if (c != null) {
            out.add(new Rating(source(c.source() == null || c.source().isBlank() ? null : c.source(), null),
                    Double.isFinite(c.score()) ? c.score() : null, severity(c.severity()), method(c.version()),
                    c.vector() == null || c.vector().isBlank() ? null : c.vector()));
        }
        return out;
    }

    static String severity(Severity s) {
        return switch (s) {
            case CRITICAL -> "critical";
            case HIGH -> "high";
            case MEDIUM -> "medium";
            case LOW -> "low";
            case NEGLIGIBLE -> "info";
            case UNKNOWN -> "unknown";
        };
    }

    static String method(String cvssVersion) {
        if (cvssVersion == null) return "other";
        return switch (cvssVersion.strip()) {
            case "2", "2.0" -> "CVSSv2";
            case "3", "3.0" -> "CVSSv3";
            case "3.1" -> "CVSSv31";
            case "4", "4.0" -> "CVSSv4";
            default -> "other";
        };
    }

    /** "Upgrade to 3.0.13-1~deb12u1" when every package has the same fix, else one clause per package that has one. */
    private static String recommendation(List<Finding> group) {
        Map<String, String> perPackage = new LinkedHashMap<>();
        boolean all = true;
        for (Finding f : group) {
            if (f.fixedVersions().isEmpty()) {
                all = false;
                continue;
            }
            String to = f.fixedVersions().size() == 1 ? f.fixedVersions().get(0) : "one of " + Findings.fixed(f);
            perPackage.putIfAbsent(f.pkg().name() + " " + f.pkg().version(), f.pkg().name() + " to " + to);
        }
        if (perPackage.isEmpty()) return null;
        Set<String> targets = new LinkedHashSet<>();
        for (Finding f : group) {
            if (!f.fixedVersions().isEmpty()) targets.add(String.join(", ", f.fixedVersions()));
        }
        if (all && targets.size() == 1) {
            Finding f = group.get(0);
            return "Upgrade to " + (f.fixedVersions().size() == 1 ? f.fixedVersions().get(0) : "one of " + Findings.fixed(f));
        }
        return "Upgrade " + String.join("; upgrade ", perPackage.values());
    }

    private static Analysis analysis(Suppression s) {
        String reason = s.reason() == null ? "" : s.reason().strip();
        String token = reason.split("[\\s:;,]", 2)[0].toLowerCase(Locale.ROOT);
        StringBuilder detail = new StringBuilder("Suppressed by ").append(blank(s.by()) ? "unknown" : s.by());
        if (!blank(s.where())) detail.append(" (").append(s.where()).append(')');
        if (!reason.isEmpty()) detail.append(": ").append(reason);
        return new Analysis("not_affected", JUSTIFICATIONS.get(token), detail.toString());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    // ---- wire shape (field order is the order written) ----

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"id", "source", "references", "ratings", "description", "recommendation", "advisories", "analysis",
            "affects", "properties"})
    record Vulnerability(String id, Source source, List<Reference> references, List<Rating> ratings, String description,
                         String recommendation, List<Advisory> advisories, Analysis analysis, List<Affects> affects,
                         List<Property> properties) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "url"})
    record Source(String name, String url) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "source"})
    record Reference(String id, Source source) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"source", "score", "severity", "method", "vector"})
    record Rating(Source source, Double score, String severity, String method, String vector) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"title", "url"})
    record Advisory(String title, String url) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"state", "justification", "detail"})
    record Analysis(String state, String justification, String detail) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"ref", "versions"})
    record Affects(String ref, List<AffectedVersion> versions) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"version", "status"})
    record AffectedVersion(String version, String status) {
    }
}
