package dev.bulwark.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.model.Digest;
import dev.bulwark.model.HygieneFinding;
import dev.bulwark.model.ImageEfficiency;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.SecretFinding;
import dev.bulwark.model.Severity;
import dev.bulwark.report.json.InventoryJson;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Secrets and hygiene problems in every scan-report format: round trips, schema validity, nothing unredacted. */
class ImageFindingsReportTest {
    /** A build ARG as the legacy builder records it in a RUN step's history line. */
    private static final String ARG_VALUE = "ghp_notARealTokenButLongEnough0123456789";

    private static ScanReport report() {
        Inventory base = ScanFixtures.inventory();
        ImageInfo i = base.image();
        List<LayerInfo> layers = new ArrayList<>(i.layers());
        Digest extra = Digest.sha256("extra".getBytes(StandardCharsets.UTF_8));
        layers.add(new LayerInfo(layers.size(), extra, extra, 10, "application/vnd.oci.image.layer.v1.tar",
                "|1 DEPLOY_TOKEN=" + ARG_VALUE + " /bin/sh -c make"));
        ImageInfo image = new ImageInfo(i.target(), i.kind(), i.imageId(), i.manifestDigest(), i.repoTags(), i.repoDigests(), i.platform(),
                i.created(), layers, i.config());
        List<SecretFinding> secrets = List.of(
                new SecretFinding("private-key", Severity.CRITICAL, "Private key (RSA)", "MIIE********", "/root/.ssh/id_rsa", extra, true, 1),
                new SecretFinding("build-arg", Severity.HIGH, "Secret build ARG DEPLOY_TOKEN recorded in the image history", "ghp_noth********",
                        "config:history[" + (layers.size() - 1) + "]", extra, false, 0));
        List<HygieneFinding> hygiene = List.of(
                new HygieneFinding("CIS-4.1", "A user for the container has been created", Severity.MEDIUM, "image config", null, "User is not set", "add USER app"),
                new HygieneFinding("BW-H-WASTE", "No bytes wasted", Severity.LOW, "/app/blob.bin", extra, "4.0 MiB in layer 3", "same RUN"));
        Inventory inv = new Inventory(image, base.os(), base.packages(), base.warnings(), base.scannedAt(), base.tool(), secrets, hygiene,
                new ImageEfficiency(10_000_000, 4_194_304, 300_000, 1 - 4_194_304 / 10_000_000.0));
        ScanReport r = ScanFixtures.report();
        return new ScanReport(inv, r.findings(), r.suppressed(), r.db(), r.warnings(), secrets, hygiene);
    }

    private static ReportOptions options() {
        return ReportOptions.defaults();
    }

    @Test
    void jsonRoundTripsSecretsHygieneAndEfficiency() throws Exception {
        ScanReport r = report();
        String json = Schemas.render(r, ReportFormat.JSON, options());
        ScanReport back = Reports.readScanReportJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(back.secrets()).isEqualTo(r.secrets());
        assertThat(back.hygiene()).isEqualTo(r.hygiene());
        assertThat(back.inventory().efficiency()).isEqualTo(r.inventory().efficiency());
        assertThat(back.inventory().secrets()).isEqualTo(r.secrets());
        assertThat(json).doesNotContain(ARG_VALUE).contains("DEPLOY_TOKEN=***");
        // the inventory alone (sbom -f json) carries them too, and an old reader's fields come first, unchanged
        String inv = Schemas.render(r.inventory(), ReportFormat.JSON, options());
        Inventory invBack = Reports.readInventoryJson(new ByteArrayInputStream(inv.getBytes(StandardCharsets.UTF_8)));
        assertThat(invBack.secrets()).isEqualTo(r.secrets());
        assertThat(inv.indexOf("\"warnings\"")).isLessThan(inv.indexOf("\"secrets\""));
    }

    @Test
    void badSecretEntriesAreRefusedNamingTheField() {
        String doc = "{\"schemaVersion\":1,\"packages\":[],\"warnings\":[],\"secrets\":[{\"rule\":\"x\",\"path\":\"/a\",\"severity\":\"AWFUL\"}]}";
        assertThatThrownBy(() -> Reports.readInventoryJson(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("secrets[0].severity");
        String noPath = "{\"schemaVersion\":1,\"packages\":[],\"warnings\":[],\"secrets\":[{\"rule\":\"x\"}]}";
        assertThatThrownBy(() -> Reports.readInventoryJson(new ByteArrayInputStream(noPath.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("secrets[0].path");
    }

    @Test
    void sarifStaysValidWithSecretAndHygieneResults() {
        JsonNode sarif = Schemas.tree(Schemas.render(report(), ReportFormat.SARIF, options()));
        assertThat(Schemas.validate(Schemas.SARIF_2_1_0, sarif)).isEmpty();
        List<String> ids = new ArrayList<>();
        sarif.at("/runs/0/results").forEach(n -> ids.add(n.get("ruleId").asText()));
        assertThat(ids).contains("secret/private-key", "secret/build-arg", "hygiene/CIS-4.1", "hygiene/BW-H-WASTE");
        JsonNode key = null;
        for (JsonNode n : sarif.at("/runs/0/results")) if (n.get("ruleId").asText().equals("secret/private-key")) key = n;
        assertThat(key.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("root/.ssh/id_rsa");
        assertThat(key.at("/properties/deletedLater").asBoolean()).isTrue();
    }

    @Test
    void tableJunitAndHtmlShowThem() {
        ScanReport r = report();
        String table = Schemas.render(r, ReportFormat.TABLE, options());
        assertThat(table).contains("Secrets").contains("2 secrets (CRITICAL: 1, HIGH: 1)").contains("MIIE********")
                .contains("Image hygiene").contains("efficiency 58.1%");
        String junit = Schemas.render(r, ReportFormat.JUNIT, options());
        assertThat(junit).contains("<testsuite name=\"Secrets\" tests=\"2\" failures=\"2\"").contains("name=\"Image hygiene\"");
        String html = Schemas.render(r, ReportFormat.HTML, options());
        assertThat(html).contains("<h2>Secrets (2)</h2>").contains("deleted later").contains("<h2>Image hygiene (2)</h2>");
        for (String s : List.of(table, junit, html)) assertThat(s).doesNotContain(ARG_VALUE);
    }

    @Test
    void buildArgValuesAreMaskedInHistoryLines() {
        assertThat(InventoryJson.maskBuildArgs("|2 A=1 TOKEN=abc /bin/sh -c echo A=2")).isEqualTo("|2 A=*** TOKEN=*** /bin/sh -c echo A=2");
        assertThat(InventoryJson.maskBuildArgs("/bin/sh -c echo X=1")).isEqualTo("/bin/sh -c echo X=1");
        assertThat(InventoryJson.maskBuildArgs("|x A=1")).isEqualTo("|x A=1");
        assertThat(InventoryJson.maskBuildArgs("|3 A=1")).isEqualTo("|3 A=***");
        assertThat(InventoryJson.maskBuildArgs(null)).isNull();
    }
}
