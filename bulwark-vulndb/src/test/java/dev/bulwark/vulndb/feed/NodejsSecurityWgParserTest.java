package dev.bulwark.vulndb.feed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.model.Advisory;
import dev.bulwark.model.AffectedPackage;
import dev.bulwark.model.Cvss;
import dev.bulwark.model.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class NodejsSecurityWgParserTest {
    @Test
    void everySecurityWgFileParses() throws Exception {
        ParseResult r = Feeds.parseTree(VulnData.of("nodejs-security-wg"));
        // 467 npm, 171 core and 6 deps files, plus an index.json in each directory repeating them
        assertThat(r.stats()).containsEntry(FeedFormat.NODEJS_SECURITY_WG, new FormatStats(647, 1298, 2));
        // the one malformed thing in the feed: npm/504.json (and its copy in npm/index.json) scores impacts "U"
        assertThat(r.problems()).containsExactly(
                "nodejs-security-wg/vuln/npm/504.json: 504: invalid CVSS vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:U/A:U' has an unknown metric or value 'I:U'",
                "nodejs-security-wg/vuln/npm/index.json: 504: invalid CVSS vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:U/A:U' has an unknown metric or value 'I:U'");
        assertThat(r.unrecognised()).containsExactly("nodejs-security-wg/LICENSE.md",
                "nodejs-security-wg/vuln/README.md", "nodejs-security-wg/vuln/index.js");
        // index.json duplicates merge away: 467 npm + 171 core + 11 CVEs in the 6 deps statements
        assertThat(r.advisories()).hasSize(649);
        assertThat(r.advisories().stream().filter(a -> a.id().startsWith("NSWG-ECO-"))).hasSize(467);
        assertThat(r.advisories().stream().filter(a -> a.id().startsWith("NSWG-COR-"))).hasSize(171);
        assertThat(r.advisories().stream().filter(a -> a.id().startsWith("CVE-"))).hasSize(11);

        Map<String, Advisory> byId = OsvParserTest.byId(r.advisories());
        Advisory bassmaster = byId.get("NSWG-ECO-1");
        assertThat(bassmaster.aliases()).containsExactly("CVE-2014-7205");
        assertThat(bassmaster.summary()).isEqualTo("Arbitrary JavaScript Execution");
        assertThat(bassmaster.published()).isEqualTo(Instant.parse("2014-09-27T00:00:00Z"));
        assertThat(bassmaster.modified()).isEqualTo(Instant.parse("2016-04-28T00:00:00Z"));
        assertThat(bassmaster.cvss()).containsExactly(
                new Cvss("3.0", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N", 6.5, "nodejs"));
        assertThat(bassmaster.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(bassmaster.affected()).containsExactly(new AffectedPackage("npm", "bassmaster", List.of(), List.of(),
                null, Severity.MEDIUM, Map.of("vulnerable_versions", "<=1.5.1", "patched_versions", ">=1.5.2")));

        Advisory naptr = byId.get("NSWG-COR-1");
        assertThat(naptr.aliases()).containsExactly("CVE-2017-1000381");
        assertThat(naptr.severity()).isEqualTo(Severity.HIGH);
        AffectedPackage node = naptr.affected().getFirst();
        assertThat(node.ecosystem()).isEqualTo("nodejs");
        assertThat(node.name()).isEqualTo("node");
        assertThat(node.extra()).containsEntry("vulnerable_versions", "8.x || 7.x || 4.x || 6.x || 5.x")
                .containsEntry("patched_versions", "^8.1.4 || ^7.10.1 || ^4.8.4 || ^6.11.1");
        // core/18.json writes its vector without the "CVSS:" prefix
        assertThat(byId.get("NSWG-COR-18").cvss()).containsExactly(
                new Cvss("3.0", "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N", 4.8, "nodejs"));

        Advisory minizip = byId.get("CVE-2023-45853");
        assertThat(minizip.affected()).singleElement().satisfies(p -> {
            assertThat(p.status()).isEqualTo("not-affected");
            assertThat(p.extra()).containsEntry("reason", "vulnerable_code_not_present");
        });
    }

    @Test
    void computedScoresAgreeWithTheScoresTheFeedPublishes() throws Exception {
        // an independent check of CvssV3 on real data: security-wg publishes a score beside each npm vector
        ObjectMapper json = new ObjectMapper();
        List<String> disagreements = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.list(VulnData.of("nodejs-security-wg").resolve("vuln/npm"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("\\d+\\.json")).sorted().toList()) {
                JsonNode r = json.readTree(f.toFile());
                String vector = r.path("cvss_vector").asText(null);
                if (vector == null || !r.path("cvss_score").isNumber() || !CvssV3.isValid(vector)) continue;
                checked++;
                double given = r.path("cvss_score").asDouble(), computed = CvssV3.baseScore(vector);
                if (given != computed) disagreements.add(f.getFileName() + " " + vector + " " + given + " " + computed);
            }
        }
        assertThat(checked).isEqualTo(457);
        // These 22 files publish a score their own vector does not give. The vectors are right: 363.json scores
        // Heartbleed's vector (AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N) 9.3, where NVD and the specification give 7.5.
        // The parser keeps the score computed from the vector.
        assertThat(disagreements).containsExactly(
                "363.json CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N 9.3 7.5",
                "364.json CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H 9.3 7.5",
                "365.json CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N 8.8 8.1",
                "366.json CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N 9.8 7.7",
                "367.json CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:L 2.5 1.8",
                "368.json CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:L 2.5 1.8",
                "373.json CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N 8.3 8.6",
                "381.json CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N 8.6 7.7",
                "383.json CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N 8.6 7.7",
                "384.json CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N 8.6 7.7",
                "385.json CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N 8.6 7.7",
                "386.json CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N 8.6 7.7",
                "389.json CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N 9.3 7.5",
                "420.json CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:N/A:N 9.5 7.4",
                "439.json CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N 9.3 7.5",
                "467.json CVSS:3.0/AV:L/AC:L/PR:H/UI:R/S:U/C:H/I:N/A:N 6.0 4.2",
                "468.json CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N 6.1 5.3",
                "485.json CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N 7.5 8.6",
                "493.json CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:C/C:L/I:L/A:N 7.0 5.7",
                "494.json CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N 6.1 5.1",
                "515.json CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N 9.3 7.5",
                "516.json CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:L 7.4 6.3");
    }

    @Test
    void recordsAreRecognisedByTheirFieldsOutsideTheirDirectory() {
        NodejsSecurityWgParser parser = new NodejsSecurityWgParser();
        String core = """
                {"cve": ["CVE-2016-5325"], "vulnerable": "6.x", "patched": "^6.7.0", "severity": "medium",
                 "cvss": "3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N", "cvss_score": 4.8}""";
        ParseResult r = parser.parse(core.getBytes(UTF_8), "downloads/18.json");
        assertThat(r.problems()).isEmpty();
        assertThat(r.advisories()).singleElement().extracting(Advisory::id).isEqualTo("NSWG-COR-18");
        ParseResult bad = parser.parse("{\"title\": \"what is this\"}".getBytes(UTF_8), "x/7.json");
        assertThat(bad.problems()).containsExactly("x/7.json: 7: neither an npm, a core nor a deps record; skipped");
        ParseResult npmWithoutModule = parser.parse("{\"id\": 9, \"vulnerable_versions\": \"*\"}".getBytes(UTF_8),
                "vuln/npm/9.json");
        assertThat(npmWithoutModule.problems())
                .containsExactly("vuln/npm/9.json: 9: npm record lacks id, module_name or vulnerable_versions; skipped");
    }
}
