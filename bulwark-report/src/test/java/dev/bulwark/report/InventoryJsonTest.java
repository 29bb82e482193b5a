package dev.bulwark.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.bulwark.report.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InventoryJsonTest {
    @Test
    void roundTripsExactly() throws Exception {
        for (Inventory inv : List.of(Fixtures.debianApp(), Fixtures.rootfs(),
                new Inventory(null, null, List.of(), List.of(), null, null))) {
            assertThat(read(Schemas.render(inv, ReportFormat.JSON, options()))).isEqualTo(inv);
        }
    }

    @Test
    void writesTheDocumentedShape() {
        String json = Schemas.render(Fixtures.debianApp(), ReportFormat.JSON, options());
        assertThat(json).startsWith("{\n  \"schemaVersion\": 1,\n  \"tool\": \"bulwark\",\n  \"scannedAt\": \"2024-05-02T09:15:30.123456789Z\",");
        assertThat(json).endsWith("}\n");
        JsonNode doc = Schemas.tree(json);
        assertThat(doc.at("/image/imageId").asText()).isEqualTo(Fixtures.IMAGE_ID.toString());
        assertThat(doc.at("/image/platform/architecture").asText()).isEqualTo("amd64");
        assertThat(doc.at("/image/platform").has("variant")).isFalse();
        assertThat(doc.at("/image/layers/1/diffId").asText()).isEqualTo(Fixtures.APP_LAYER.toString());
        assertThat(doc.at("/os/prettyName").asText()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        JsonNode first = doc.at("/packages/0");
        assertThat(first.path("type").asText()).isEqualTo("deb");
        assertThat(first.at("/source/name").asText()).isEqualTo("openssl");
        List<String> keys = new ArrayList<>();
        doc.at("/image/config").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("entrypoint", "envNames", "user"); // sorted: output does not vary run to run
        // the writer leaves no field undocumented
        String docs = Docs.reportJson();
        List<String> fields = new ArrayList<>();
        collectFieldNames(doc, fields);
        assertThat(fields).allSatisfy(f -> assertThat(docs).as("docs/report-json.md documents %s", f).contains("`" + f + "`"));
    }

    @Test
    void ignoresFieldsItDoesNotKnow() throws Exception {
        String json = Schemas.render(Fixtures.rootfs(), ReportFormat.JSON, options())
                .replaceFirst("\"schemaVersion\": 1,", "\"schemaVersion\": 1, \"addedLater\": {\"x\": [1]},");
        assertThat(read(json)).isEqualTo(Fixtures.rootfs());
    }

    @Test
    void refusesANewerSchema() {
        String json = Schemas.render(Fixtures.rootfs(), ReportFormat.JSON, options()).replace("\"schemaVersion\": 1", "\"schemaVersion\": 2");
        assertThatThrownBy(() -> read(json)).isInstanceOf(ReportException.class).hasMessageContaining("schemaVersion: 2 is newer");
    }

    @Test
    void refusesWhatIsNotAnInventory() {
        assertThatThrownBy(() -> read("{\"packages\": []}")).isInstanceOf(ReportException.class)
                .hasMessageContaining("schemaVersion: missing");
        assertThatThrownBy(() -> read("{\n  \"schemaVersion\": 1,\n  \"packages\": [ }"))
                .isInstanceOf(ReportException.class)
                .satisfies(e -> assertThat(((ReportException) e).where()).isEqualTo("inventory JSON line 3, column 17"));
        assertThatThrownBy(() -> read("")).isInstanceOf(ReportException.class);
    }

    @Test
    void namesTheFieldThatIsWrong() {
        String bad = Schemas.render(Fixtures.debianApp(), ReportFormat.JSON, options())
                .replace("\"layer\": \"" + Fixtures.BASE_LAYER + "\"", "\"layer\": \"sha256:123\"");
        assertThatThrownBy(() -> read(bad)).isInstanceOf(ReportException.class)
                .satisfies(e -> assertThat(((ReportException) e).oneLine())
                        .isEqualTo("inventory JSON: packages[0].layer: malformed sha256 digest '123'"));
        String badType = Schemas.render(Fixtures.rootfs(), ReportFormat.JSON, options()).replace("\"type\": \"apk\"", "\"type\": \"snap\"");
        assertThatThrownBy(() -> read(badType)).isInstanceOf(ReportException.class)
                .hasMessageContaining("packages[0].type: unknown package type 'snap'");
        String nullLicence = Schemas.render(Fixtures.rootfs(), ReportFormat.JSON, options()).replace("\"MIT\"", "null");
        assertThatThrownBy(() -> read(nullLicence)).isInstanceOf(ReportException.class)
                .hasMessageContaining("packages[0].licenses: null element");
    }

    @Test
    void unpairedSurrogatesDoNotStopTheWriter() throws Exception {
        Inventory inv = new Inventory(null, null, List.of(new Package(PackageType.NPM, "bad\ud800name", "1", null, null,
                List.of(), null, List.of("/p\udc00"), Map.of("k\udc00", "v"))), List.of("w\ud800"), null, "bulwark");
        Inventory back = read(Schemas.render(inv, ReportFormat.JSON, options()));
        assertThat(back.packages().get(0).name()).isEqualTo("bad\uFFFDname");
        assertThat(back.packages().get(0).properties()).containsOnlyKeys("k\uFFFD");
        assertThat(back.packages().get(0).paths()).containsExactly("/p\uFFFD");
        assertThat(back.warnings()).containsExactly("w\uFFFD");
        for (ReportFormat f : ReportFormat.values()) {
            String out = Schemas.render(inv, f, options());
            // SARIF lists results, and an inventory alone has none: it names no package
            if (f == ReportFormat.SARIF) assertThat(Schemas.tree(out).at("/runs/0/results").isEmpty()).isTrue();
            else assertThat(out).contains("bad");
        }
    }

    private static Inventory read(String json) throws Exception {
        return Reports.readInventoryJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static void collectFieldNames(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                // config and properties are free-form maps: their keys are data, not fields
                if (!e.getKey().equals("config") && !e.getKey().equals("properties")) collectFieldNames(e.getValue(), out);
                out.add(e.getKey());
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectFieldNames(n, out));
        }
    }
}
