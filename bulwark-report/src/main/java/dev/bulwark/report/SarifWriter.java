package dev.bulwark.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bulwark.model.Finding;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.Package;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.Severity;
import dev.bulwark.model.Suppression;
import dev.bulwark.report.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SARIF 2.1.0, the shape code-scanning services import: one run whose driver is Bulwark, one rule per vulnerability
 * id, one result per finding (suppressed findings too, marked with an external suppression so that viewers hide
 * them). Results point at the package's first file inside the image, relative to the image root
 * ({@code uriBaseId ROOTPATH}), or at the scanned target when the package names no file.
 */
final class SarifWriter {
    static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    static final String ROOT = "ROOTPATH";
    /** The key of the one partial fingerprint: bump the suffix if what it hashes ever changes. */
    static final String FINGERPRINT = "bulwarkFinding/v1";

    private SarifWriter() {
    }

    static void write(ScanReport report, ReportOptions opts, OutputStream out) throws IOException {
        Json.write(log(report, opts), out);
    }

    static Log log(ScanReport report, ReportOptions opts) {
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        List<Rule> rules = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        Inventory inv = report.inventory();
        for (Finding f : report.findings()) results.add(result(f, inv, rule(f, ruleIndex, rules), null));
        for (Suppression s : report.suppressed()) {
            if (s.finding() != null) results.add(result(s.finding(), inv, rule(s.finding(), ruleIndex, rules), s));
        }
        for (dev.bulwark.model.SecretFinding f : report.secrets()) {
            String id = "secret/" + f.ruleId();
            int at = simpleRule(id, f.title().isBlank() ? f.ruleId() : f.title(), f.severity(), "secret", ruleIndex, rules,
                    "Remove the secret from the image (from every layer: a later deletion does not remove it) and revoke it.");
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("severity", f.severity().name());
            props.put("match", f.match());
            if (f.layer() != null) props.put("layer", f.layer().toString());
            props.put("deletedLater", f.deletedLater());
            boolean inFile = f.path().startsWith("/");
            ArtifactLocation loc = inFile ? new ArtifactLocation(uriReference(f.path()), ROOT) : new ArtifactLocation(uriReference(target(inv)), null);
            results.add(new Result(id, at, level(f.severity()), new Text(ImageFindings.message(f, inv)),
                    List.of(new Location(new PhysicalLocation(loc, new Region(Math.max(1, f.line()))))),
                    Map.of(FINGERPRINT, simpleFingerprint(id, f.path(), String.valueOf(f.line()), f.match())), null, props));
        }
        for (dev.bulwark.model.HygieneFinding h : report.hygiene()) {
            String id = "hygiene/" + h.checkId();
            int at = simpleRule(id, h.title(), h.severity(), "hygiene", ruleIndex, rules, h.fix());
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("severity", h.severity().name());
            if (h.layer() != null) props.put("layer", h.layer().toString());
            props.put("fix", h.fix());
            boolean inFile = h.subject().startsWith("/");
            ArtifactLocation loc = inFile ? new ArtifactLocation(uriReference(h.subject()), ROOT) : new ArtifactLocation(uriReference(target(inv)), null);
            results.add(new Result(id, at, level(h.severity()), new Text(ImageFindings.message(h)),
                    List.of(new Location(new PhysicalLocation(loc, new Region(1)))),
                    Map.of(FINGERPRINT, simpleFingerprint(id, h.subject(), h.evidence())), null, props));
        }
        Driver driver = new Driver("Bulwark", opts.toolVersion(), rules);
        Map<String, ArtifactLocation> bases = new TreeMap<>(Map.of(ROOT, new ArtifactLocation("file:///", null)));
        List<Notification> notes = new ArrayList<>();
        for (String w : inv.warnings()) notes.add(new Notification("warning", new Text(w)));
        for (String w : report.warnings()) notes.add(new Notification("warning", new Text(w)));
        Invocation invocation = new Invocation(true, notes);
        return new Log(SCHEMA, "2.1.0", List.of(new Run(new Tool(driver), List.of(invocation), bases, results,
                runProperties(report))));
    }

    /** A rule for a secret kind or a hygiene check: one per id, its level from the first finding's severity. */
    private static int simpleRule(String id, String title, Severity severity, String kind, Map<String, Integer> index,
                                  List<Rule> rules, String help) {
        Integer at = index.get(id);
        if (at != null) return at;
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("tags", List.of(kind, "security"));
        props.put("precision", kind.equals("secret") ? "high" : "very-high");
        String score = switch (severity) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "2.0";
            case NEGLIGIBLE -> "0.0";
            case UNKNOWN -> null;
        };
        if (score != null) props.put("security-severity", score);
        rules.add(new Rule(id, new Text(title), null, null, new Help(help, md(help)), new Configuration(level(severity)), props));
        index.put(id, rules.size() - 1);
        return rules.size() - 1;
    }

    private static String simpleFingerprint(String... parts) {
        MessageDigest md = dev.bulwark.model.Digest.newSha256();
        return HexFormat.of().formatHex(md.digest(Json.wellFormed(String.join("\u0000", parts)).getBytes(StandardCharsets.UTF_8)));
    }

    private static int rule(Finding f, Map<String, Integer> index, List<Rule> rules) {
        Integer at = index.get(f.id());
        if (at != null) return at;
        String title = f.title().isBlank() ? f.id() : f.title();
        List<String> tags = new ArrayList<>(List.of("vulnerability", "security", f.severity().name()));
        if (f.knownExploited()) tags.add("known-exploited");
        Map<String, Object> props = new LinkedHashMap<>();
        String score = securitySeverity(f);
        if (score != null) props.put("security-severity", score);
        props.put("tags", tags);
        props.put("precision", "very-high");
        if (!f.aliases().isEmpty()) props.put("aliases", f.aliases());
        String link = Findings.firstLink(f.references());
        String full = f.aliases().isEmpty() ? title : title + " (" + f.id() + ", also " + String.join(", ", f.aliases()) + ")";
        rules.add(new Rule(f.id(), new Text(title), full.equals(title) ? null : new Text(full), link,
                new Help(helpText(f, title), helpMarkdown(f, title)), new Configuration(level(f.severity())), props));
        index.put(f.id(), rules.size() - 1);
        return rules.size() - 1;
    }

    private static Result result(Finding f, Inventory inv, int ruleIndex, Suppression suppression) {
        Package p = f.pkg();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("packageType", p.type().purlType());
        props.put("packageName", p.name());
        props.put("installedVersion", p.version());
        props.put("fixedVersions", f.fixedVersions());
        props.put("status", f.status().label());
        props.put("severity", f.severity().name());
        if (p.purl() != null) props.put("purl", p.purl());
        if (p.layer() != null) props.put("layer", p.layer().toString());
        if (f.knownExploited()) props.put("knownExploited", true);
        if (Double.isFinite(f.epss())) props.put("epss", f.epss());
        List<SarifSuppression> suppressions = suppression == null ? null
                : List.of(new SarifSuppression("external", "accepted", justification(suppression)));
        return new Result(f.id(), ruleIndex, level(f.severity()), new Text(message(f)), List.of(location(p, inv)),
                Map.of(FINGERPRINT, fingerprint(f)), suppressions, props);
    }

    /** "libssl3 3.0.11-1~deb12u2 (deb) is affected by CVE-2024-0727 (MEDIUM): fixed in 3.0.13-1~deb12u1". */
    static String message(Finding f) {
        Package p = f.pkg();
        StringBuilder sb = new StringBuilder().append(p.name());
        if (!p.version().isEmpty()) sb.append(' ').append(p.version());
        sb.append(" (").append(p.type().purlType()).append(") is affected by ").append(f.id()).append(" (")
                .append(f.severity().name());
        if (f.knownExploited()) sb.append(", known exploited");
        sb.append("): ").append(Findings.remedy(f));
        if (!f.title().isBlank()) sb.append(". ").append(f.title());
        return sb.toString();
    }

    /**
     * GitHub reads this score as the security severity, by CVSS bands. It is the CVSS base score when that score
     * falls in the finding's own severity band; otherwise (no score, or a distribution rating the CVE lower or
     * higher than NVD does) a score inside the finding's band, as Trivy uses, so that the viewer shows the severity
     * Bulwark reports. None for UNKNOWN.
     */
    static String securitySeverity(Finding f) {
        String score = Findings.score(f);
        if (score != null && f.cvss().severity() == f.severity()) return score;
        return switch (f.severity()) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "2.0";
            case NEGLIGIBLE -> "0.0";
            case UNKNOWN -> null;
        };
    }

    static String level(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, NEGLIGIBLE, UNKNOWN -> "note";
        };
    }

    /** The package's first file, relative to the image root; else the scanned target (without its kind). */
    private static Location location(Package p, Inventory inv) {
        ArtifactLocation at;
        if (!p.paths().isEmpty() && !p.paths().get(0).isBlank()) {
            at = new ArtifactLocation(uriReference(p.paths().get(0)), ROOT);
        } else {
            at = new ArtifactLocation(uriReference(target(inv)), null);
        }
        // code-scanning services want a region; line 1 stands for "the file" (Trivy does the same)
        return new Location(new PhysicalLocation(at, new Region(1)));
    }

    private static String target(Inventory inv) {
        ImageInfo i = inv.image();
        if (i == null || i.target() == null || i.target().isBlank()) return "image";
        String t = i.target();
        if (i.kind() != null && t.startsWith(i.kind() + ":") && t.length() > i.kind().length() + 1) t = t.substring(i.kind().length() + 1);
        return t;
    }

    /**
     * A relative URI reference for a path: the leading slashes dropped, every byte outside RFC 3986's unreserved
     * characters, sub-delims, '/' and '@' percent-encoded, and ':' too (a colon in the first segment would read as a
     * scheme).
     */
    static String uriReference(String path) {
        String s = path;
        int start = 0;
        while (start < s.length() && s.charAt(start) == '/') start++;
        s = s.substring(start);
        if (s.isEmpty()) s = ".";
        StringBuilder sb = new StringBuilder();
        for (byte b : Json.wellFormed(s).getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=/@".indexOf(c) >= 0;
            if (keep) sb.append((char) c);
            else sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
        }
        return sb.toString();
    }

    /**
     * Stable across scans for the same vulnerability in the same package at the same place, whatever its version:
     * a package upgraded but still vulnerable stays the same alert; a fixed one disappears.
     */
    static String fingerprint(Finding f) {
        Package p = f.pkg();
        String seed = String.join("\u0000", f.id(), p.type().purlType(), p.name(),
                p.properties().getOrDefault("arch", p.properties().getOrDefault("architecture", "")),
                p.paths().isEmpty() ? "" : p.paths().get(0));
        MessageDigest md = dev.bulwark.model.Digest.newSha256();
        return HexFormat.of().formatHex(md.digest(Json.wellFormed(seed).getBytes(StandardCharsets.UTF_8)));
    }

    private static String justification(Suppression s) {
        StringBuilder sb = new StringBuilder("suppressed by ").append(s.by() == null || s.by().isBlank() ? "unknown" : s.by());
        if (s.where() != null && !s.where().isBlank()) sb.append(" (").append(s.where()).append(')');
        if (s.reason() != null && !s.reason().isBlank()) sb.append(": ").append(s.reason().strip());
        return sb.toString();
    }

    private static String helpText(Finding f, String title) {
        StringBuilder sb = new StringBuilder();
        sb.append("Vulnerability ").append(f.id()).append('\n');
        if (!f.aliases().isEmpty()) sb.append("Aliases: ").append(String.join(", ", f.aliases())).append('\n');
        sb.append("Severity: ").append(f.severity().name());
        if (Findings.score(f) != null) sb.append(" (CVSS ").append(f.cvss().version()).append(' ').append(Findings.score(f)).append(')');
        sb.append('\n');
        if (f.knownExploited()) sb.append("Known exploited: listed in CISA's KEV catalog\n");
        sb.append(title).append('\n');
        for (String r : f.references()) sb.append(r).append('\n');
        return sb.toString().strip();
    }

    private static String helpMarkdown(Finding f, String title) {
        StringBuilder sb = new StringBuilder();
        sb.append("**Vulnerability ").append(md(f.id())).append("**\n\n");
        sb.append("| Severity | CVSS | Aliases | Known exploited |\n|---|---|---|---|\n");
        sb.append("| ").append(f.severity().name()).append(" | ")
                .append(Findings.score(f) == null ? "" : Findings.score(f) + " " + md(f.cvss().vector() == null ? "" : f.cvss().vector()))
                .append(" | ").append(md(String.join(", ", f.aliases()))).append(" | ").append(f.knownExploited() ? "yes (CISA KEV)" : "no")
                .append(" |\n\n");
        sb.append(md(title)).append("\n\n");
        for (String r : f.references()) {
            String url = Findings.link(r);
            if (url != null) sb.append("- <").append(url.replace(">", "%3E").replace("<", "%3C")).append(">\n");
        }
        return sb.toString().strip();
    }

    /** Escapes Markdown so that feed text shows as written and cannot make links or markup. */
    static String md(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("\\`*_[]()#!|<>~".indexOf(c) >= 0) sb.append('\\');
            sb.append(c == '\n' || c == '\r' ? ' ' : c);
        }
        return sb.toString();
    }

    private static Map<String, Object> runProperties(ScanReport report) {
        Map<String, Object> props = new LinkedHashMap<>();
        Inventory inv = report.inventory();
        ImageInfo i = inv.image();
        if (i != null) {
            if (i.target() != null) props.put("target", i.target());
            if (i.imageId() != null) props.put("imageId", i.imageId().toString());
            if (i.manifestDigest() != null) props.put("manifestDigest", i.manifestDigest().toString());
            if (!i.repoTags().isEmpty()) props.put("repoTags", i.repoTags());
            if (!i.repoDigests().isEmpty()) props.put("repoDigests", i.repoDigests());
        }
        if (inv.os() != null) props.put("os", Findings.osName(inv.os()));
        if (report.db() != null && report.db().builtAt() != null) props.put("dbBuiltAt", Sboms.iso(report.db().builtAt()));
        return props;
    }

    // ---- wire shape (field order is the order written) ----

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"$schema", "version", "runs"})
    record Log(@JsonProperty("$schema") String schema, String version, List<Run> runs) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"tool", "invocations", "originalUriBaseIds", "results", "properties"})
    record Run(Tool tool, List<Invocation> invocations, Map<String, ArtifactLocation> originalUriBaseIds,
               @JsonInclude(JsonInclude.Include.ALWAYS) List<Result> results, // an empty list says "scanned, nothing found"
               Map<String, Object> properties) {
    }

    record Tool(Driver driver) {
    }

    /** Scan and matching warnings become the invocation's notifications, which viewers show beside the results. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"executionSuccessful", "toolExecutionNotifications"})
    record Invocation(@JsonInclude(JsonInclude.Include.ALWAYS) boolean executionSuccessful,
                      List<Notification> toolExecutionNotifications) {
    }

    @JsonPropertyOrder({"level", "message"})
    record Notification(String level, Text message) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"name", "version", "rules"})
    record Driver(String name, String version, List<Rule> rules) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"id", "shortDescription", "fullDescription", "helpUri", "help", "defaultConfiguration", "properties"})
    record Rule(String id, Text shortDescription, Text fullDescription, String helpUri, Help help,
                Configuration defaultConfiguration, Map<String, Object> properties) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Text(String text) {
    }

    @JsonPropertyOrder({"text", "markdown"})
    record Help(String text, String markdown) {
    }

    record Configuration(String level) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"ruleId", "ruleIndex", "level", "message", "locations", "partialFingerprints", "suppressions",
            "properties"})
    record Result(String ruleId, @JsonInclude(JsonInclude.Include.ALWAYS) int ruleIndex, String level, Text message,
                  List<Location> locations, Map<String, String> partialFingerprints,
                  List<SarifSuppression> suppressions, Map<String, Object> properties) {
    }

    record Location(PhysicalLocation physicalLocation) {
    }

    @JsonPropertyOrder({"artifactLocation", "region"})
    record PhysicalLocation(ArtifactLocation artifactLocation, Region region) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"uri", "uriBaseId"})
    record ArtifactLocation(String uri, String uriBaseId) {
    }

    record Region(int startLine) {
    }

    @JsonPropertyOrder({"kind", "status", "justification"})
    record SarifSuppression(String kind, String status, String justification) {
    }
}
