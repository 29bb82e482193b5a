package dev.bulwark.vulndb.feed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.model.Advisory;
import dev.bulwark.model.AffectedPackage;
import dev.bulwark.model.AffectedRange;
import dev.bulwark.model.AffectedRange.Event;
import dev.bulwark.model.AffectedRange.EventKind;
import dev.bulwark.model.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebianTrackerParserTest {
    private final ParseResult raw = new DebianTrackerParser().parse(Fixtures.bytes("debian-tracker.json"),
            "debian-tracker.json");

    @Test
    void oneAdvisoryPerIssuePackageAndRelease() {
        assertThat(raw.problems()).isEmpty();
        // glibc 3, openssl 3, openssl1.1 1, linux 2 + 1, zlib 3, libxml2 1
        assertThat(raw.advisories()).hasSize(14).allSatisfy(a -> {
            assertThat(a.source()).isEqualTo("debian");
            assertThat(a.affected()).hasSize(1);
        });
        assertThat(raw.advisories()).extracting(a -> a.affected().getFirst().ecosystem())
                .contains("Debian:11", "Debian:12", "Debian:13", "Debian:sid");
    }

    @Test
    void statusesFollowTheDocumentedMapping() {
        AffectedPackage fixed = pkg("openssl", "CVE-2024-5535", "Debian:12");
        assertThat(fixed.status()).isEqualTo("fixed");
        assertThat(fixed.ranges()).containsExactly(new AffectedRange(AffectedRange.Type.ECOSYSTEM,
                List.of(new Event(EventKind.INTRODUCED, "0"), new Event(EventKind.FIXED, "3.0.15-1~deb12u1"))));
        assertThat(fixed.severity()).isEqualTo(Severity.UNKNOWN); // "not yet assigned"
        assertThat(fixed.extra()).containsEntry("codename", "bookworm").containsEntry("scope", "remote");

        assertThat(pkg("libxml2", "CVE-2016-3709", "Debian:12")).satisfies(p -> {
            assertThat(p.status()).isEqualTo("not-affected");
            assertThat(p.ranges()).isEmpty();
        });
        // ignored → wont-fix, with the security team's note
        assertThat(pkg("zlib", "CVE-2023-45853", "Debian:12")).satisfies(p -> {
            assertThat(p.status()).isEqualTo("wont-fix");
            assertThat(p.extra()).containsEntry("nodsa_reason", "ignored")
                    .containsEntry("nodsa", "contrib/minizip not built and src:zlib not producing binary packages");
        });
        // plain no-dsa → unfixed; "low**" (from NVD) is still low
        assertThat(pkg("zlib", "CVE-2023-45853", "Debian:11")).satisfies(p -> {
            assertThat(p.status()).isEqualTo("unfixed");
            assertThat(p.severity()).isEqualTo(Severity.LOW);
            assertThat(p.extra()).containsEntry("urgency", "low**").doesNotContainKey("nodsa_reason");
        });
        assertThat(pkg("zlib", "CVE-2023-45853", "Debian:13").ranges().getFirst().fixedVersions())
                .containsExactly("1:1.3.dfsg-3.1");
        // unimportant → wont-fix, negligible
        assertThat(pkg("glibc", "CVE-2010-4756", "Debian:sid")).satisfies(p -> {
            assertThat(p.status()).isEqualTo("wont-fix");
            assertThat(p.severity()).isEqualTo(Severity.NEGLIGIBLE);
        });
        // end-of-life → wont-fix
        assertThat(pkg("openssl1.1", "CVE-2024-5535", "Debian:12").status()).isEqualTo("wont-fix");
        // postponed → unfixed: a fix may still come
        assertThat(pkg("linux", "CVE-2024-26596", "Debian:12")).satisfies(p -> {
            assertThat(p.status()).isEqualTo("unfixed");
            assertThat(p.extra()).containsEntry("nodsa_reason", "postponed").containsEntry("debianbug", "1063096");
        });
        // undetermined → unfixed, marked
        assertThat(pkg("linux", "TEMP-1063096-9D1E0A", "Debian:12")).satisfies(p -> {
            assertThat(p.status()).isEqualTo("unfixed");
            assertThat(p.extra()).containsEntry("tracker_status", "undetermined");
        });
        Advisory openssl = advisory("openssl", "CVE-2024-5535", "Debian:12");
        assertThat(openssl.summary()).startsWith("Issue summary: Calling the OpenSSL API function");
        assertThat(openssl.references()).containsExactly("https://security-tracker.debian.org/tracker/CVE-2024-5535");
    }

    @Test
    void feedsMergeThePackagesOfOneIssueAndRelease(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tracker.json");
        Files.write(file, Fixtures.bytes("debian-tracker.json"));
        ParseResult merged = Feeds.parse(file);
        assertThat(merged.stats()).containsEntry(FeedFormat.DEBIAN_TRACKER, new FormatStats(1, 14, 0));
        // CVE-2024-5535 in bookworm: openssl (fixed) and openssl1.1 (end-of-life) in one advisory
        assertThat(merged.advisories()).filteredOn(a -> a.id().equals("CVE-2024-5535")
                        && a.affected().getFirst().ecosystem().equals("Debian:12"))
                .singleElement().satisfies(a -> assertThat(a.affected()).extracting(AffectedPackage::name)
                        .containsExactly("openssl", "openssl1.1"));
        assertThat(merged.advisories()).hasSize(13);
    }

    @Test
    void malformedEntriesAreReportedAndTheRestIsRead() {
        String json = """
                {"a": {"CVE-1": {"releases": {"bookworm": {"status": "resolved"}}},
                       "CVE-2": {"description": "no releases"},
                       "CVE-3": {"releases": {"bookworm": {"status": "fixed-ish"}, "trixie": {"status": "open"}}}},
                 "b": ["not", "an", "object"],
                 "c": {"CVE-4": {"releases": {"forky": {"status": "open", "urgency": "high"}}}}}
                """;
        ParseResult r = new DebianTrackerParser().parse(json.getBytes(UTF_8), "t.json");
        assertThat(r.problems()).containsExactly(
                "t.json: a CVE-1: bookworm is resolved without a fixed_version; skipped",
                "t.json: a CVE-2: no releases object; skipped",
                "t.json: a CVE-3: bookworm has unknown status 'fixed-ish'; skipped",
                "t.json: b: package entry is not an object; skipped");
        assertThat(r.advisories()).extracting(a -> a.id() + " " + a.affected().getFirst().ecosystem())
                .containsExactly("CVE-3 Debian:13", "CVE-4 Debian:14");
        assertThat(r.advisories().get(1).severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void codenamesMapToReleaseNumbers() {
        assertThat(DebianTrackerParser.ecosystem("buster")).isEqualTo("Debian:10");
        assertThat(DebianTrackerParser.ecosystem("bullseye")).isEqualTo("Debian:11");
        assertThat(DebianTrackerParser.ecosystem("bookworm")).isEqualTo("Debian:12");
        assertThat(DebianTrackerParser.ecosystem("trixie")).isEqualTo("Debian:13");
        assertThat(DebianTrackerParser.ecosystem("forky")).isEqualTo("Debian:14");
        assertThat(DebianTrackerParser.ecosystem("sid")).isEqualTo("Debian:sid");
    }

    private Advisory advisory(String pkg, String issue, String ecosystem) {
        return raw.advisories().stream().filter(a -> a.id().equals(issue)
                        && a.affected().getFirst().name().equals(pkg)
                        && a.affected().getFirst().ecosystem().equals(ecosystem))
                .findFirst().orElseThrow(() -> new AssertionError(pkg + " " + issue + " " + ecosystem));
    }

    private AffectedPackage pkg(String pkg, String issue, String ecosystem) {
        return advisory(pkg, issue, ecosystem).affected().getFirst();
    }
}
