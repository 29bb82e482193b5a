package dev.bulwark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.model.Finding;
import dev.bulwark.model.FindingStatus;
import dev.bulwark.model.Package;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.Severity;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.bulwark.report.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

class SarifWriterTest {
    private final String json = Schemas.render(ScanFixtures.report(), ReportFormat.SARIF, options());
    private final JsonNode sarif = Schemas.tree(json);
    private final JsonNode run = sarif.at("/runs/0");

    @Test
    void isValidAgainstTheOfficialSchema() {
        assertThat(Schemas.validate(Schemas.SARIF_2_1_0, sarif)).isEmpty();
        // an inventory without findings too: an empty results array says "scanned, nothing found"
        JsonNode empty = Schemas.tree(Schemas.render(Fixtures.rootfs(), ReportFormat.SARIF, options()));
        assertThat(Schemas.validate(Schemas.SARIF_2_1_0, empty)).isEmpty();
        assertThat(empty.at("/runs/0/results").isArray()).isTrue();
        assertThat(empty.at("/runs/0/results")).isEmpty();
    }

    @Test
    void theSchemaCheckRejectsWhatItShould() {
        ObjectNode badLevel = sarif.deepCopy();
        ((ObjectNode) badLevel.at("/runs/0/results/0")).put("level", "critical");
        assertThat(Schemas.validate(Schemas.SARIF_2_1_0, badLevel)).isNotEmpty();
        ObjectNode noMessage = sarif.deepCopy();
        ((ObjectNode) noMessage.at("/runs/0/results/0")).remove("message");
        assertThat(Schemas.validate(Schemas.SARIF_2_1_0, noMessage)).isNotEmpty();
        ObjectNode badUri = sarif.deepCopy();
        ((ObjectNode) badUri.at("/runs/0/tool/driver/rules/0")).put("helpUri", "not a uri");
        assertThat(Schemas.validate(Schemas.SARIF_2_1_0, badUri)).isNotEmpty();
    }

    @Test
    void oneRunDrivenByBulwark() {
        assertThat(sarif.path("version").asText()).isEqualTo("2.1.0");
        assertThat(sarif.path("runs")).hasSize(1);
        assertThat(run.at("/tool/driver/name").asText()).isEqualTo("Bulwark");
        assertThat(run.at("/tool/driver/version").asText()).isEqualTo("1.2.3");
        assertThat(run.at("/originalUriBaseIds/ROOTPATH/uri").asText()).isEqualTo("file:///");
        assertThat(run.at("/properties/target").asText()).isEqualTo("registry:localhost:5000/team/app:1.0");
        assertThat(run.at("/properties/imageId").asText()).isEqualTo(Fixtures.IMAGE_ID.toString());
        assertThat(run.at("/invocations/0/executionSuccessful").asBoolean()).isTrue();
        JsonNode notes = run.at("/invocations/0/toolExecutionNotifications");
        assertThat(notes).hasSize(3); // the scan's two warnings and matching's one
        assertThat(notes.get(2).at("/message/text").asText()).startsWith("cryptography 42.0.5: no advisory source");
        assertThat(notes.get(2).path("level").asText()).isEqualTo("warning");
    }

    @Test
    void oneRulePerVulnerability() {
        List<String> ids = new ArrayList<>();
        run.at("/tool/driver/rules").forEach(r -> ids.add(r.path("id").asText()));
        assertThat(ids).containsExactly("CVE-2021-44228", "CVE-2021-38561", "CVE-2024-0727", "CVE-2022-25883",
                "CVE-2019-1010022", "CVE-2010-4756");
        JsonNode go = run.at("/tool/driver/rules/1");
        assertThat(go.at("/shortDescription/text").asText()).isEqualTo("Out-of-bounds read in golang.org/x/text/language");
        assertThat(go.at("/fullDescription/text").asText()).contains("also GO-2021-0113, GHSA-ppp9-7jff-5vj2");
        assertThat(go.path("helpUri").asText()).isEqualTo("https://pkg.go.dev/vuln/GO-2021-0113");
        assertThat(go.at("/properties/security-severity").asText()).isEqualTo("7.5");
        assertThat(go.at("/properties/tags").toString()).isEqualTo("[\"vulnerability\",\"security\",\"HIGH\"]");
        assertThat(go.at("/defaultConfiguration/level").asText()).isEqualTo("error");
        JsonNode log4j = run.at("/tool/driver/rules/0");
        assertThat(log4j.at("/properties/security-severity").asText()).isEqualTo("10.0");
        assertThat(log4j.at("/properties/tags").toString()).contains("known-exploited");
        // Debian calls it negligible, NVD 8.1: the viewer must show Bulwark's severity, not a contradicting score
        JsonNode glibc = run.at("/tool/driver/rules/4");
        assertThat(glibc.at("/properties/security-severity").asText()).isEqualTo("0.0");
        assertThat(glibc.at("/defaultConfiguration/level").asText()).isEqualTo("note");
        // the same vulnerability in two packages is still one rule
        ScanReport r = ScanFixtures.report();
        Finding again = new Finding("CVE-2024-0727", List.of(), ScanFixtures.pkg("libc6"), List.of(), FindingStatus.AFFECTED,
                Severity.MEDIUM, "nvd", null, false, Double.NaN, "", List.of(), List.of());
        List<Finding> more = new ArrayList<>(r.findings());
        more.add(again);
        JsonNode doc = Schemas.tree(Schemas.render(new ScanReport(r.inventory(), more, r.suppressed(), r.db(), r.warnings()),
                ReportFormat.SARIF, options()));
        assertThat(doc.at("/runs/0/tool/driver/rules")).hasSize(6);
        assertThat(doc.at("/runs/0/results/5/ruleIndex").asInt()).isEqualTo(2);
        assertThat(doc.at("/runs/0/results/5/ruleId").asText()).isEqualTo("CVE-2024-0727");
    }

    @Test
    void oneResultPerFindingInOrderWithLevelMessageAndLocation() {
        JsonNode results = run.path("results");
        assertThat(results).hasSize(6); // five findings and the suppressed one
        List<String> levels = new ArrayList<>();
        results.forEach(r -> levels.add(r.path("level").asText()));
        assertThat(levels).containsExactly("error", "error", "warning", "warning", "note", "note");
        JsonNode ssl = results.get(2);
        assertThat(ssl.path("ruleId").asText()).isEqualTo("CVE-2024-0727");
        assertThat(ssl.path("ruleIndex").asInt()).isEqualTo(2);
        assertThat(ssl.at("/message/text").asText())
                .isEqualTo("libssl3 3.0.11-1~deb12u2 (deb) is affected by CVE-2024-0727 (MEDIUM): fixed in 3.0.13-1~deb12u1. "
                        + "openssl: denial of service via null dereference");
        assertThat(ssl.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("var/lib/dpkg/status");
        assertThat(ssl.at("/locations/0/physicalLocation/artifactLocation/uriBaseId").asText()).isEqualTo("ROOTPATH");
        assertThat(ssl.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(1);
        assertThat(ssl.at("/properties/fixedVersions/0").asText()).isEqualTo("3.0.13-1~deb12u1");
        assertThat(results.get(0).at("/message/text").asText()).contains("(CRITICAL, known exploited)");
        assertThat(results.get(0).at("/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("app/lib/log4j-core-2.14.1.jar");
        assertThat(results.get(4).at("/message/text").asText()).contains("will not be fixed");
        assertThat(results.get(0).has("suppressions")).isFalse();
    }

    @Test
    void suppressedFindingsAreResultsWithAnExternalSuppression() {
        JsonNode s = run.at("/results/5");
        assertThat(s.path("ruleId").asText()).isEqualTo("CVE-2010-4756");
        assertThat(s.at("/suppressions/0/kind").asText()).isEqualTo("external");
        assertThat(s.at("/suppressions/0/status").asText()).isEqualTo("accepted");
        assertThat(s.at("/suppressions/0/justification").asText())
                .isEqualTo("suppressed by openvex (vex/app.openvex.json): vulnerable_code_not_in_execute_path");
    }

    @Test
    void fingerprintsAreStableAndSurviveAnUpgradeThatDoesNotFix() {
        String before = run.at("/results/2/partialFingerprints/bulwarkFinding~1v1").asText();
        assertThat(before).matches("[0-9a-f]{64}");
        assertThat(Schemas.render(ScanFixtures.report(), ReportFormat.SARIF, options())).isEqualTo(json);
        Finding ssl = ScanFixtures.libssl();
        Package upgraded = new Package(ssl.pkg().type(), ssl.pkg().name(), "3.0.11-1~deb12u3", ssl.pkg().purl(), ssl.pkg().source(),
                ssl.pkg().licenses(), ssl.pkg().layer(), ssl.pkg().paths(), ssl.pkg().properties());
        Finding later = new Finding(ssl.id(), ssl.aliases(), upgraded, ssl.fixedVersions(), ssl.status(), ssl.severity(),
                ssl.severitySource(), ssl.cvss(), ssl.knownExploited(), ssl.epss(), ssl.title(), ssl.dataSources(), ssl.references());
        assertThat(SarifWriter.fingerprint(later)).isEqualTo(before);
        assertThat(SarifWriter.fingerprint(ScanFixtures.glibcWontFix())).isNotEqualTo(before);
        List<String> all = new ArrayList<>();
        run.path("results").forEach(r -> all.add(r.at("/partialFingerprints/bulwarkFinding~1v1").asText()));
        assertThat(all).doesNotHaveDuplicates();
    }

    @Test
    void locationsAreRelativeUriReferences() {
        assertThat(SarifWriter.uriReference("/var/lib/dpkg/status")).isEqualTo("var/lib/dpkg/status");
        assertThat(SarifWriter.uriReference("/app/node_modules/@babel/core/package.json")).isEqualTo("app/node_modules/@babel/core/package.json");
        assertThat(SarifWriter.uriReference("/opt/my app/a:b#c?d%e/ü")).isEqualTo("opt/my%20app/a%3Ab%23c%3Fd%25e/%C3%BC");
        assertThat(SarifWriter.uriReference("localhost:5000/team/app:1.0")).isEqualTo("localhost%3A5000/team/app%3A1.0");
        assertThat(SarifWriter.uriReference("/")).isEqualTo(".");
    }

    @Test
    void levelsAndFallbackScores() {
        assertThat(SarifWriter.level(Severity.CRITICAL)).isEqualTo("error");
        assertThat(SarifWriter.level(Severity.HIGH)).isEqualTo("error");
        assertThat(SarifWriter.level(Severity.MEDIUM)).isEqualTo("warning");
        assertThat(SarifWriter.level(Severity.LOW)).isEqualTo("note");
        assertThat(SarifWriter.level(Severity.UNKNOWN)).isEqualTo("note");
        Finding noCvss = new Finding("GHSA-xxxx-yyyy-zzzz", List.of(), ScanFixtures.SEMVER, List.of(), FindingStatus.AFFECTED,
                Severity.HIGH, "ghsa", null, false, Double.NaN, "", List.of(), List.of("javascript:alert(1)"));
        assertThat(SarifWriter.securitySeverity(noCvss)).isEqualTo("8.0");
        JsonNode doc = Schemas.tree(Schemas.render(new ScanReport(ScanFixtures.inventory(), List.of(noCvss), List.of(), null, List.of()),
                ReportFormat.SARIF, options()));
        assertThat(Schemas.validate(Schemas.SARIF_2_1_0, doc)).isEmpty();
        assertThat(doc.at("/runs/0/tool/driver/rules/0").has("helpUri")).isFalse(); // never a javascript: link
        assertThat(doc.at("/runs/0/tool/driver/rules/0/shortDescription/text").asText()).isEqualTo("GHSA-xxxx-yyyy-zzzz");
        assertThat(doc.at("/runs/0/results/0/message/text").asText()).endsWith("no fix yet");
    }
}
