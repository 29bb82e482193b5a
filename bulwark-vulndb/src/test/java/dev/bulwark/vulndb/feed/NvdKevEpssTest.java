package dev.bulwark.vulndb.feed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.model.Advisory;
import dev.bulwark.model.Cvss;
import dev.bulwark.model.Severity;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvdKevEpssTest {
    @Test
    void nvdRecordsAreScoreOnlyEnrichment() {
        ParseResult r = new NvdCveParser().parse(Fixtures.bytes("nvd-cve-api-2.0.json"), "nvd.json");
        assertThat(r.problems()).isEmpty();
        assertThat(r.advisories()).extracting(Advisory::id)
                .containsExactly("CVE-2021-44228", "CVE-2024-12345", "CVE-2023-99999");
        assertThat(r.advisories()).allSatisfy(a -> {
            assertThat(a.source()).isEqualTo("nvd");
            assertThat(a.affected()).isEmpty();
        });
        Advisory log4shell = r.advisories().get(0);
        assertThat(log4shell.cvss()).containsExactly(
                new Cvss("3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, "nvd"),
                new Cvss("2.0", "AV:N/AC:M/Au:N/C:C/I:C/A:C", 9.3, "nvd"));
        assertThat(log4shell.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(log4shell.published()).isEqualTo(Instant.parse("2021-12-10T10:15:09.143Z"));
        assertThat(log4shell.modified()).isEqualTo(Instant.parse("2025-02-04T15:15:13.773Z"));
        assertThat(log4shell.summary()).startsWith("Apache Log4j2 2.0-beta9 through 2.15.0").doesNotContain("\n");
        assertThat(log4shell.references()).hasSize(2);
        Advisory v4 = r.advisories().get(1);
        assertThat(v4.cvss()).containsExactly(new Cvss("4.0",
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N", 5.3, "cna@example.org"));
        assertThat(v4.severity()).isEqualTo(Severity.MEDIUM);
        Advisory rejected = r.advisories().get(2);
        assertThat(rejected.withdrawn()).isEqualTo(Instant.parse("2023-03-14T16:15:09.417Z"));
        assertThat(rejected.severity()).isEqualTo(Severity.UNKNOWN);
    }

    @Test
    void nvdProblemsNameTheRecord() {
        String json = """
                {"format": "NVD_CVE", "vulnerabilities": [
                  {"cve": {"published": "2020-01-01T00:00:00"}},
                  {"cve": {"id": "CVE-2020-0002", "published": "last week",
                           "metrics": {"cvssMetricV31": [{"cvssData": {"baseScore": 5.0}}]}}}]}
                """;
        ParseResult r = new NvdCveParser().parse(json.getBytes(UTF_8), "page.json");
        assertThat(r.problems()).containsExactly("page.json: vulnerabilities[0]: no cve.id; skipped",
                "page.json: CVE-2020-0002: cvssMetricV31 entry without cvssData.vectorString",
                "page.json: CVE-2020-0002: unreadable 'published' timestamp 'last week'");
        assertThat(r.advisories()).extracting(Advisory::id).containsExactly("CVE-2020-0002");
    }

    @Test
    void theWholeKevCatalogParses() throws Exception {
        ParseResult r = Feeds.parseTree(VulnData.of("cisa-kev"));
        assertThat(r.problems()).isEmpty();
        assertThat(r.stats()).containsEntry(FeedFormat.CISA_KEV, new FormatStats(1, 1404, 0));
        // the catalog's JSON schema sits beside it and is recognised as not being a feed
        assertThat(r.unrecognised()).containsExactly("cisa-kev/LICENSE",
                "cisa-kev/known_exploited_vulnerabilities_schema.json");
        assertThat(r.kev()).hasSize(1404);
        assertThat(r.kev().stream().filter(KevEntry::knownRansomwareCampaignUse)).hasSize(293);
        KevEntry git = r.kev().getFirst();
        assertThat(git.cveId()).isEqualTo("CVE-2025-48384");
        assertThat(git.vendorProject()).isEqualTo("Git");
        assertThat(git.dateAdded()).isEqualTo(LocalDate.of(2025, 8, 25));
        assertThat(git.dueDate()).isEqualTo(LocalDate.of(2025, 9, 15));
        assertThat(git.cwes()).containsExactly("CWE-59", "CWE-436");
        assertThat(r.kev()).anySatisfy(k -> {
            assertThat(k.cveId()).isEqualTo("CVE-2021-44228");
            assertThat(k.product()).isEqualTo("Log4j2");
        });
    }

    @Test
    void kevItemsMissingRequiredFieldsAreSkipped() {
        String json = """
                {"catalogVersion": "1", "dateReleased": "2025-01-01T00:00:00.000Z", "count": 3, "vulnerabilities": [
                  {"cveID": "CVE-2021-44228", "vendorProject": "Apache", "product": "Log4j2",
                   "vulnerabilityName": "Log4j2 RCE", "dateAdded": "2021-12-10", "shortDescription": "JNDI",
                   "requiredAction": "Patch", "dueDate": "2021-12-24", "knownRansomwareCampaignUse": "Known"},
                  {"cveID": "CVE-2021-0001", "vendorProject": "X"},
                  {"cveID": "CVE-2021-0002", "vendorProject": "X", "product": "Y", "vulnerabilityName": "Z",
                   "dateAdded": "10/12/2021", "shortDescription": "s", "requiredAction": "a", "dueDate": "2021-12-24"}]}
                """;
        ParseResult r = new KevParser().parse(json.getBytes(UTF_8), "kev.json");
        assertThat(r.kev()).singleElement().satisfies(k -> assertThat(k.knownRansomwareCampaignUse()).isTrue());
        assertThat(r.problems()).containsExactly(
                "kev.json: CVE-2021-0001: required field 'product' missing; skipped",
                "kev.json: CVE-2021-0002: dateAdded or dueDate is not YYYY-MM-DD; skipped");
    }

    @Test
    void epssScoresWithTheirModelAndDate(@TempDir Path dir) throws Exception {
        ParseResult r = new EpssParser().parse(Fixtures.bytes("epss.csv"), "epss.csv");
        assertThat(r.problems()).isEmpty();
        assertThat(r.epss()).hasSize(4).first().isEqualTo(new EpssScore("CVE-1999-0001", 0.01141, 0.77845,
                "v2023.03.01", Instant.parse("2025-08-25T00:00:00Z")));
        // as distributed: gzipped, recognised under its .csv.gz name
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(Fixtures.bytes("epss.csv"));
        }
        Path file = dir.resolve("epss_scores-2025-08-25.csv.gz");
        Files.write(file, gz.toByteArray());
        ParseResult fromGz = Feeds.parse(file);
        assertThat(fromGz.epss()).isEqualTo(r.epss());
        assertThat(fromGz.stats()).containsEntry(FeedFormat.EPSS_CSV, new FormatStats(1, 4, 0));
    }

    @Test
    void badEpssRowsAreReportedByLine() {
        String csv = "cve,epss,percentile\nCVE-2020-0001,0.5,0.9\nnot-a-cve,0.1,0.1\nCVE-2020-0002,1.5,0.1\n"
                + "CVE-2020-0003,0.1\nCVE-2020-0004," + "9".repeat(5000) + ",0.1\nCVE-2020-0005,0.2,0.3";
        ParseResult r = new EpssParser().parse(csv.getBytes(UTF_8), "e.csv");
        assertThat(r.epss()).extracting(EpssScore::cve).containsExactly("CVE-2020-0001", "CVE-2020-0005");
        assertThat(r.epss().getFirst().modelVersion()).isNull();
        assertThat(r.problems()).containsExactly(
                "e.csv: line 3: not 'CVE-id,epss,percentile'; skipped",
                "e.csv: CVE-2020-0002: line 4: scores are not numbers in [0, 1]",
                "e.csv: line 5: not 'CVE-id,epss,percentile'; skipped",
                "e.csv: line 6: longer than 4096 characters");
        assertThat(new EpssParser().parse("a,b\n1,2\n".getBytes(UTF_8), "x.csv").problems())
                .containsExactly("x.csv: line 1: header is not 'cve,epss,percentile'");
    }
}
