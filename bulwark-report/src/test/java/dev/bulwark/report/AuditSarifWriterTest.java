package dev.bulwark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Severity;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.bulwark.report.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

class AuditSarifWriterTest {
    private final String hostJson = Schemas.render(AuditFixtures.host(), ReportFormat.SARIF, options());
    private final JsonNode host = Schemas.tree(hostJson).at("/runs/0");
    private final JsonNode files = Schemas.tree(Schemas.render(AuditFixtures.files(), ReportFormat.SARIF, options())).at("/runs/0");

    @Test
    void isValidAgainstTheOfficialSchema() {
        assertThat(Schemas.validate(Schemas.SARIF_2_1_0, Schemas.tree(hostJson))).isEmpty();
        assertThat(Schemas.validate(Schemas.SARIF_2_1_0,
                Schemas.tree(Schemas.render(AuditFixtures.files(), ReportFormat.SARIF, options())))).isEmpty();
        JsonNode empty = Schemas.tree(Schemas.render(new AuditReport("Dockerfile", List.of(), List.of(), null, null),
                ReportFormat.SARIF, options()));
        assertThat(Schemas.validate(Schemas.SARIF_2_1_0, empty)).isEmpty();
        assertThat(empty.at("/runs/0/results").isArray()).isTrue();
        assertThat(empty.at("/runs/0/results")).isEmpty();
        // and the check would catch a broken region or a logical location of the wrong shape
        ObjectNode bad = (ObjectNode) Schemas.tree(Schemas.render(AuditFixtures.files(), ReportFormat.SARIF, options()));
        ((ObjectNode) bad.at("/runs/0/results/0/locations/0/physicalLocation/region")).put("startLine", 0);
        assertThat(Schemas.validate(Schemas.SARIF_2_1_0, bad)).isNotEmpty();
        ObjectNode badLogical = (ObjectNode) Schemas.tree(hostJson);
        ((ObjectNode) badLogical.at("/runs/0/results/0/locations/0")).put("logicalLocations", "daemon");
        assertThat(Schemas.validate(Schemas.SARIF_2_1_0, badLogical)).isNotEmpty();
    }

    @Test
    void oneRulePerCheckIdWithNameTitleFixAndSection() {
        List<String> ids = new ArrayList<>();
        host.at("/tool/driver/rules").forEach(r -> ids.add(r.path("id").asText()));
        assertThat(ids).containsExactly("1.1.1", "1.1.2", "1.1.3", "2.2", "2.3", "2.4", "DOCKER-DEVICEMAPPER", "3.17", "3.18",
                "4.1", "5.5", "5.11", "5.2", "6.1", "7.1");
        assertThat(host.at("/tool/driver/name").asText()).isEqualTo("Bulwark");
        assertThat(host.at("/tool/driver/version").asText()).isEqualTo("1.2.3");
        JsonNode privileged = host.at("/tool/driver/rules/10");
        assertThat(privileged.path("id").asText()).isEqualTo("5.5");
        assertThat(privileged.path("name").asText()).isEqualTo("EnsureThatPrivilegedContainersAreNotUsed");
        assertThat(privileged.at("/shortDescription/text").asText()).isEqualTo("Ensure that privileged containers are not used");
        assertThat(privileged.at("/help/text").asText()).isEqualTo("Fix: Recreate without --privileged; add only the "
                + "capabilities (--cap-add) and devices (--device) it needs\nCIS Docker Benchmark v1.6.0 5.5");
        assertThat(privileged.at("/help/markdown").asText()).startsWith("**Fix**\n\n```\nRecreate without --privileged");
        assertThat(privileged.at("/defaultConfiguration/level").asText()).isEqualTo("error");
        assertThat(privileged.at("/properties/security-severity").asText()).isEqualTo("9.5");
        assertThat(privileged.at("/properties/tags").toString())
                .isEqualTo("[\"security\",\"CIS Docker Benchmark\",\"CIS 5 Container Runtime\"]");
        assertThat(privileged.at("/properties/cisSection").asInt()).isEqualTo(5);
        assertThat(host.at("/tool/driver/rules/6/properties/tags/2").asText()).isEqualTo("CIS 2 Docker daemon configuration");
        // a check that only passed still has its rule, without help
        assertThat(host.at("/tool/driver/rules/4").has("help")).isFalse();
        // a file check links to its first web reference; one outside the benchmark has no CIS tag
        JsonNode sudo = files.at("/tool/driver/rules/4");
        assertThat(sudo.path("id").asText()).isEqualTo("DF-SUDO");
        assertThat(sudo.path("helpUri").asText()).isEqualTo("https://github.com/hadolint/hadolint/wiki/DL3004");
        assertThat(sudo.at("/properties/tags").toString()).isEqualTo("[\"security\"]");
        // two WARNs of one check are one rule
        assertThat(files.at("/tool/driver/rules").findValuesAsText("id")).doesNotHaveDuplicates();
    }

    @Test
    void resultsAreWarnAndInfoOnlyWithLevels() {
        List<String> got = new ArrayList<>();
        host.path("results").forEach(r -> got.add(r.path("ruleId").asText() + " " + r.path("level").asText()
                + " " + r.at("/properties/status").asText()));
        assertThat(got).containsExactly("1.1.1 note FAIL", "1.1.2 note WARN", "1.1.3 note FAIL", "2.2 warning FAIL",
                "4.1 error FAIL", "5.5 error FAIL", "5.11 warning FAIL", "6.1 note MANUAL");
        assertThat(host.at("/results/5/properties/cisLevel").asInt()).isEqualTo(1);
        host.path("results").forEach(r -> assertThat(host.at("/tool/driver/rules/" + r.path("ruleIndex").asInt() + "/id"))
                .isEqualTo(r.path("ruleId")));
        JsonNode web = host.at("/results/5");
        assertThat(web.at("/message/text").asText()).isEqualTo("web: HostConfig.Privileged=true: all capabilities, all "
                + "devices, no seccomp, no AppArmor\nFix: Recreate without --privileged; add only the capabilities "
                + "(--cap-add) and devices (--device) it needs");
        assertThat(host.at("/results/1/message/text").asText())
                .startsWith("host: docker group members: alice, ci-runner (review: may be intended; confirm)\nFix: ");
    }

    @Test
    void hostResultsHaveALogicalLocation() {
        JsonNode web = host.at("/results/5/locations/0");
        assertThat(web.has("physicalLocation")).isFalse();
        assertThat(web.at("/logicalLocations/0/name").asText()).isEqualTo("web");
        assertThat(web.at("/logicalLocations/0/fullyQualifiedName").asText()).isEqualTo("web (" + AuditFixtures.CONTAINER_ID + ")");
        assertThat(web.at("/logicalLocations/0/kind").asText()).isEqualTo("resource");
        JsonNode daemon = host.at("/results/3/locations/0/logicalLocations/0");
        assertThat(daemon.path("name").asText()).isEqualTo("daemon");
        assertThat(daemon.path("fullyQualifiedName").asText()).isEqualTo("daemon (/etc/docker/daemon.json)");
        assertThat(host.at("/results/0/locations/0/logicalLocations/0").has("fullyQualifiedName")).isFalse();
        assertThat(host.at("/properties/audit").asText()).isEqualTo("host");
        assertThat(host.at("/properties/target").asText()).isEqualTo(AuditFixtures.HOST_TARGET);
        assertThat(host.at("/properties/summary/score").asInt()).isEqualTo(50);
    }

    @Test
    void fileResultsPointAtLineAndColumn() {
        JsonNode user = files.at("/results/0/locations/0/physicalLocation");
        assertThat(user.at("/artifactLocation/uri").asText()).isEqualTo("Dockerfile");
        assertThat(user.at("/region/startLine").asInt()).isEqualTo(27);
        assertThat(user.at("/region").has("startColumn")).isFalse();
        JsonNode privileged = null;
        for (JsonNode r : files.path("results")) {
            if (r.path("ruleId").asText().equals("5.4")) privileged = r;
        }
        assertThat(privileged).isNotNull();
        assertThat(privileged.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("compose.yaml");
        assertThat(privileged.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(11);
        assertThat(privileged.at("/locations/0/physicalLocation/region/startColumn").asInt()).isEqualTo(5);
        assertThat(privileged.at("/message/text").asText()).startsWith("service \"web\": privileged: true");
        assertThat(files.at("/properties/audit").asText()).isEqualTo("files");
        assertThat(files.path("results")).hasSize(8); // 7 WARN, 1 INFO; the PASS and the NOTE are not results
    }

    @Test
    void pathsBecomeRelativeUriReferences() {
        AuditReport r = new AuditReport("k8s", List.of(
                new AuditResult("K8S-HOSTPATH", "t", Severity.HIGH, 0, AuditStatus.FAIL, "/srv/k8s/my app.yaml",
                        "/srv/k8s/my app.yaml:12:7", "e", "f", List.of()),
                new AuditResult("4.1", "t", Severity.HIGH, 0, AuditStatus.FAIL, "C:\\work\\Dockerfile", "C:\\work\\Dockerfile:3",
                        "e", "f", List.of()),
                new AuditResult("4.6", "t", Severity.LOW, 0, AuditStatus.WARN, "deploy/Dockerfile", "deploy/Dockerfile", "e", "",
                        List.of()),
                new AuditResult("4.7", "t", Severity.LOW, 0, AuditStatus.FAIL, "", "", "e", "", List.of())),
                List.of(), null, null);
        JsonNode doc = Schemas.tree(Schemas.render(r, ReportFormat.SARIF, options()));
        assertThat(Schemas.validate(Schemas.SARIF_2_1_0, doc)).isEmpty();
        JsonNode results = doc.at("/runs/0/results");
        assertThat(results.get(0).at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("srv/k8s/my%20app.yaml");
        assertThat(results.get(0).at("/locations/0/physicalLocation/region/startColumn").asInt()).isEqualTo(7);
        assertThat(results.get(1).at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("C%3A%5Cwork%5CDockerfile");
        assertThat(results.get(1).at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(3);
        // a result about the whole file points at line 1, as code-scanning services want a region
        assertThat(results.get(2).at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("deploy/Dockerfile");
        assertThat(results.get(2).at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(1);
        // no subject, no location: the report's target
        assertThat(results.get(3).at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("k8s");
    }

    @Test
    void errorsAndWarningsAreNotifications() {
        JsonNode notes = host.at("/invocations/0/toolExecutionNotifications");
        assertThat(host.at("/invocations/0/executionSuccessful").asBoolean()).isTrue();
        assertThat(notes).hasSize(2);
        assertThat(notes.get(0).path("level").asText()).isEqualTo("error");
        assertThat(notes.get(0).at("/message/text").asText())
                .isEqualTo("check 3.18 on /etc/docker/daemon.json could not run: cannot stat /etc/docker/daemon.json: permission denied");
        assertThat(notes.get(0).at("/associatedRule/id").asText()).isEqualTo("3.18");
        assertThat(notes.get(0).at("/associatedRule/index").asInt()).isEqualTo(8);
        assertThat(notes.get(1).path("level").asText()).isEqualTo("warning");
        assertThat(notes.get(1).has("associatedRule")).isFalse();
    }

    @Test
    void fingerprintsAreStableAndDistinct() {
        assertThat(Schemas.render(AuditFixtures.host(), ReportFormat.SARIF, options())).isEqualTo(hostJson);
        List<String> all = new ArrayList<>();
        host.path("results").forEach(r -> all.add(r.at("/partialFingerprints/bulwarkAudit~1v1").asText()));
        assertThat(all).allMatch(s -> s.matches("[0-9a-f]{64}")).doesNotHaveDuplicates();
        // a container recreated under its name (new id) is the same alert
        AuditResult web = AuditFixtures.host().results().get(11);
        AuditResult recreated = new AuditResult(web.checkId(), web.title(), web.severity(), web.level(), web.status(), web.subject(),
                "0123456789ab", web.evidence(), web.fix(), web.references());
        assertThat(AuditSarifWriter.fingerprint(recreated, true)).isEqualTo(AuditSarifWriter.fingerprint(web, true));
        List<String> fileFps = new ArrayList<>();
        files.path("results").forEach(r -> fileFps.add(r.at("/partialFingerprints/bulwarkAudit~1v1").asText()));
        assertThat(fileFps).doesNotHaveDuplicates();
    }

    @Test
    void ruleNamesArePascalCase() {
        assertThat(AuditSarifWriter.name("Ensure the 'on-failure' container restart policy is set to '5'", "5.14"))
                .isEqualTo("EnsureTheOnFailureContainerRestartPolicyIsSetTo5");
        assertThat(AuditSarifWriter.name("--", "DF-X")).isEqualTo("DF-X");
    }
}
