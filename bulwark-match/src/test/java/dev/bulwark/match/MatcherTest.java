package dev.bulwark.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.model.Finding;
import dev.bulwark.model.FindingStatus;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.OsRelease;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.SourcePackage;
import dev.bulwark.vulndb.VulnDb;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Matching on the real feeds of ../shared/vulndata. */
class MatcherTest {
    private static VulnDb db;

    @BeforeAll
    static void open() throws Exception {
        db = VulnDb.open(RealFeeds.db());
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    static Package pkg(PackageType type, String name, String version) {
        return new Package(type, name, version, "pkg:" + type.purlType() + "/" + name + "@" + version, null, List.of(),
                null, List.of("/app/" + name), Map.of());
    }

    static Inventory inventory(OsRelease os, Package... packages) {
        ImageInfo image = new ImageInfo("rootfs:/test", "rootfs", null, null, List.of(), List.of(), null, null, List.of(), Map.of());
        return new Inventory(image, os, List.of(packages), List.of(), Instant.EPOCH, "bulwark test");
    }

    private static List<Finding> match(Inventory inv) throws Exception {
        return new Matcher(db).match(inv).findings();
    }

    private static List<Finding> of(List<Finding> all, String name) {
        List<Finding> out = new ArrayList<>();
        for (Finding f : all) if (f.pkg().name().equals(name)) out.add(f);
        return out;
    }

    @Test
    void goModuleBeforeTheFixIsReportedOnceUnderItsCveWithTheGoIdAsAlias() throws Exception {
        List<Finding> found = match(inventory(null,
                pkg(PackageType.GOLANG, "golang.org/x/text", "v0.3.6"),
                pkg(PackageType.GOLANG, "golang.org/x/net", "v0.17.0")));
        List<Finding> text = of(found, "golang.org/x/text");
        Finding f = text.stream().filter(x -> x.isKnownAs("GO-2021-0113")).findFirst().orElseThrow();
        assertThat(f.id()).isEqualTo("CVE-2021-38561");
        assertThat(f.fixedVersions()).containsExactly("0.3.7");
        assertThat(f.status()).isEqualTo(FindingStatus.FIXED);
        assertThat(f.dataSources()).contains("osv-go:GO-2021-0113");
        // one finding per vulnerability: no id of one finding is an alias of another
        for (Finding a : text) for (Finding b : text) if (a != b) assertThat(b.isKnownAs(a.id())).isFalse();
        // x/net 0.17.0 is the fix of GO-2023-2102 (HTTP/2 rapid reset): not reported
        assertThat(of(found, "golang.org/x/net")).noneMatch(x -> x.isKnownAs("GO-2023-2102"));
    }

    @Test
    void fixedVersionIsNotReportedAndTheVersionBeforeIs() throws Exception {
        assertThat(match(inventory(null, pkg(PackageType.GOLANG, "golang.org/x/text", "v0.3.7"))))
                .noneMatch(x -> x.isKnownAs("GO-2021-0113"));
        assertThat(match(inventory(null, pkg(PackageType.GOLANG, "golang.org/x/net", "v0.16.0"))))
                .anyMatch(x -> x.isKnownAs("GO-2023-2102") && x.fixedVersions().contains("0.17.0"));
    }

    @Test
    void standardLibraryRangesWithSeveralIntroducedEvents() throws Exception {
        // GO-2023-2102: stdlib introduced 0 fixed 1.20.10, introduced 1.21.0-0 fixed 1.21.3
        assertThat(match(inventory(null, pkg(PackageType.GOLANG, "stdlib", "1.21.2"))))
                .anyMatch(x -> x.isKnownAs("GO-2023-2102") && x.fixedVersions().equals(List.of("1.21.3")));
        assertThat(match(inventory(null, pkg(PackageType.GOLANG, "stdlib", "1.20.10"))))
                .noneMatch(x -> x.isKnownAs("GO-2023-2102"));
    }

    @Test
    void knownExploitedFlagComesFromKev() throws Exception {
        // GO-2022-0535 is CVE-2020-0601 (CurveBall), in CISA's catalog; stdlib fixed 1.12.16
        Finding f = match(inventory(null, pkg(PackageType.GOLANG, "stdlib", "1.12.15"))).stream()
                .filter(x -> x.isKnownAs("GO-2022-0535")).findFirst().orElseThrow();
        assertThat(f.id()).isEqualTo("CVE-2020-0601");
        assertThat(f.knownExploited()).isTrue();
        Finding other = match(inventory(null, pkg(PackageType.GOLANG, "golang.org/x/text", "v0.3.6"))).stream()
                .filter(x -> x.isKnownAs("GO-2021-0113")).findFirst().orElseThrow();
        assertThat(other.knownExploited()).isFalse();
    }

    @Test
    void pypiNamesAreComparedByPep503AndExplicitVersionsCount() throws Exception {
        // PYSEC-2020-176: pyyaml introduced 5.1 fixed 5.2b1; the image writes the name as "PyYAML"
        assertThat(match(inventory(null, pkg(PackageType.PYPI, "PyYAML", "5.1.2"))))
                .anyMatch(x -> x.isKnownAs("PYSEC-2020-176") && x.fixedVersions().contains("5.2b1"));
        assertThat(match(inventory(null, pkg(PackageType.PYPI, "PyYAML", "5.2"))))
                .noneMatch(x -> x.isKnownAs("PYSEC-2020-176"));
    }

    @Test
    void npmRangeExpressionsOfSecurityWg() throws Exception {
        // security-wg npm/1: bassmaster vulnerable <=1.5.1, patched >=1.5.2 (CVE-2014-7205)
        assertThat(match(inventory(null, pkg(PackageType.NPM, "bassmaster", "1.5.1"))))
                .anyMatch(x -> x.isKnownAs("CVE-2014-7205"));
        assertThat(match(inventory(null, pkg(PackageType.NPM, "bassmaster", "1.5.2"))))
                .noneMatch(x -> x.isKnownAs("CVE-2014-7205"));
    }

    @Test
    void rustSecPatchedAndUnaffectedRequirements() throws Exception {
        // RUSTSEC-2021-0003 smallvec: patched >= 0.6.14, < 1.0.0 | >= 1.6.1; unaffected < 0.6.3
        assertThat(match(inventory(null, pkg(PackageType.CARGO, "smallvec", "1.6.0"))))
                .anyMatch(x -> x.isKnownAs("RUSTSEC-2021-0003") && x.id().equals("CVE-2021-25900"));
        for (String safe : List.of("1.6.1", "0.6.14", "0.6.2")) {
            assertThat(match(inventory(null, pkg(PackageType.CARGO, "smallvec", safe))))
                    .as(safe).noneMatch(x -> x.isKnownAs("RUSTSEC-2021-0003"));
        }
    }

    @Test
    void alpinePackagesAreMatchedByOriginInTheirRelease() throws Exception {
        OsRelease alpine = new OsRelease("alpine", "3.11.6", null, "Alpine Linux v3.11", null, false);
        Package libssl = new Package(PackageType.APK, "libssl1.1", "1.1.1d-r2", "pkg:apk/alpine/libssl1.1@1.1.1d-r2",
                new SourcePackage("openssl", null), List.of(), null, List.of("/lib/apk/db/installed"), Map.of());
        List<Finding> found = match(inventory(alpine, libssl));
        // openssl secfixes: 1.1.1d-r3 CVE-2019-1551; 1.1.1d-r1 CVE-2019-1547 (already fixed in r2)
        assertThat(found).anyMatch(x -> x.id().equals("CVE-2019-1551") && x.fixedVersions().equals(List.of("1.1.1d-r3")));
        assertThat(found).noneMatch(x -> x.id().equals("CVE-2019-1547"));
        // the same package in another release has no advisories from v3.11
        OsRelease other = new OsRelease("alpine", "3.12.0", null, "Alpine Linux v3.12", null, false);
        assertThat(match(inventory(other, libssl))).isEmpty();
    }

    @Test
    void unknownDistributionIsAWarningNotASilentPass() throws Exception {
        OsRelease arch = new OsRelease("arch", null, null, "Arch Linux", null, false);
        Package p = pkg(PackageType.DEB, "openssl", "1.0");
        Matcher.Result r = new Matcher(db).match(inventory(arch, p));
        assertThat(r.findings()).isEmpty();
        assertThat(r.warnings()).anyMatch(w -> w.contains("arch"));
    }

    @Test
    void findingsAreSortedBySeverityThenPackage() throws Exception {
        List<Finding> found = match(inventory(null,
                pkg(PackageType.GOLANG, "stdlib", "1.12.15"),
                pkg(PackageType.GOLANG, "golang.org/x/text", "v0.3.6")));
        assertThat(found).hasSizeGreaterThan(5);
        for (int i = 1; i < found.size(); i++) {
            assertThat(Matcher.ORDER.compare(found.get(i - 1), found.get(i))).isLessThanOrEqualTo(0);
        }
    }
}
