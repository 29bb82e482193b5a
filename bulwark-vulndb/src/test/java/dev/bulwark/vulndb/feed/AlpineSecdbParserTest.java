package dev.bulwark.vulndb.feed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.model.Advisory;
import dev.bulwark.model.AffectedPackage;
import dev.bulwark.model.AffectedRange;
import dev.bulwark.model.AffectedRange.Event;
import dev.bulwark.model.AffectedRange.EventKind;
import dev.bulwark.model.Severity;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AlpineSecdbParserTest {
    @Test
    void everySecdbFileParses() throws Exception {
        ParseResult r = Feeds.parseTree(VulnData.of("alpine-secdb"));
        // 12,028 listed entries; entries naming two CVEs give two records, entries repeating a CVE with a suffix
        // ("CVE-2017-17434-1", "-2") merge; 18 files for v3.3 to v3.11, main and community
        assertThat(r.stats()).containsEntry(FeedFormat.ALPINE_SECDB_YAML, new FormatStats(18, 12031, 1));
        assertThat(r.problems()).containsExactly("alpine-secdb/v3.6/main.yaml: heimdal 7.4.0-r0: fix lists no ids; skipped");
        assertThat(r.unrecognised()).isEmpty();
        // one advisory per id per release
        assertThat(r.advisories()).hasSize(11214);
        assertThat(r.advisories().stream().map(a -> a.id() + " " + a.affected().getFirst().ecosystem()).distinct())
                .hasSize(11214);
        assertThat(r.advisories()).allSatisfy(a -> {
            assertThat(a.source()).isEqualTo("alpine");
            assertThat(a.id()).matches("CVE-\\d{4}-\\d{4,}|XSA-\\d+|ZBX-\\d+|wnpa-sec-\\d{4}-\\d+");
        });
        Set<String> releases = r.advisories().stream().flatMap(a -> a.affected().stream())
                .map(AffectedPackage::ecosystem).collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(releases).containsExactly("Alpine:v3.10", "Alpine:v3.11", "Alpine:v3.3", "Alpine:v3.4", "Alpine:v3.5",
                "Alpine:v3.6", "Alpine:v3.7", "Alpine:v3.8", "Alpine:v3.9");

        Advisory ansible = find(r, "CVE-2019-14904", "Alpine:v3.11");
        assertThat(ansible.affected()).containsExactly(new AffectedPackage("Alpine:v3.11", "ansible",
                List.of(new AffectedRange(AffectedRange.Type.ECOSYSTEM,
                        List.of(new Event(EventKind.INTRODUCED, "0"), new Event(EventKind.FIXED, "2.9.3-r0")))),
                List.of(), "fixed", Severity.UNKNOWN, Map.of("repository", "main")));

        // version "0": the package was never affected
        Advisory db = find(r, "CVE-2016-0682", "Alpine:v3.8");
        assertThat(db.affected()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("db");
            assertThat(p.status()).isEqualTo("not-affected");
            assertThat(p.ranges()).isEmpty();
        });

        // "CVE-2016-9932 XSA-200": the CVE is the id, the Xen advisory its alias
        assertThat(find(r, "CVE-2016-9932", "Alpine:v3.5").aliases()).containsExactly("XSA-200");
        // "XSA-207" alone: filed under the Xen advisory
        assertThat(find(r, "XSA-207", "Alpine:v3.5").affected().getFirst().name()).isEqualTo("xen");
        // "CVE-2017-17434-1" and "-2" are both CVE-2017-17434
        assertThat(find(r, "CVE-2017-17434", "Alpine:v3.11").affected()).hasSize(1);
    }

    @Test
    void freeTextEntriesYieldTheirIds() {
        assertThat(AlpineSecdbParser.ids("CVE-2016-9932 XSA-200"))
                .isEqualTo(new AlpineSecdbParser.Ids(List.of("CVE-2016-9932"), List.of("XSA-200")));
        assertThat(AlpineSecdbParser.ids("CVE_2019-2426").primary()).containsExactly("CVE-2019-2426");
        assertThat(AlpineSecdbParser.ids("CVE 2018-16859").primary()).containsExactly("CVE-2018-16859");
        assertThat(AlpineSecdbParser.ids("CVE-2017-8073.patch").primary()).containsExactly("CVE-2017-8073");
        assertThat(AlpineSecdbParser.ids("CVE-2018-14468 (FrameRelay)"))
                .isEqualTo(new AlpineSecdbParser.Ids(List.of("CVE-2018-14468"), List.of()));
        assertThat(AlpineSecdbParser.ids("CVE-2017-5753 CVE-2017-5715 CVE-2017-5754 XSA-254 XPTI"))
                .isEqualTo(new AlpineSecdbParser.Ids(List.of("CVE-2017-5753", "CVE-2017-5715", "CVE-2017-5754"),
                        List.of("XSA-254")));
        assertThat(AlpineSecdbParser.ids("CVE-????-?????  XSA-295"))
                .isEqualTo(new AlpineSecdbParser.Ids(List.of("XSA-295"), List.of()));
        assertThat(AlpineSecdbParser.ids("wnpa-sec-2017-18").primary()).containsExactly("wnpa-sec-2017-18");
        assertThat(AlpineSecdbParser.ids("see upstream").primary()).isEmpty();
    }

    @Test
    void jsonSecdbWithKeysInAnyOrder() {
        // secdb as served today is JSON; nothing obliges distroversion to come before packages
        String json = """
                {"apkurl": "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk",
                 "archs": ["x86_64"],
                 "packages": [
                   {"pkg": {"name": "openssl", "secfixes": {"3.1.4-r1": ["CVE-2023-5678"], "0": ["CVE-2022-1343"]}}},
                   {"pkg": {"name": "busybox", "secfixes": {"1.36.1-r2": ["CVE-2022-48174", "see the issue"]}}},
                   {"pkg": {"secfixes": {}}}
                 ],
                 "reponame": "main", "urlprefix": "https://example.org/alpine", "distroversion": "v3.19"}
                """;
        ParseResult r = AlpineSecdbParser.json().parse(json.getBytes(UTF_8), "v3.19/main.json");
        assertThat(r.advisories()).extracting(Advisory::id)
                .containsExactly("CVE-2023-5678", "CVE-2022-1343", "CVE-2022-48174");
        assertThat(r.advisories()).allSatisfy(a ->
                assertThat(a.affected().getFirst().ecosystem()).isEqualTo("Alpine:v3.19"));
        assertThat(r.advisories().get(1).affected().getFirst().status()).isEqualTo("not-affected");
        assertThat(r.problems()).containsExactly(
                "v3.19/main.json: busybox 1.36.1-r2: entry 'see the issue' names no vulnerability id; skipped",
                "v3.19/main.json: packages[2]: no pkg.name; skipped");
    }

    private static Advisory find(ParseResult r, String id, String release) {
        return r.advisories().stream()
                .filter(a -> a.id().equals(id) && a.affected().getFirst().ecosystem().equals(release))
                .findFirst().orElseThrow(() -> new AssertionError(id + " in " + release + " not found"));
    }
}
