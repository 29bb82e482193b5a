package dev.bulwark.match.suppress;

import dev.bulwark.model.Finding;
import dev.bulwark.model.Suppression;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static dev.bulwark.match.suppress.Fixtures.*;
import static dev.bulwark.match.suppress.OpenVexTest.src;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CycloneDX VEX: the payments-api BOM, vulnerability by vulnerability. */
class CycloneDxVexTest {
    static final LocalDate TODAY = LocalDate.of(2024, 6, 1);
    static final Path DOC = resource("payments-api.vex.cdx.json");
    static Suppressions vex;

    @BeforeAll
    static void load() throws SuppressionException {
        vex = Suppressions.load(null, List.of(DOC), TODAY);
    }

    @Test
    void warnsAboutTheUnresolvableRef() {
        assertThat(vex.vexStatements()).isEqualTo(4);
        assertThat(vex.warnings()).containsExactly(
                DOC + ": vulnerability 4 (line 74): CVE-2023-2976: affects ref 'guava-31.1' is neither a package URL nor"
                        + " a bom-ref of a component with one; skipped",
                DOC + ": vulnerability 4 (line 74): CVE-2023-2976: affects names no component with a package URL; not applied");
    }

    @Test
    void notAffectedByPurlRef() {
        Finding f = finding("CVE-2022-42003", JACKSON, "GHSA-jjjh-jjxp-wpff");
        Suppressions.Result r = vex.apply(List.of(f));
        assertThat(r.kept()).isEmpty();
        Suppression s = r.suppressed().get(0);
        assertThat(s.by()).isEqualTo("cyclonedx-vex");
        assertThat(s.reason()).isEqualTo("requires_configuration: UNWRAP_SINGLE_VALUE_ARRAYS is never enabled on any"
                + " ObjectMapper of the service.");
        assertThat(s.where()).isEqualTo(DOC + ": vulnerability 1 (line 35)");
    }

    @Test
    void referencesAreAliases() {
        Finding ghsaOnly = finding("GHSA-jjjh-jjxp-wpff", JACKSON);
        assertThat(vex.apply(List.of(ghsaOnly)).kept()).isEmpty();
    }

    @Test
    void otherVersionOfTheComponentIsKept() {
        Finding f = finding("CVE-2022-42003", JACKSON_NEWER);
        assertThat(vex.apply(List.of(f)).kept()).containsExactly(f);
    }

    @Test
    void falsePositiveThroughABomLinkToABomRef() {
        Finding f = finding("CVE-2022-1471", SNAKEYAML, "GHSA-mjmj-j48q-9wg2");
        Suppressions.Result r = vex.apply(List.of(f));
        assertThat(r.suppressed()).extracting(Suppression::reason)
                .containsExactly("false_positive: Only SafeConstructor is used; the service never constructs arbitrary types from YAML.");
    }

    @Test
    void inTriageKeeps() {
        Finding f = finding("CVE-2022-25857", SNAKEYAML);
        assertThat(vex.apply(List.of(f)).kept()).containsExactly(f);
    }

    @Test
    void resolvedWithPedigreeForTheImageItself() {
        Finding f = finding("CVE-2023-45853", ZLIB);
        assertThat(vex.apply(List.of(f), target(ZLIB)).suppressed()).extracting(Suppression::reason)
                .containsExactly("resolved_with_pedigree: zlib1g is rebuilt from a patched source; see the component's pedigree.");
        Suppressions.Result unknownImage = vex.apply(List.of(f));
        assertThat(unknownImage.kept()).containsExactly(f);
        assertThat(unknownImage.warnings()).anySatisfy(w -> assertThat(w).contains("vulnerability 5").contains("is about the image"));
    }

    @Test
    void cycloneDxAndOpenVexShareOneTimeline() throws Exception {
        // The CycloneDX analysis (2024-05-02) is newer than this OpenVEX "affected" (2024-04-01): it wins.
        String affected = OpenVexTest.doc("2024-04-01T00:00:00Z", "CVE-2022-42003",
                "pkg:maven/com.fasterxml.jackson.core/jackson-databind", "\"status\": \"affected\", \"action_statement\": \"upgrade\"");
        Suppressions.Source cdx = new Suppressions.Source("cdx.json", java.nio.file.Files.readAllBytes(DOC));
        Finding f = finding("CVE-2022-42003", JACKSON);
        assertThat(Suppressions.parse(List.of(), List.of(src("o.json", affected), cdx), TODAY).apply(List.of(f)).kept()).isEmpty();
        String newer = affected.replace("2024-04-01", "2024-06-01");
        assertThat(Suppressions.parse(List.of(), List.of(cdx, src("o.json", newer)), TODAY).apply(List.of(f)).kept())
                .containsExactly(f);
    }

    @Test
    void oldSpecVersionsHaveNoVulnerabilities() {
        String bom = "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.3\", \"version\": 1, \"components\": []}";
        assertThatThrownBy(() -> Suppressions.parse(List.of(), List.of(src("old.cdx.json", bom)), TODAY))
                .isInstanceOf(SuppressionException.class)
                .hasMessageContaining("CycloneDX 1.3, which has no vulnerabilities");
    }

    @Test
    void anSbomWithoutVulnerabilitiesSuppressesNothingAndSaysSo() throws SuppressionException {
        String bom = "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"version\": 1, \"components\": []}";
        Suppressions s = Suppressions.parse(List.of(), List.of(src("sbom.cdx.json", bom)), TODAY);
        assertThat(s.isEmpty()).isTrue();
        assertThat(s.warnings()).containsExactly("sbom.cdx.json: is a CycloneDX BOM without vulnerabilities; it suppresses nothing");
    }

    @Test
    void analysisWithoutStateOrWithUnknownStateIsAWarning() throws SuppressionException {
        String bom = """
                {"bomFormat": "CycloneDX", "specVersion": "1.4", "version": 1,
                 "vulnerabilities": [
                   {"id": "CVE-2022-42003", "affects": [{"ref": "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.2.2"}]},
                   {"id": "CVE-2022-42003", "analysis": {"state": "wontfix"},
                    "affects": [{"ref": "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.2.2"}]}]}
                """;
        Suppressions s = Suppressions.parse(List.of(), List.of(src("v.json", bom)), TODAY);
        assertThat(s.isEmpty()).isTrue();
        assertThat(s.warnings()).containsExactly(
                "v.json: vulnerability 1 (line 3): CVE-2022-42003: no analysis, so no VEX status; not applied",
                "v.json: vulnerability 2 (line 4): CVE-2022-42003: analysis.state 'wontfix' is not one of resolved,"
                        + " resolved_with_pedigree, exploitable, in_triage, false_positive, not_affected; not applied");
    }
}
