package dev.bulwark.report;

import java.util.Locale;

/**
 * The shapes an inventory or a scan report can be written in (docs/report-findings.md says what each carries).
 * Every format takes both; formats without a vulnerability model (SPDX) write a scan report's inventory only.
 * Audit reports take all but the SBOM formats (docs/report-audit.md).
 */
public enum ReportFormat {
    /** Human-readable columns for a terminal. */
    TABLE("text/plain; charset=utf-8", "table"),
    /**
     * Bulwark's own JSON (docs/report-json.md, docs/report-audit.md); the only one that can be read back (inventory,
     * scan report, audit report).
     */
    JSON("application/json", "json"),
    /** CycloneDX 1.6 JSON. */
    CYCLONEDX("application/vnd.cyclonedx+json", "cyclonedx", "cdx"),
    /** SPDX 2.3 JSON: the SBOM only, SPDX 2.3 has no place for vulnerabilities. */
    SPDX("application/spdx+json", "spdx", "spdx-json"),
    /** SARIF 2.1.0 JSON, as code-scanning services (GitHub, GitLab, Azure DevOps) import it. */
    SARIF("application/sarif+json", "sarif"),
    /**
     * JUnit XML: one test case per package, failing when it has findings (for CI test-report views); for an audit,
     * one test case per result, failing on WARN.
     */
    JUNIT("application/xml", "junit"),
    /** One self-contained HTML page: summary, findings, packages. */
    HTML("text/html; charset=utf-8", "html");

    private final String mediaType;
    private final String[] names;

    ReportFormat(String mediaType, String... names) {
        this.mediaType = mediaType;
        this.names = names;
    }

    /** The name users give it ("table", "cyclonedx"): the first of its names. */
    public String label() {
        return names[0];
    }

    /** Whether an audit report can be written in this format: all but the SBOM formats. */
    public boolean appliesToAudits() {
        return this != CYCLONEDX && this != SPDX;
    }

    /** Content type for HTTP responses and file associations. */
    public String mediaType() {
        return mediaType;
    }

    /**
     * The format a user named, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException naming the valid names when {@code name} is none of them
     */
    public static ReportFormat parse(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (ReportFormat f : values()) {
            for (String n : f.names) {
                if (n.equals(wanted)) return f;
            }
        }
        throw new IllegalArgumentException("unknown report format '" + (name == null ? "" : name.strip())
                + "' (valid: " + validNames() + ")");
    }

    private static String validNames() {
        StringBuilder sb = new StringBuilder();
        for (ReportFormat f : values()) {
            for (String n : f.names) {
                if (!sb.isEmpty()) sb.append(", ");
                sb.append(n);
            }
        }
        return sb.toString();
    }
}
