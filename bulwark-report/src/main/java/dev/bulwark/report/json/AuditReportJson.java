package dev.bulwark.report.json;

import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Severity;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static dev.bulwark.report.json.InventoryJson.at;
import static dev.bulwark.report.json.InventoryJson.nonNull;
import static dev.bulwark.report.json.InventoryJson.orEmpty;

/**
 * Bulwark JSON for an audit report (docs/report-audit.md). Internal to bulwark-report (use {@code Reports}).
 */
public final class AuditReportJson {
    /** Bumped on any change an older reader would misread; additive fields do not bump it. */
    public static final int SCHEMA_VERSION = 2;
    /** The document's {@code kind}. */
    public static final String KIND = "audit";

    private AuditReportJson() {
    }

    public static void write(AuditReport report, OutputStream out) throws IOException {
        Json.write(toDocument(report), out);
    }

    /**
     * Reads an audit report written by {@link #write}.
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException when the input is not JSON of the expected shape
     * @throws IllegalArgumentException when it is, but says something the model rejects (message names the field)
     */
    public static AuditReport read(InputStream in) throws IOException {
        AuditReportDocument doc = Json.reader(AuditReportDocument.class).readValue(in);
        if (doc == null) throw new IllegalArgumentException("empty document");
        return fromDocument(doc);
    }

    static AuditReportDocument toDocument(AuditReport r) {
        List<AuditReportDocument.Result> results = r.results().stream().map(x -> new AuditReportDocument.Result(
                x.checkId(), x.title(), x.severity().name(), x.level(), x.status().name(), x.subject(), x.location(),
                x.evidence(), x.fix(), x.references())).toList();
        return new AuditReportDocument(SCHEMA_VERSION, KIND, r.tool(), r.target(),
                r.auditedAt() == null ? null : r.auditedAt().toString(), summary(r.results()), results, r.warnings());
    }

    private static AuditReportDocument.Summary summary(List<AuditResult> results) {
        Map<AuditStatus, Integer> n = new EnumMap<>(AuditStatus.class);
        for (AuditStatus s : AuditStatus.values()) n.put(s, 0);
        for (AuditResult r : results) n.merge(r.status(), 1, Integer::sum);
        int scored = n.get(AuditStatus.PASS) + n.get(AuditStatus.FAIL);
        return new AuditReportDocument.Summary(results.size(), n.get(AuditStatus.FAIL), n.get(AuditStatus.PASS),
                n.get(AuditStatus.WARN), n.get(AuditStatus.MANUAL), n.get(AuditStatus.INFO), n.get(AuditStatus.ERROR),
                scored == 0 ? null : Math.round(100f * n.get(AuditStatus.PASS) / scored));
    }

    static AuditReport fromDocument(AuditReportDocument d) {
        if (d.kind() == null) {
            throw new IllegalArgumentException("kind: missing; not a Bulwark audit report"
                    + (d.schemaVersion() != null ? " (an inventory or a scan report?)" : ""));
        }
        if (!d.kind().equals(KIND)) throw new IllegalArgumentException("kind: '" + d.kind() + "' is not an audit report");
        if (d.schemaVersion() == null || d.schemaVersion() < 1) {
            throw new IllegalArgumentException("schemaVersion: missing; not a Bulwark audit report");
        }
        if (d.schemaVersion() > SCHEMA_VERSION) {
            throw new IllegalArgumentException("schemaVersion: " + d.schemaVersion() + " is newer than this Bulwark reads ("
                    + SCHEMA_VERSION + "); upgrade Bulwark");
        }
        List<AuditResult> results = new ArrayList<>();
        List<AuditReportDocument.Result> in = orEmpty(d.results());
        for (int n = 0; n < in.size(); n++) {
            String where = "results[" + n + "]";
            if (in.get(n) == null) throw new IllegalArgumentException(where + ": null");
            int version = d.schemaVersion();
            results.add(at(where, in.get(n), r -> result(r, version)));
        }
        Instant at;
        try {
            at = d.auditedAt() == null ? null : Instant.parse(d.auditedAt());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("auditedAt: not an ISO-8601 UTC instant: '" + d.auditedAt() + "'", e);
        }
        return new AuditReport(d.target(), results, nonNull("warnings", d.warnings()), at, d.tool());
    }

    private static AuditResult result(AuditReportDocument.Result r, int version) {
        if (r.checkId() == null) throw new IllegalArgumentException("checkId: missing");
        if (r.status() == null) throw new IllegalArgumentException("status: missing");
        int level = r.level() == null ? 0 : r.level();
        if (level < 0 || level > 2) throw new IllegalArgumentException("level: " + level + " is not 0, 1 or 2");
        return new AuditResult(r.checkId(), r.title(), severity(r.severity()), level, status(r.status(), version),
                r.subject(), r.location(), r.evidence(), r.fix(), nonNull("references", r.references()));
    }

    /** Version 1 spoke docker-bench-security's words: WARN for FAIL, INFO for a human's review, NOTE for INFO. */
    private static AuditStatus status(String s, int version) {
        if (version == 1) {
            switch (s) {
                case "WARN" -> s = "FAIL";
                case "INFO" -> s = "WARN";
                case "NOTE" -> s = "INFO";
                case "FAIL", "MANUAL" -> throw new IllegalArgumentException("status: unknown '" + s + "' in schema version 1");
                default -> {
                }
            }
        }
        try {
            return AuditStatus.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status: unknown '" + s + "'", e);
        }
    }

    private static Severity severity(String s) {
        if (s == null) return null; // the model's default: UNKNOWN
        try {
            return Severity.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("severity: unknown '" + s + "'", e);
        }
    }
}
