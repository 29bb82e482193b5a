package dev.bulwark.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.bulwark.model.AuditReport;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.ScanReport;
import dev.bulwark.report.json.AuditReportJson;
import dev.bulwark.report.json.InventoryJson;
import dev.bulwark.report.json.ScanReportJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The report facade: an inventory or a scan report out in any {@link ReportFormat}, an audit report in any but the
 * SBOM formats, and Bulwark JSON back in. docs/report-json.md, docs/report-findings.md and docs/report-audit.md
 * describe the formats.
 */
public final class Reports {
    private Reports() {
    }

    /**
     * Writes {@code inv} to {@code out} in format {@code f}. The stream is flushed, not closed: it may be stdout.
     * The output depends only on the inventory and the options (the clock included), so it is reproducible.
     */
    public static void write(Inventory inv, ReportFormat f, OutputStream out, ReportOptions opts) throws IOException {
        Objects.requireNonNull(inv, "inventory");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(opts, "options");
        switch (Objects.requireNonNull(f, "format")) {
            case TABLE -> new TableWriter(opts).write(inv, out);
            case JSON -> InventoryJson.write(inv, out);
            case CYCLONEDX -> CycloneDxWriter.write(inv, opts, out);
            case SPDX -> SpdxWriter.write(inv, opts, out);
            // the vulnerability formats render a bare inventory as a scan without findings
            case SARIF, JUNIT, HTML -> write(Findings.of(inv), f, out, opts);
        }
        out.flush();
    }

    /**
     * Writes a scan report to {@code out} in format {@code f}: findings in the order the report gives them,
     * suppressed findings where the format has a place for them. SPDX, which has no vulnerability model, gets the
     * inventory only. The stream is flushed, not closed. The output depends only on the report and the options
     * (SBOM timestamps come from the options' clock; ages are measured from the inventory's scan time).
     */
    public static void write(ScanReport report, ReportFormat f, OutputStream out, ReportOptions opts) throws IOException {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(opts, "options");
        switch (Objects.requireNonNull(f, "format")) {
            case TABLE -> new FindingsTableWriter(opts).write(report, out);
            case JSON -> ScanReportJson.write(report, out);
            case CYCLONEDX -> CycloneDxWriter.write(report, opts, out);
            case SPDX -> SpdxWriter.write(report.inventory(), opts, out);
            case SARIF -> SarifWriter.write(report, opts, out);
            case JUNIT -> JUnitWriter.write(report, out);
            case HTML -> HtmlWriter.write(report, opts, out);
        }
        out.flush();
    }

    /**
     * Writes an audit report to {@code out} in format {@code f} (table, JSON, SARIF, JUnit or HTML): results in the
     * order the report gives them, grouped by benchmark section for a host audit (target {@code docker:...}) and by
     * file for a file audit. The stream is flushed, not closed. The output depends only on the report and the options
     * (no clock is read), so it is reproducible.
     *
     * @throws IllegalArgumentException for CycloneDX and SPDX, which describe software, not configuration (nothing is
     *                                  written)
     */
    public static void write(AuditReport report, ReportFormat f, OutputStream out, ReportOptions opts) throws IOException {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(opts, "options");
        switch (Objects.requireNonNull(f, "format")) {
            case TABLE -> new AuditTableWriter(opts).write(report, out);
            case JSON -> AuditReportJson.write(report, out);
            case SARIF -> AuditSarifWriter.write(report, opts, out);
            case JUNIT -> AuditJUnitWriter.write(report, out);
            case HTML -> AuditHtmlWriter.write(report, opts, out);
            case CYCLONEDX, SPDX -> throw new IllegalArgumentException("format " + f.label()
                    + " does not apply to audits (use table, json, sarif, junit or html)");
        }
        out.flush();
    }

    /**
     * Reads an audit report written in {@link ReportFormat#JSON}. Fields added by later versions of the same schema
     * version are ignored, and so is the {@code summary} (it is derived from the results).
     *
     * @throws ReportException when the input is not a Bulwark audit report Bulwark can read (says where and why)
     * @throws IOException     when reading the stream fails
     */
    public static AuditReport readAuditReportJson(InputStream in) throws IOException, ReportException {
        Objects.requireNonNull(in, "in");
        try {
            return AuditReportJson.read(in);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "audit report JSON" : "audit report JSON line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ReportException(where, e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ReportException("audit report JSON", e.getMessage(), e);
        }
    }

    /**
     * Reads an inventory written in {@link ReportFormat#JSON}, so that it can be matched again without the image.
     * Fields added by later versions of the same schema version are ignored.
     *
     * @throws ReportException when the input is not a Bulwark inventory Bulwark can read (says where and why)
     * @throws IOException     when reading the stream fails
     */
    public static Inventory readInventoryJson(InputStream in) throws IOException, ReportException {
        Objects.requireNonNull(in, "in");
        try {
            return InventoryJson.read(in);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "inventory JSON" : "inventory JSON line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ReportException(where, e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ReportException("inventory JSON", e.getMessage(), e);
        }
    }

    /**
     * Reads a scan report written in {@link ReportFormat#JSON}. A bare inventory document reads as a report with
     * no findings, no suppressions and no database. Fields added by later versions of the same schema version are
     * ignored.
     *
     * @throws ReportException when the input is not a Bulwark document Bulwark can read (says where and why)
     * @throws IOException     when reading the stream fails
     */
    public static ScanReport readScanReportJson(InputStream in) throws IOException, ReportException {
        Objects.requireNonNull(in, "in");
        try {
            return ScanReportJson.read(in);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "scan report JSON" : "scan report JSON line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ReportException(where, e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ReportException("scan report JSON", e.getMessage(), e);
        }
    }
}
