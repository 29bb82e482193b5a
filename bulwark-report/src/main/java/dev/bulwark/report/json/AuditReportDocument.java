package dev.bulwark.report.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * The wire shape of an audit report in Bulwark JSON, audit schema version 2 (docs/report-audit.md; version 1 is read too). Field names and
 * order are the published format. {@code kind} says what the document is (an inventory reader refuses it);
 * {@code summary} is derived from the results, written for readers of the file and ignored when read back. Absent
 * report values (no target, tool or time) are left out; every result field is always written.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schemaVersion", "kind", "tool", "target", "auditedAt", "summary", "results", "warnings"})
record AuditReportDocument(Integer schemaVersion, String kind, String tool, String target, String auditedAt,
                           Summary summary, List<Result> results, List<String> warnings) {

    /** Counts per status over all results, and PASS / (PASS + FAIL) in percent (left out when both are 0). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"checks", "fail", "pass", "warn", "manual", "info", "error", "score"})
    record Summary(Integer checks, Integer fail, Integer pass, Integer warn, Integer manual, Integer info, Integer error,
                   Integer score) {
    }

    /** {@code level}: the CIS profile level, 1 or 2, or 0 outside the benchmark (absent in version 1: read as 0). */
    @JsonPropertyOrder({"checkId", "title", "severity", "level", "status", "subject", "location", "evidence", "fix", "references"})
    record Result(String checkId, String title, String severity, Integer level, String status, String subject,
                  String location, String evidence, String fix, List<String> references) {
    }
}
