package dev.bulwark.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportFormatTest {
    @Test
    void parsesEveryDocumentedName() {
        assertThat(ReportFormat.parse("table")).isEqualTo(ReportFormat.TABLE);
        assertThat(ReportFormat.parse("json")).isEqualTo(ReportFormat.JSON);
        assertThat(ReportFormat.parse("cyclonedx")).isEqualTo(ReportFormat.CYCLONEDX);
        assertThat(ReportFormat.parse("cdx")).isEqualTo(ReportFormat.CYCLONEDX);
        assertThat(ReportFormat.parse("spdx")).isEqualTo(ReportFormat.SPDX);
        assertThat(ReportFormat.parse("spdx-json")).isEqualTo(ReportFormat.SPDX);
        assertThat(ReportFormat.parse(" CycloneDX ")).isEqualTo(ReportFormat.CYCLONEDX);
        assertThat(ReportFormat.parse("sarif")).isEqualTo(ReportFormat.SARIF);
        assertThat(ReportFormat.parse("junit")).isEqualTo(ReportFormat.JUNIT);
        assertThat(ReportFormat.parse("HTML")).isEqualTo(ReportFormat.HTML);
        assertThat(ReportFormat.SARIF.mediaType()).isEqualTo("application/sarif+json");
        assertThat(ReportFormat.HTML.mediaType()).startsWith("text/html");
    }

    @Test
    void everyFormatIsDocumented() {
        String docs = Docs.reportFindings();
        for (ReportFormat f : ReportFormat.values()) {
            assertThat(docs).as("docs/report-findings.md names %s", f).contains("| `" + f.name().toLowerCase(java.util.Locale.ROOT) + "`")
                    .contains(f.mediaType());
        }
    }

    @Test
    void spdxOfAScanReportIsTheInventorysSbom() {
        assertThat(Schemas.render(ScanFixtures.report(), ReportFormat.SPDX, Fixtures.options()))
                .isEqualTo(Schemas.render(ScanFixtures.inventory(), ReportFormat.SPDX, Fixtures.options()));
    }

    @Test
    void rejectsOthersListingTheValidNames() {
        for (String bad : new String[]{"xml", "", "spdx-tv", null}) {
            assertThatThrownBy(() -> ReportFormat.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown report format")
                    .hasMessageContaining("valid: table, json, cyclonedx, cdx, spdx, spdx-json, sarif, junit, html");
        }
    }

    @Test
    void optionsDefaultsAndChecks() {
        ReportOptions d = ReportOptions.defaults();
        assertThat(d.width()).isEqualTo(80);
        assertThat(d.color()).isFalse();
        assertThat(d.toolName()).isEqualTo("bulwark");
        assertThat(d.toolVersion()).isNotBlank().isNotEqualTo("unknown").doesNotContain("${");
        assertThatThrownBy(() -> d.withNamespaceBase("https://x.example/doc#frag")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withNamespaceBase("relative/path")).isInstanceOf(IllegalArgumentException.class);
        assertThat(d.withNamespaceBase("https://x.example/docs/").namespaceBase()).isEqualTo("https://x.example/docs");
    }
}
