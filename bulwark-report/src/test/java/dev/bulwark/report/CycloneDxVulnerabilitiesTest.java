package dev.bulwark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.model.Cvss;
import dev.bulwark.model.Finding;
import dev.bulwark.model.FindingStatus;
import dev.bulwark.model.Package;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.Severity;
import dev.bulwark.model.Suppression;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.bulwark.report.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

class CycloneDxVulnerabilitiesTest {
    private final JsonNode bom = Schemas.tree(Schemas.render(ScanFixtures.report(), ReportFormat.CYCLONEDX, options()));
    private final JsonNode vulns = bom.path("vulnerabilities");

    @Test
    void isValidAgainstTheOfficialSchema() {
        assertThat(Schemas.validate(Schemas.CYCLONEDX_1_6, bom)).isEmpty();
        ObjectNode broken = bom.deepCopy();
        ((ObjectNode) broken.at("/vulnerabilities/0/ratings/0")).put("method", "CVSSv5");
        assertThat(Schemas.validate(Schemas.CYCLONEDX_1_6, broken)).isNotEmpty();
        ObjectNode badState = bom.deepCopy();
        ((ObjectNode) badState.at("/vulnerabilities/5/analysis")).put("justification", "not_my_problem");
        assertThat(Schemas.validate(Schemas.CYCLONEDX_1_6, badState)).isNotEmpty();
    }

    @Test
    void theSbomPartIsTheInventorysSbom() {
        JsonNode sbom = Schemas.tree(Schemas.render(ScanFixtures.inventory(), ReportFormat.CYCLONEDX, options()));
        assertThat(bom.path("components")).isEqualTo(sbom.path("components"));
        assertThat(bom.path("dependencies")).isEqualTo(sbom.path("dependencies"));
        assertThat(bom.at("/metadata/component")).isEqualTo(sbom.at("/metadata/component"));
        assertThat(sbom.has("vulnerabilities")).isFalse();
        // another document: another serial number, stable for the same report
        assertThat(bom.path("serialNumber")).isNotEqualTo(sbom.path("serialNumber"));
        assertThat(Schemas.tree(Schemas.render(ScanFixtures.report(), ReportFormat.CYCLONEDX, options()))).isEqualTo(bom);
        assertThat(CycloneDxWriterTest.properties(bom.path("metadata"), "bulwark:db:source"))
                .containsExactly("debian", "osv-go", "osv-npm", "kev");
    }

    @Test
    void onePerVulnerabilityInTheReportsOrderThenTheSuppressed() {
        List<String> ids = new ArrayList<>();
        vulns.forEach(v -> ids.add(v.path("id").asText()));
        assertThat(ids).containsExactly("CVE-2021-44228", "CVE-2021-38561", "CVE-2024-0727", "CVE-2022-25883",
                "CVE-2019-1010022", "CVE-2010-4756");
    }

    @Test
    void debianOpensslFinding() {
        JsonNode v = vulns.get(2);
        assertThat(v.at("/source/name").asText()).isEqualTo("debian");
        assertThat(v.at("/source/url").asText()).isEqualTo("https://security-tracker.debian.org/tracker/CVE-2024-0727");
        assertThat(v.path("ratings")).hasSize(1);
        assertThat(v.at("/ratings/0/method").asText()).isEqualTo("CVSSv31");
        assertThat(v.at("/ratings/0/score").asDouble()).isEqualTo(5.5);
        assertThat(v.at("/ratings/0/severity").asText()).isEqualTo("medium");
        assertThat(v.at("/ratings/0/vector").asText()).isEqualTo("CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H");
        assertThat(v.path("description").asText()).isEqualTo("openssl: denial of service via null dereference");
        assertThat(v.path("recommendation").asText()).isEqualTo("Upgrade to 3.0.13-1~deb12u1");
        assertThat(v.at("/advisories/1/url").asText()).isEqualTo("https://www.openssl.org/news/secadv/20240125.txt");
        assertThat(v.has("analysis")).isFalse();
        String ref = v.at("/affects/0/ref").asText();
        assertThat(component(ref).path("name").asText()).isEqualTo("libssl3");
        assertThat(v.at("/affects/0/versions/0/version").asText()).isEqualTo("3.0.11-1~deb12u2");
        assertThat(v.at("/affects/0/versions/0/status").asText()).isEqualTo("affected");
    }

    @Test
    void goFindingCarriesItsAliasesAsReferences() {
        JsonNode v = vulns.get(1);
        assertThat(v.at("/source/name").asText()).isEqualTo("osv-go");
        assertThat(v.at("/references/0/id").asText()).isEqualTo("GO-2021-0113");
        assertThat(v.at("/references/0/source/name").asText()).isEqualTo("Go Vulnerability Database");
        assertThat(v.at("/references/0/source/url").asText()).isEqualTo("https://pkg.go.dev/vuln/GO-2021-0113");
        assertThat(v.at("/references/1/source/url").asText()).isEqualTo("https://github.com/advisories/GHSA-ppp9-7jff-5vj2");
        assertThat(v.path("recommendation").asText()).isEqualTo("Upgrade to 0.3.7");
        assertThat(component(v.at("/affects/0/ref").asText()).path("purl").asText()).isEqualTo("pkg:golang/golang.org/x/text@v0.3.6");
    }

    @Test
    void kevAndEpssAreProperties() {
        assertThat(CycloneDxWriterTest.properties(vulns.get(0), "bulwark:knownExploited")).containsExactly("true");
        assertThat(CycloneDxWriterTest.properties(vulns.get(0), "bulwark:epss")).containsExactly("0.97565");
        assertThat(CycloneDxWriterTest.properties(vulns.get(2), "bulwark:knownExploited")).isEmpty();
    }

    @Test
    void aDistributionRatingBesideCvssGivesTwoRatings() {
        JsonNode glibc = vulns.get(4);
        assertThat(glibc.at("/ratings/0/source/name").asText()).isEqualTo("debian");
        assertThat(glibc.at("/ratings/0/severity").asText()).isEqualTo("info");
        assertThat(glibc.at("/ratings/0/method").asText()).isEqualTo("other");
        assertThat(glibc.at("/ratings/1/source/name").asText()).isEqualTo("nvd");
        assertThat(glibc.at("/ratings/1/severity").asText()).isEqualTo("high");
        assertThat(glibc.has("recommendation")).isFalse(); // Debian will not fix it
        assertThat(CycloneDxWriterTest.properties(glibc, "bulwark:status")).containsExactly("will_not_fix");
    }

    @Test
    void suppressedFindingsSayNotAffectedAndWhy() {
        JsonNode s = vulns.get(5);
        assertThat(s.at("/analysis/state").asText()).isEqualTo("not_affected");
        assertThat(s.at("/analysis/justification").asText()).isEqualTo("code_not_reachable");
        assertThat(s.at("/analysis/detail").asText())
                .isEqualTo("Suppressed by openvex (vex/app.openvex.json): vulnerable_code_not_in_execute_path");
        assertThat(s.at("/ratings/1/method").asText()).isEqualTo("CVSSv2");
        // a reason that is no VEX justification keeps the detail, without a justification
        Suppression ignored = new Suppression(ScanFixtures.semver(), "ignorefile", "only used at build time", ".bulwarkignore:3");
        JsonNode doc = Schemas.tree(Schemas.render(new ScanReport(ScanFixtures.inventory(), List.of(), List.of(ignored), null, List.of()),
                ReportFormat.CYCLONEDX, options()));
        assertThat(Schemas.validate(Schemas.CYCLONEDX_1_6, doc)).isEmpty();
        assertThat(doc.at("/vulnerabilities/0/analysis/justification").isMissingNode()).isTrue();
        assertThat(doc.at("/vulnerabilities/0/analysis/detail").asText())
                .isEqualTo("Suppressed by ignorefile (.bulwarkignore:3): only used at build time");
    }

    @Test
    void oneVulnerabilityInTwoPackagesListsBothAndWhatToUpgrade() {
        Package libsslDev = Fixtures.deb("libssl-dev", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2", List.of("Apache-2.0"));
        Package openssl = Fixtures.deb("openssl", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2", List.of("Apache-2.0"));
        Finding a = ScanFixtures.libssl();
        Finding b = with(a, libsslDev, List.of("3.0.13-1~deb12u1"));
        Finding c = with(a, openssl, List.of("3.0.14-1~deb12u1"));
        // libssl-dev is not in the inventory: it still gets a component, so that the reference resolves
        ScanReport r = new ScanReport(ScanFixtures.inventory(), List.of(a, b), List.of(), null, List.of());
        JsonNode doc = Schemas.tree(Schemas.render(r, ReportFormat.CYCLONEDX, options()));
        assertThat(Schemas.validate(Schemas.CYCLONEDX_1_6, doc)).isEmpty();
        assertThat(doc.path("vulnerabilities")).hasSize(1);
        assertThat(doc.at("/vulnerabilities/0/affects")).hasSize(2);
        assertThat(doc.at("/vulnerabilities/0/recommendation").asText()).isEqualTo("Upgrade to 3.0.13-1~deb12u1");
        Set<String> refs = new HashSet<>();
        doc.path("components").forEach(x -> refs.add(x.path("bom-ref").asText()));
        doc.at("/vulnerabilities/0/affects").forEach(x -> assertThat(refs).contains(x.path("ref").asText()));
        ScanReport two = new ScanReport(ScanFixtures.inventory(), List.of(a, c), List.of(), null, List.of());
        JsonNode other = Schemas.tree(Schemas.render(two, ReportFormat.CYCLONEDX, options()));
        assertThat(other.at("/vulnerabilities/0/recommendation").asText())
                .isEqualTo("Upgrade libssl3 to 3.0.13-1~deb12u1; upgrade openssl to 3.0.14-1~deb12u1");
    }

    @Test
    void onlyWebLinksBecomeAdvisoriesAndUnknownCvssVersionsAreOther() {
        Finding odd = new Finding("PYSEC-2024-1", List.of("CVE-2024-9999", "OSV-2024-1"), ScanFixtures.pkg("cryptography"),
                List.of("42.0.6", "41.0.8"), FindingStatus.FIXED, Severity.UNKNOWN, "", new Cvss("4.0",
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N", Double.NaN, "osv"), false, Double.NaN, "",
                List.of(), List.of("javascript:alert(1)", "ftp://example.org/x", "https://osv.dev/vulnerability/PYSEC-2024-1", "not a url"));
        JsonNode doc = Schemas.tree(Schemas.render(new ScanReport(ScanFixtures.inventory(), List.of(odd), List.of(), null, List.of()),
                ReportFormat.CYCLONEDX, options()));
        assertThat(Schemas.validate(Schemas.CYCLONEDX_1_6, doc)).isEmpty();
        JsonNode v = doc.at("/vulnerabilities/0");
        assertThat(v.path("advisories")).hasSize(1);
        assertThat(v.at("/advisories/0/url").asText()).isEqualTo("https://osv.dev/vulnerability/PYSEC-2024-1");
        assertThat(v.at("/ratings/0/method").asText()).isEqualTo("CVSSv4");
        assertThat(v.at("/ratings/0/severity").asText()).isEqualTo("unknown");
        assertThat(v.at("/ratings/0").has("score")).isFalse();
        assertThat(v.at("/references/1/source/name").asText()).isEqualTo("OSV");
        assertThat(v.path("recommendation").asText()).isEqualTo("Upgrade to one of 42.0.6, 41.0.8");
        assertThat(CycloneDxVulnerabilities.method("3.0")).isEqualTo("CVSSv3");
        assertThat(CycloneDxVulnerabilities.method("2.0")).isEqualTo("CVSSv2");
        assertThat(CycloneDxVulnerabilities.method("owasp")).isEqualTo("other");
    }

    private static Finding with(Finding f, Package p, List<String> fixed) {
        return new Finding(f.id(), f.aliases(), p, fixed, f.status(), f.severity(), f.severitySource(), f.cvss(),
                f.knownExploited(), f.epss(), f.title(), f.dataSources(), f.references());
    }

    private JsonNode component(String ref) {
        for (JsonNode c : bom.path("components")) {
            if (c.path("bom-ref").asText().equals(ref)) return c;
        }
        throw new AssertionError("no component " + ref);
    }
}
