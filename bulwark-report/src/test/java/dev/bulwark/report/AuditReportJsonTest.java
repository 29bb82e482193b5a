package dev.bulwark.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Severity;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.bulwark.report.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditReportJsonTest {
    private final String json = Schemas.render(AuditFixtures.host(), ReportFormat.JSON, options());

    @Test
    void roundTripsExactly() throws Exception {
        assertThat(read(json)).isEqualTo(AuditFixtures.host());
        assertThat(read(Schemas.render(AuditFixtures.files(), ReportFormat.JSON, options()))).isEqualTo(AuditFixtures.files());
        AuditReport bare = new AuditReport(null, null, null, null, null);
        String bareJson = Schemas.render(bare, ReportFormat.JSON, options());
        assertThat(read(bareJson)).isEqualTo(bare);
        assertThat(bareJson).doesNotContain("null").contains("\"results\": [ ]").contains("\"warnings\": [ ]");
        // nanoseconds survive: the report's time, not a rounded one
        assertThat(json).contains("\"auditedAt\": \"2024-05-02T09:15:30.123456789Z\"");
        // the same report gives the same bytes (no clock is read)
        assertThat(Schemas.render(AuditFixtures.host(), ReportFormat.JSON, options().withCreated(java.time.Instant.EPOCH)))
                .isEqualTo(json);
    }

    @Test
    void writesTheDocumentedShape() {
        JsonNode doc = Schemas.tree(json);
        List<String> top = new ArrayList<>();
        doc.fieldNames().forEachRemaining(top::add);
        assertThat(top).containsExactly("schemaVersion", "kind", "tool", "target", "auditedAt", "summary", "results", "warnings");
        assertThat(doc.path("schemaVersion").asInt()).isEqualTo(2);
        assertThat(doc.path("kind").asText()).isEqualTo("audit");
        assertThat(doc.path("summary").toString())
                .isEqualTo("{\"checks\":17,\"fail\":6,\"pass\":6,\"warn\":1,\"manual\":1,\"info\":2,\"error\":1,\"score\":50}");
        JsonNode first = doc.at("/results/0");
        List<String> fields = new ArrayList<>();
        first.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("checkId", "title", "severity", "level", "status", "subject", "location", "evidence", "fix",
                "references");
        assertThat(first.path("status").asText()).isEqualTo("FAIL");
        assertThat(first.path("severity").asText()).isEqualTo("LOW");
        assertThat(first.path("level").asInt()).isEqualTo(1);
        assertThat(first.path("location").asText()).isEmpty(); // every result field is written, even when empty
        assertThat(doc.at("/results/3/fix").asText()).isEqualTo("Set in /etc/docker/daemon.json:\n  \"icc\": false\nthen restart dockerd");
        // a report where nothing passed or warned has no score, rather than a made-up one
        JsonNode onlyNotes = Schemas.tree(Schemas.render(new AuditReport("docker:x", List.of(new AuditResult("7.1", "t", null, 1,
                AuditStatus.INFO, "host", "", "swarm mode is not active", "", List.of())), List.of(), null, null), ReportFormat.JSON, options()));
        assertThat(onlyNotes.at("/summary").has("score")).isFalse();
        // the writer leaves no field undocumented
        String docs = Docs.reportAudit();
        List<String> names = new ArrayList<>();
        collectFieldNames(doc, names);
        assertThat(names).allSatisfy(f -> assertThat(docs).as("docs/report-audit.md documents %s", f).contains("`" + f + "`"));
    }

    @Test
    void theSummaryIsNotReadBack() throws Exception {
        String lying = json.replace("\"fail\": 6", "\"fail\": 600");
        assertThat(read(lying)).isEqualTo(AuditFixtures.host());
        String later = json.replaceFirst("\"kind\": \"audit\",", "\"kind\": \"audit\", \"addedLater\": {\"x\": [1]},");
        assertThat(read(later)).isEqualTo(AuditFixtures.host());
    }

    @Test
    void readsVersionOneWithDockerBenchWords() throws Exception {
        String v1 = "{\"schemaVersion\": 1, \"kind\": \"audit\", \"results\": ["
                + "{\"checkId\": \"5.4\", \"status\": \"WARN\"}, {\"checkId\": \"1.1.2\", \"status\": \"INFO\"},"
                + "{\"checkId\": \"7.1\", \"status\": \"NOTE\"}, {\"checkId\": \"2.2\", \"status\": \"PASS\"}]}";
        assertThat(read(v1).results()).extracting(AuditResult::status)
                .containsExactly(AuditStatus.FAIL, AuditStatus.WARN, AuditStatus.INFO, AuditStatus.PASS);
        assertThat(read(v1).results()).extracting(AuditResult::level).containsOnly(0);
        assertThatThrownBy(() -> read(v1.replace("NOTE", "MANUAL"))).isInstanceOf(ReportException.class)
                .hasMessageContaining("status: unknown 'MANUAL' in schema version 1");
    }

    @Test
    void namesTheFieldThatIsWrong() {
        assertThatThrownBy(() -> read(json.replace("\"status\": \"WARN\"", "\"status\": \"MAYBE\"")))
                .isInstanceOf(ReportException.class)
                .satisfies(e -> assertThat(((ReportException) e).oneLine())
                        .isEqualTo("audit report JSON: results[1].status: unknown 'MAYBE'"));
        assertThatThrownBy(() -> read(json.replace("\"level\": 1,", "\"level\": 3,")))
                .isInstanceOf(ReportException.class).hasMessageContaining("results[0].level: 3 is not 0, 1 or 2");
        assertThatThrownBy(() -> read(json.replace("\"severity\": \"HIGH\"", "\"severity\": \"SEVERE\"")))
                .isInstanceOf(ReportException.class).hasMessageContaining("results[1].severity: unknown 'SEVERE'");
        assertThatThrownBy(() -> read(json.replace("\"checkId\": \"2.2\",", "")))
                .isInstanceOf(ReportException.class).hasMessageContaining("results[3].checkId: missing");
        assertThatThrownBy(() -> read("{\"schemaVersion\": 1, \"kind\": \"audit\", \"results\": [null]}"))
                .isInstanceOf(ReportException.class).hasMessageContaining("results[0]: null");
        assertThatThrownBy(() -> read("{\"schemaVersion\": 1, \"kind\": \"audit\", \"results\": [{\"checkId\": \"1\"}]}"))
                .isInstanceOf(ReportException.class).hasMessageContaining("results[0].status: missing");
        assertThatThrownBy(() -> read(json.replace("\"auditedAt\": \"2024-05-02T09:15:30.123456789Z\"", "\"auditedAt\": \"today\"")))
                .isInstanceOf(ReportException.class).hasMessageContaining("auditedAt: not an ISO-8601 UTC instant: 'today'");
        assertThatThrownBy(() -> read("{\"schemaVersion\": 1, \"kind\": \"audit\", \"results\": {}}"))
                .isInstanceOf(ReportException.class)
                .satisfies(e -> assertThat(((ReportException) e).where()).startsWith("audit report JSON line 1"));
        assertThatThrownBy(() -> read(json.replace("\"schemaVersion\": 2", "\"schemaVersion\": 3")))
                .isInstanceOf(ReportException.class).hasMessageContaining("schemaVersion: 3 is newer");
        assertThatThrownBy(() -> read("")).isInstanceOf(ReportException.class);
    }

    @Test
    void auditsAndScansAreNotMistakenForEachOther() throws Exception {
        String scan = Schemas.render(ScanFixtures.report(), ReportFormat.JSON, options());
        assertThatThrownBy(() -> read(scan)).isInstanceOf(ReportException.class)
                .hasMessageContaining("kind: missing; not a Bulwark audit report (an inventory or a scan report?)");
        // an inventory reader does not take an audit for an image without packages
        assertThatThrownBy(() -> Reports.readInventoryJson(stream(json))).isInstanceOf(ReportException.class)
                .hasMessageContaining("kind: 'audit' is an audit report, not an inventory or a scan report");
        assertThatThrownBy(() -> Reports.readScanReportJson(stream(json))).isInstanceOf(ReportException.class)
                .hasMessageContaining("kind: 'audit' is an audit report");
        assertThatThrownBy(() -> read(json.replace("\"kind\": \"audit\"", "\"kind\": \"sbom\"")))
                .isInstanceOf(ReportException.class).hasMessageContaining("kind: 'sbom' is not an audit report");
        // inventories and scan reports still read as before, and are written without a kind
        assertThat(Reports.readScanReportJson(stream(scan))).isEqualTo(ScanFixtures.report());
        assertThat(Schemas.tree(scan).has("kind")).isFalse();
        assertThat(Schemas.tree(Schemas.render(ScanFixtures.inventory(), ReportFormat.JSON, options())).has("kind")).isFalse();
    }

    @Test
    void theSbomFormatsDoNotApply() {
        for (ReportFormat f : List.of(ReportFormat.CYCLONEDX, ReportFormat.SPDX)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThatThrownBy(() -> Reports.write(AuditFixtures.host(), f, out, options()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("format " + f.label() + " does not apply to audits (use table, json, sarif, junit or html)");
            assertThat(out.size()).isZero();
            assertThat(f.appliesToAudits()).isFalse();
        }
        for (ReportFormat f : ReportFormat.values()) {
            if (f.appliesToAudits()) assertThat(Schemas.render(AuditFixtures.files(), f, options())).isNotEmpty();
        }
        assertThat(ReportFormat.SPDX.label()).isEqualTo("spdx");
        assertThat(ReportOptions.defaults().quiet()).isFalse();
    }

    private static AuditReport read(String s) throws Exception {
        return Reports.readAuditReportJson(stream(s));
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void collectFieldNames(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                collectFieldNames(e.getValue(), out);
                out.add(e.getKey());
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectFieldNames(n, out));
        }
    }
}
