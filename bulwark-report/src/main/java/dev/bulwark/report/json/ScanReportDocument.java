package dev.bulwark.report.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * The wire shape of a scan report in Bulwark JSON, schema version 1 (docs/report-json.md): the inventory document's
 * fields first, unchanged and in the same order (so an inventory reader reads a scan report as its inventory), then
 * what matching added. The same rules as {@link InventoryDocument}: absent values left out, lists always written.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schemaVersion", "tool", "scannedAt", "image", "os", "packages", "warnings", "secrets", "hygiene",
        "efficiency", "findings", "suppressed", "db", "matchWarnings"})
record ScanReportDocument(Integer schemaVersion, String tool, String scannedAt, InventoryDocument.Image image,
                          InventoryDocument.Os os, List<InventoryDocument.Pkg> packages, List<String> warnings,
                          List<InventoryDocument.Secret> secrets, List<InventoryDocument.Hygiene> hygiene,
                          InventoryDocument.Efficiency efficiency,
                          List<FindingDoc> findings, List<SuppressionDoc> suppressed, Db db, List<String> matchWarnings,
                          String kind) {

    /** A report whose secrets and hygiene lists are the report's (after the severity filter), not the inventory's. */
    ScanReportDocument(InventoryDocument inv, List<InventoryDocument.Secret> secrets, List<InventoryDocument.Hygiene> hygiene,
                       List<FindingDoc> findings, List<SuppressionDoc> suppressed, Db db, List<String> matchWarnings) {
        this(inv.schemaVersion(), inv.tool(), inv.scannedAt(), inv.image(), inv.os(), inv.packages(), inv.warnings(),
                secrets, hygiene, inv.efficiency(), findings, suppressed, db, matchWarnings, null);
    }

    InventoryDocument inventory() {
        return new InventoryDocument(schemaVersion, tool, scannedAt, image, os, packages, warnings, kind, secrets, hygiene, efficiency);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "aliases", "package", "fixedVersions", "status", "severity", "severitySource", "cvss",
            "knownExploited", "epss", "title", "dataSources", "references"})
    record FindingDoc(String id, List<String> aliases, @JsonProperty("package") InventoryDocument.Pkg pkg,
                      List<String> fixedVersions, String status, String severity, String severitySource, CvssDoc cvss,
                      Boolean knownExploited, Double epss, String title, List<String> dataSources,
                      List<String> references) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"version", "vector", "score", "source"})
    record CvssDoc(String version, String vector, Double score, String source) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"finding", "by", "reason", "where"})
    record SuppressionDoc(FindingDoc finding, String by, String reason, String where) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"location", "builtAt", "sources", "schema"})
    record Db(String location, String builtAt, List<SourceDoc> sources, Integer schema) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "records", "updatedAt", "origin"})
    record SourceDoc(String name, Long records, String updatedAt, String origin) {
    }
}
