package dev.bulwark.vulndb.feed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.model.Advisory;
import dev.bulwark.model.AffectedPackage;
import dev.bulwark.model.AffectedRange;
import dev.bulwark.model.AffectedRange.Event;
import dev.bulwark.model.AffectedRange.EventKind;
import dev.bulwark.model.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OsvParserTest {
    @Test
    void everyGoVulndbRecordParses() throws Exception {
        ParseResult r = Feeds.parseTree(VulnData.of("golang-vulndb"));
        assertThat(r.problems()).isEmpty();
        assertThat(r.stats()).containsEntry(FeedFormat.OSV_JSON, new FormatStats(4291, 4291, 0));
        assertThat(r.advisories()).hasSize(4291).allSatisfy(a -> assertThat(a.source()).isEqualTo("osv-go"));
        assertThat(r.unrecognised()).containsExactly("golang-vulndb/LICENSE");

        Map<String, Advisory> byId = byId(r.advisories());
        Advisory text = byId.get("GO-2021-0113");
        assertThat(text.aliases()).containsExactly("CVE-2021-38561", "GHSA-ppp9-7jff-5vj2");
        assertThat(text.summary()).isEqualTo("Out-of-bounds read in golang.org/x/text/language");
        assertThat(text.published()).isEqualTo(Instant.parse("2021-10-06T17:51:21Z"));
        assertThat(text.modified()).as("Go's zero time means 'not set'").isNull();
        assertThat(text.affected()).containsExactly(new AffectedPackage("Go", "golang.org/x/text",
                List.of(new AffectedRange(AffectedRange.Type.SEMVER,
                        List.of(new Event(EventKind.INTRODUCED, "0"), new Event(EventKind.FIXED, "0.3.7")))),
                List.of(), null, Severity.UNKNOWN, Map.of()));
        assertThat(text.affected().getFirst().ranges().getFirst().fixedVersions()).containsExactly("0.3.7");
        assertThat(text.references()).contains("https://go.dev/cl/340830");
        assertThat(r.advisories().stream().filter(a -> a.withdrawn() != null)).hasSize(17);
    }

    @Test
    void everyPypaRecordParsesFromYaml() throws Exception {
        ParseResult r = Feeds.parseTree(VulnData.of("pypa-advisory-database"));
        assertThat(r.problems()).isEmpty();
        // the README says 2,662 records: there are 2,661 YAML files, one record each; the 2,662nd file is the
        // repository's vulns/.id-allocator, which is not a record (hidden files are bookkeeping and not even looked at)
        assertThat(r.stats()).containsEntry(FeedFormat.OSV_YAML, new FormatStats(2661, 2661, 0));
        assertThat(r.unrecognised()).containsExactly("pypa-advisory-database/LICENSE");
        Map<String, Advisory> byId = byId(r.advisories());
        Advisory sky = byId.get("PYSEC-2020-342");
        assertThat(sky.source()).isEqualTo("osv-pypi");
        assertThat(sky.summary()).startsWith("**Resolved** Only when using H2/MySQL/TiDB");
        assertThat(sky.modified()).isEqualTo(Instant.parse("2023-11-07T20:24:23.946863Z"));
        assertThat(sky.cvss()).singleElement().satisfies(c -> {
            assertThat(c.vector()).isEqualTo("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
            assertThat(c.score()).isEqualTo(9.8);
        });
        assertThat(sky.severity()).isEqualTo(Severity.CRITICAL);
        AffectedPackage p = sky.affected().getFirst();
        assertThat(p.ecosystem()).isEqualTo("PyPI");
        assertThat(p.extra()).containsEntry("purl", "pkg:pypi/apache-skywalking");
        assertThat(p.versions()).startsWith("0.1.0", "0.2.0").endsWith("1.0.1");
        assertThat(byId.get("PYSEC-2023-73").withdrawn()).isEqualTo(Instant.parse("2023-06-06T10:37:00Z"));
        // every CVSS vector in the feed is scored
        assertThat(r.advisories().stream().flatMap(a -> a.cvss().stream())).hasSize(202)
                .allSatisfy(c -> assertThat(c.score()).isBetween(0.0, 10.0));
        // GIT ranges carry their repository in extra
        assertThat(r.advisories().stream().flatMap(a -> a.affected().stream()).filter(a -> a.extra().containsKey("repo")))
                .isNotEmpty();
    }

    @Test
    void ghsaSeverityV4VectorsGitOnlyPackagesAndYamlNumbersAreKept() {
        String yaml = """
                id: GHSA-xxxx-yyyy-zzzz
                modified: 2024-01-02T03:04:05Z
                aliases: [CVE-2024-0001]
                details: |
                  First line of details.
                  Second line.
                severity:
                - type: CVSS_V4
                  score: CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N
                affected:
                - package: {ecosystem: PyPI, name: demo}
                  ranges:
                  - type: ECOSYSTEM
                    events:
                    - introduced: 1.10
                    - last_affected: 2.0
                  versions: [1.10, 1.20]
                  database_specific: {severity: HIGH}
                - ranges:
                  - type: GIT
                    repo: https://example.org/demo.git
                    events:
                    - introduced: 0
                    - limit: abc123
                database_specific: {severity: MODERATE}
                """;
        ParseResult r = OsvParser.yaml().parse(yaml.getBytes(UTF_8), "demo.yaml");
        assertThat(r.problems()).isEmpty();
        Advisory a = r.advisories().getFirst();
        assertThat(a.severity()).as("GHSA's MODERATE").isEqualTo(Severity.MEDIUM);
        assertThat(a.summary()).isEqualTo("First line of details.");
        assertThat(a.cvss()).singleElement().satisfies(c -> {
            assertThat(c.version()).isEqualTo("4.0");
            assertThat(c.score()).isNaN();
        });
        AffectedPackage demo = a.affected().get(0);
        assertThat(demo.severity()).isEqualTo(Severity.HIGH);
        assertThat(demo.versions()).as("YAML numbers keep their text").containsExactly("1.10", "1.20");
        assertThat(demo.ranges().getFirst().events()).containsExactly(new Event(EventKind.INTRODUCED, "1.10"),
                new Event(EventKind.LAST_AFFECTED, "2.0"));
        AffectedPackage git = a.affected().get(1);
        assertThat(git.ecosystem()).isEqualTo("GIT");
        assertThat(git.name()).isEqualTo("https://example.org/demo.git");
        assertThat(git.ranges().getFirst().events()).contains(new Event(EventKind.LIMIT, "abc123"));
    }

    @Test
    void malformedPartsAreReportedWithFileAndRecord() {
        String json = """
                [{"id": "OSV-1", "modified": "2024-01-01T00:00:00Z",
                  "affected": [{"package": {"ecosystem": "npm"}},
                               {"package": {"ecosystem": "npm", "name": "ok"},
                                "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixd": "1.0.0"}]},
                                           {"type": "WEIRD", "events": [{"introduced": "0"}]}]}],
                  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N"}],
                  "published": "yesterday"},
                 {"modified": "2024-01-01T00:00:00Z"},
                 {"id": "OSV-3", "aliases": {"not": "a list"}, "affected": "nope"}]
                """;
        ParseResult r = OsvParser.json().parse(json.getBytes(UTF_8), "batch.json");
        assertThat(r.advisories()).extracting(Advisory::id).containsExactly("OSV-1", "OSV-3");
        assertThat(r.problems()).containsExactly(
                "batch.json: OSV-1: affected[0] names no package ecosystem and name; entry skipped",
                "batch.json: OSV-1: affected[1].ranges[0] has a malformed event {\"fixd\":\"1.0.0\"}; event skipped",
                "batch.json: OSV-1: affected[1].ranges[1] has unknown type 'WEIRD'; range skipped",
                "batch.json: OSV-1: invalid CVSS vector: 'CVSS:3.1/AV:N' lacks base metrics (needs AV, AC, PR, UI, S, C, I, A)",
                "batch.json: OSV-1: unreadable 'published' timestamp 'yesterday'",
                "batch.json: record has no id; skipped",
                "batch.json: OSV-3: required field 'modified' missing",
                "batch.json: OSV-3: 'affected' is not a list; ignored",
                "batch.json: OSV-3: 'aliases' is not a list; ignored");
        assertThat(r.advisories().getFirst().affected()).singleElement().extracting(AffectedPackage::name)
                .isEqualTo("ok");
    }

    @Test
    void unreadableAndOversizedDocumentsAreProblems() {
        assertThat(OsvParser.json().parse("{\"id\": ".getBytes(UTF_8), "cut.json").problems())
                .singleElement().asString().startsWith("cut.json: not a readable OSV JSON document");
        assertThat(OsvParser.json().parse(new byte[0], "empty.json").problems()).containsExactly("empty.json: empty document");
        Limits tiny = new Limits(64, 1 << 20, 1 << 20, 100, 10);
        byte[] big = ("{\"id\": \"X\", \"details\": \"" + "a".repeat(100) + "\"}").getBytes(UTF_8);
        assertThat(OsvParser.json(tiny).parse(big, "big.json").problems())
                .containsExactly("big.json: record larger than 64 bytes; refused");
    }

    static Map<String, Advisory> byId(List<Advisory> advisories) {
        return advisories.stream().collect(Collectors.toMap(Advisory::id, Function.identity(), (a, b) -> a));
    }
}
