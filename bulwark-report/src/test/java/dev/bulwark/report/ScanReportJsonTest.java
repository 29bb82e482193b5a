package dev.bulwark.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.model.Finding;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.ScanReport;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.bulwark.report.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScanReportJsonTest {
    private final String json = Schemas.render(ScanFixtures.report(), ReportFormat.JSON, options());

    @Test
    void roundTripsExactly() throws Exception {
        assertThat(read(json)).isEqualTo(ScanFixtures.report());
        ScanReport bare = new ScanReport(new Inventory(null, null, List.of(), List.of(), null, null), null, null, null, null);
        assertThat(read(Schemas.render(bare, ReportFormat.JSON, options()))).isEqualTo(bare);
    }

    @Test
    void theInventoryPartIsTheInventoryDocumentUnchanged() throws Exception {
        String inventoryJson = Schemas.render(ScanFixtures.inventory(), ReportFormat.JSON, options());
        // the same bytes up to the end of "warnings", then the scan's fields
        String head = inventoryJson.substring(0, inventoryJson.length() - "\n}\n".length());
        assertThat(json).startsWith(head + ",\n  \"findings\": [");
        assertThat(Reports.readInventoryJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(ScanFixtures.inventory());
        // and a bare inventory reads as a scan report with nothing found
        ScanReport fromInventory = read(inventoryJson);
        assertThat(fromInventory.inventory()).isEqualTo(ScanFixtures.inventory());
        assertThat(fromInventory.findings()).isEmpty();
        assertThat(fromInventory.db()).isNull();
    }

    @Test
    void writesTheDocumentedShape() {
        JsonNode doc = Schemas.tree(json);
        List<String> top = new ArrayList<>();
        doc.fieldNames().forEachRemaining(top::add);
        assertThat(top).containsExactly("schemaVersion", "tool", "scannedAt", "image", "os", "packages", "warnings",
                "findings", "suppressed", "db", "matchWarnings");
        JsonNode log4j = doc.at("/findings/0");
        assertThat(log4j.path("id").asText()).isEqualTo("CVE-2021-44228");
        assertThat(log4j.at("/package/name").asText()).isEqualTo("org.apache.logging.log4j:log4j-core");
        assertThat(log4j.at("/package/layer").asText()).isEqualTo(Fixtures.APP_LAYER.toString());
        assertThat(log4j.path("status").asText()).isEqualTo("fixed");
        assertThat(log4j.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(log4j.at("/cvss/score").asDouble()).isEqualTo(10.0);
        assertThat(log4j.path("knownExploited").asBoolean()).isTrue();
        assertThat(log4j.path("epss").asDouble()).isEqualTo(0.97565);
        // an unknown EPSS is left out, never written as a string "NaN"
        assertThat(doc.at("/findings/3/id").asText()).isEqualTo("CVE-2022-25883");
        assertThat(doc.at("/findings/3").has("epss")).isFalse();
        assertThat(doc.at("/findings/4/status").asText()).isEqualTo("will_not_fix");
        assertThat(doc.at("/suppressed/0/by").asText()).isEqualTo("openvex");
        assertThat(doc.at("/suppressed/0/finding/id").asText()).isEqualTo("CVE-2010-4756");
        assertThat(doc.at("/db/builtAt").asText()).isEqualTo("2024-05-01T06:00:00Z");
        assertThat(doc.at("/db/sources/1/name").asText()).isEqualTo("osv-go");
        assertThat(doc.at("/db/sources/1/records").asLong()).isEqualTo(2_841);
        assertThat(doc.at("/matchWarnings/0").asText()).startsWith("cryptography 42.0.5:");
        assertThat(json).doesNotContain("NaN").doesNotContain(": null");
        // the writer leaves no field undocumented
        String docs = Docs.reportJson();
        List<String> fields = new ArrayList<>();
        collectFieldNames(doc, fields);
        assertThat(fields).allSatisfy(f -> assertThat(docs).as("docs/report-json.md documents %s", f).contains("`" + f + "`"));
    }

    @Test
    void findingsKeepTheReportsOrder() throws Exception {
        List<Finding> reversed = new ArrayList<>(ScanFixtures.report().findings());
        java.util.Collections.reverse(reversed);
        ScanReport r = ScanFixtures.report();
        ScanReport other = new ScanReport(r.inventory(), reversed, r.suppressed(), r.db(), r.warnings());
        assertThat(read(Schemas.render(other, ReportFormat.JSON, options())).findings()).containsExactlyElementsOf(reversed);
    }

    @Test
    void namesTheFieldThatIsWrong() {
        assertThatThrownBy(() -> read(json.replace("\"severity\": \"CRITICAL\"", "\"severity\": \"SEVERE\"")))
                .isInstanceOf(ReportException.class)
                .satisfies(e -> assertThat(((ReportException) e).oneLine())
                        .isEqualTo("scan report JSON: findings[0].severity: unknown 'SEVERE'"));
        assertThatThrownBy(() -> read(json.replace("\"status\": \"will_not_fix\"", "\"status\": \"wontfix\"")))
                .isInstanceOf(ReportException.class).hasMessageContaining("findings[4].status: unknown 'wontfix'");
        assertThatThrownBy(() -> read(json.replace("\"type\": \"golang\"", "\"type\": \"go\"")))
                .isInstanceOf(ReportException.class).hasMessageContaining("packages[9].type: unknown package type 'go'");
        com.fasterxml.jackson.databind.node.ObjectNode doc = (com.fasterxml.jackson.databind.node.ObjectNode) Schemas.tree(json);
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.at("/suppressed/0/finding/package")).put("layer", "sha256:1");
        assertThatThrownBy(() -> read(doc.toString())).isInstanceOf(ReportException.class)
                .satisfies(e -> assertThat(((ReportException) e).oneLine())
                        .isEqualTo("scan report JSON: suppressed[0].finding.package.layer: malformed sha256 digest '1'"));
        assertThatThrownBy(() -> read(json.replace("\"builtAt\": \"2024-05-01T06:00:00Z\"", "\"builtAt\": \"yesterday\"")))
                .isInstanceOf(ReportException.class).hasMessageContaining("db.builtAt: not an ISO-8601 UTC instant: 'yesterday'");
        assertThatThrownBy(() -> read(json.replace("\"id\": \"CVE-2024-0727\",", "")))
                .isInstanceOf(ReportException.class).hasMessageContaining("findings[2].id: missing");
        assertThatThrownBy(() -> read("{\"schemaVersion\": 1, \"findings\": [null]}"))
                .isInstanceOf(ReportException.class).hasMessageContaining("findings[0]: null");
        assertThatThrownBy(() -> read("{\"schemaVersion\": 1, \"findings\": {}}"))
                .isInstanceOf(ReportException.class)
                .satisfies(e -> assertThat(((ReportException) e).where()).startsWith("scan report JSON line 1"));
        assertThatThrownBy(() -> read(json.replace("\"schemaVersion\": 1", "\"schemaVersion\": 2")))
                .isInstanceOf(ReportException.class).hasMessageContaining("schemaVersion: 2 is newer");
    }

    private static ScanReport read(String s) throws Exception {
        return Reports.readScanReportJson(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static void collectFieldNames(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (!e.getKey().equals("config") && !e.getKey().equals("properties")) collectFieldNames(e.getValue(), out);
                out.add(e.getKey());
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectFieldNames(n, out));
        }
    }
}
