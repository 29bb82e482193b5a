package dev.bulwark.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Severity;
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

/**
 * SARIF 2.1.0 for an audit: one run whose driver is Bulwark, one rule per check id, one result per FAIL (level by
 * severity) and per WARN and MANUAL (level {@code note}); PASS and INFO are not results, ERROR results (checks that could not
 * run) and the report's warnings are the invocation's notifications. File audits point at the file, line and column
 * (a relative URI); host audits name the subject (a container, "daemon", a host file) as a logical location.
 */
final class AuditSarifWriter {
    /** The key of the one partial fingerprint: bump the suffix if what it hashes ever changes. */
    static final String FINGERPRINT = "bulwarkAudit/v1";

    private AuditSarifWriter() {
    }

    static void write(AuditReport report, ReportOptions opts, OutputStream out) throws IOException {
        Json.write(log(report, opts), out);
    }

    static Log log(AuditReport report, ReportOptions opts) {
        boolean host = Audits.isHostAudit(report);
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        List<Rule> rules = new ArrayList<>();
        // every check that ran is a rule, in order of first appearance, whatever its verdicts
        Map<String, List<AuditResult>> byCheck = new LinkedHashMap<>();
        for (AuditResult r : report.results()) byCheck.computeIfAbsent(r.checkId(), k -> new ArrayList<>()).add(r);
        byCheck.forEach((id, rs) -> {
            ruleIndex.put(id, rules.size());
            rules.add(rule(rs));
        });

        List<Result> results = new ArrayList<>();
        List<Notification> notes = new ArrayList<>();
        for (AuditResult r : report.results()) {
            int index = ruleIndex.get(r.checkId());
            switch (r.status()) {
                case FAIL, WARN, MANUAL -> results.add(result(report, r, index, host));
                case ERROR -> notes.add(new Notification("error", new Text(errorMessage(r)), new RuleRef(r.checkId(), index)));
                case PASS, INFO -> {
                }
            }
        }
        for (String w : report.warnings()) notes.add(new Notification("warning", new Text(w), null));
        Driver driver = new Driver("Bulwark", opts.toolVersion(), rules);
        return new Log(SarifWriter.SCHEMA, "2.1.0", List.of(new Run(new Tool(driver),
                List.of(new Invocation(true, notes)), results, runProperties(report, host))));
    }

    private static Rule rule(List<AuditResult> results) {
        AuditResult first = results.get(0);
        String title = first.title().isBlank() ? first.checkId() : first.title();
        // the help is a fix: the first WARN's, else the first INFO's (fixes name their subject: each result's own
        // fix is in its message too)
        String fix = results.stream().filter(r -> r.status() == AuditStatus.FAIL && !r.fix().isBlank())
                .map(AuditResult::fix).findFirst()
                .orElse(results.stream().filter(r -> (r.status() == AuditStatus.WARN || r.status() == AuditStatus.MANUAL)
                                && !r.fix().isBlank())
                        .map(AuditResult::fix).findFirst().orElse(""));
        Help help = fix.isBlank() ? null : new Help(helpText(fix, first.references()), helpMarkdown(fix, first.references()));
        List<String> tags = new ArrayList<>(List.of("security"));
        int section = Audits.section(first);
        if (section > 0) {
            tags.add("CIS Docker Benchmark");
            tags.add("CIS " + Audits.sectionTitle(section));
        }
        Map<String, Object> props = new LinkedHashMap<>();
        String score = securitySeverity(first.severity());
        if (score != null) props.put("security-severity", score);
        props.put("tags", tags);
        if (section > 0) props.put("cisSection", section);
        if (!first.references().isEmpty()) props.put("references", first.references());
        return new Rule(first.checkId(), name(title, first.checkId()), new Text(title), Findings.firstLink(first.references()),
                help, new Configuration(SarifWriter.level(first.severity())), props);
    }

    private static Result result(AuditReport report, AuditResult r, int ruleIndex, boolean host) {
        String level = r.status() == AuditStatus.FAIL ? SarifWriter.level(r.severity()) : "note";
        Location location;
        if (host) {
            String name = r.subject().isBlank() ? (r.location().isBlank() ? "host" : r.location()) : r.subject();
            location = new Location(null, List.of(new LogicalLocation(name, fullyQualified(r, name), "resource")));
        } else {
            Audits.Position p = Audits.position(report, r);
            // code-scanning services want a region; line 1 stands for "the file" (as in the scan's SARIF)
            Region region = new Region(Math.max(1, p.line()), p.line() > 0 && p.column() > 0 ? p.column() : null);
            location = new Location(new PhysicalLocation(new ArtifactLocation(SarifWriter.uriReference(p.path())), region), null);
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("status", r.status().name());
        props.put("severity", r.severity().name());
        if (r.level() > 0) props.put("cisLevel", r.level());
        props.put("subject", r.subject());
        if (!r.location().isBlank()) props.put("location", r.location());
        return new Result(r.checkId(), ruleIndex, level, new Text(message(r, host)), List.of(location),
                Map.of(FINGERPRINT, fingerprint(r, host)), props);
    }

    /** The subject and its location ("web (3f4e...)", a container and its id) when the location adds something. */
    private static String fullyQualified(AuditResult r, String name) {
        return r.location().isBlank() || r.location().equals(name) ? null : name + " (" + r.location() + ")";
    }

    /**
     * "web: HostConfig.Privileged=true ... Fix: docker run ..." for a host; for a file, the evidence and the fix (the
     * location says where). The title stands in for missing evidence.
     */
    static String message(AuditResult r, boolean host) {
        StringBuilder sb = new StringBuilder();
        if (host && !r.subject().isBlank()) sb.append(r.subject()).append(": ");
        String what = r.evidence().isBlank() ? (r.title().isBlank() ? r.checkId() : r.title()) : r.evidence().strip();
        sb.append(what);
        if (r.status() == AuditStatus.WARN) sb.append(" (review: may be intended; confirm)");
        if (r.status() == AuditStatus.MANUAL) sb.append(" (manual check: Bulwark gathered the evidence, a human decides)");
        if (!r.fix().isBlank()) sb.append("\nFix: ").append(r.fix().strip());
        return sb.toString();
    }

    private static String errorMessage(AuditResult r) {
        StringBuilder sb = new StringBuilder("check ").append(r.checkId());
        if (!r.subject().isBlank()) sb.append(" on ").append(r.subject());
        sb.append(" could not run");
        if (!r.evidence().isBlank()) sb.append(": ").append(r.evidence().strip());
        return sb.toString();
    }

    /** A PascalCase identifier from the title ("EnsureThatPrivilegedContainersAreNotUsed"), as SARIF suggests. */
    static String name(String title, String id) {
        StringBuilder sb = new StringBuilder();
        for (String word : title.split("[^\\p{L}\\p{N}]+")) {
            if (word.isEmpty()) continue;
            sb.appendCodePoint(Character.toUpperCase(word.codePointAt(0))).append(word, word.offsetByCodePoints(0, 1), word.length());
        }
        return sb.isEmpty() ? id : sb.toString();
    }

    /** As the scan's SARIF: a score inside the severity's CVSS band, so that GitHub shows Bulwark's severity. */
    static String securitySeverity(Severity s) {
        return switch (s) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "2.0";
            case NEGLIGIBLE -> "0.0";
            case UNKNOWN -> null;
        };
    }

    /**
     * Stable across audits of the same thing: check, subject and, for files, the place (a line that moves is a new
     * alert); for hosts the subject only (a container recreated under the same name is the same alert).
     */
    static String fingerprint(AuditResult r, boolean host) {
        String seed = String.join("\u0000", r.checkId(), r.subject(), host ? "" : r.location());
        MessageDigest md = dev.bulwark.model.Digest.newSha256();
        return HexFormat.of().formatHex(md.digest(Json.wellFormed(seed).getBytes(StandardCharsets.UTF_8)));
    }

    private static String helpText(String fix, List<String> references) {
        StringBuilder sb = new StringBuilder("Fix: ").append(fix.strip()).append('\n');
        for (String ref : references) sb.append(ref).append('\n');
        return sb.toString().strip();
    }

    /** The fix as a code block (a fence longer than any backtick run in it), then the references, links only http(s). */
    private static String helpMarkdown(String fix, List<String> references) {
        int run = 0;
        int longest = 0;
        for (int i = 0; i < fix.length(); i++) {
            run = fix.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        StringBuilder sb = new StringBuilder("**Fix**\n\n").append(fence).append('\n').append(fix.strip()).append('\n')
                .append(fence).append("\n\n");
        for (String ref : references) {
            String url = Findings.link(ref);
            if (url != null) sb.append("- <").append(url.replace(">", "%3E").replace("<", "%3C")).append(">\n");
            else sb.append("- ").append(SarifWriter.md(ref)).append('\n');
        }
        return sb.toString().strip();
    }

    private static Map<String, Object> runProperties(AuditReport report, boolean host) {
        Map<String, Object> props = new LinkedHashMap<>();
        if (report.target() != null) props.put("target", report.target());
        props.put("audit", host ? "host" : "files");
        if (report.auditedAt() != null) props.put("auditedAt", report.auditedAt().toString());
        if (report.tool() != null) props.put("auditor", report.tool());
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("checks", report.results().size());
        Audits.count(report.results()).forEach((s, n) -> counts.put(Audits.lower(s), n));
        Integer score = Audits.score(report.results());
        if (score != null) counts.put("score", score);
        props.put("summary", counts);
        return props;
    }

    // ---- wire shape (field order is the order written) ----

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"$schema", "version", "runs"})
    record Log(@JsonProperty("$schema") String schema, String version, List<Run> runs) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"tool", "invocations", "results", "properties"})
    record Run(Tool tool, List<Invocation> invocations,
               @JsonInclude(JsonInclude.Include.ALWAYS) List<Result> results, // empty: "audited, nothing to report"
               Map<String, Object> properties) {
    }

    record Tool(Driver driver) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"executionSuccessful", "toolExecutionNotifications"})
    record Invocation(@JsonInclude(JsonInclude.Include.ALWAYS) boolean executionSuccessful,
                      List<Notification> toolExecutionNotifications) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"level", "message", "associatedRule"})
    record Notification(String level, Text message, RuleRef associatedRule) {
    }

    @JsonPropertyOrder({"id", "index"})
    record RuleRef(String id, int index) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"name", "version", "rules"})
    record Driver(String name, String version, List<Rule> rules) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"id", "name", "shortDescription", "helpUri", "help", "defaultConfiguration", "properties"})
    record Rule(String id, String name, Text shortDescription, String helpUri, Help help,
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
    @JsonPropertyOrder({"ruleId", "ruleIndex", "level", "message", "locations", "partialFingerprints", "properties"})
    record Result(String ruleId, @JsonInclude(JsonInclude.Include.ALWAYS) int ruleIndex, String level, Text message,
                  List<Location> locations, Map<String, String> partialFingerprints, Map<String, Object> properties) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"physicalLocation", "logicalLocations"})
    record Location(PhysicalLocation physicalLocation, List<LogicalLocation> logicalLocations) {
    }

    @JsonPropertyOrder({"artifactLocation", "region"})
    record PhysicalLocation(ArtifactLocation artifactLocation, Region region) {
    }

    record ArtifactLocation(String uri) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"startLine", "startColumn"})
    record Region(int startLine, Integer startColumn) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "fullyQualifiedName", "kind"})
    record LogicalLocation(String name, String fullyQualifiedName, String kind) {
    }
}
