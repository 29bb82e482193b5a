package dev.bulwark.report;

import dev.bulwark.model.Cvss;
import dev.bulwark.model.Finding;
import dev.bulwark.model.FindingStatus;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.Severity;
import dev.bulwark.model.Suppression;
import dev.bulwark.model.VulnDbInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scan reports shaped like what matching produces for {@link Fixtures#debianApp()} with a Go binary, a vulnerable
 * npm package and Log4j added: a Debian finding with its fix in bookworm-security, a Go advisory known by its CVE
 * alias, an npm one from GHSA, Log4Shell (in CISA's KEV catalog), a glibc issue Debian will not fix, and a
 * suppressed one.
 */
final class ScanFixtures {
    static final Instant DB_BUILT = Instant.parse("2024-05-01T06:00:00Z");

    static final Package GO_TEXT = new Package(PackageType.GOLANG, "golang.org/x/text", "v0.3.6",
            "pkg:golang/golang.org/x/text@v0.3.6", null, List.of("BSD-3-Clause"), Fixtures.APP_LAYER,
            List.of("/app/bin/server"), Map.of("goVersion", "go1.16.4"));
    static final Package SEMVER = new Package(PackageType.NPM, "semver", "7.5.1", "pkg:npm/semver@7.5.1", null,
            List.of("ISC"), Fixtures.APP_LAYER, List.of("/app/node_modules/semver/package.json"), Map.of());
    static final Package LOG4J = new Package(PackageType.MAVEN, "org.apache.logging.log4j:log4j-core", "2.14.1",
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", null, List.of("Apache-2.0"), Fixtures.APP_LAYER,
            List.of("/app/lib/log4j-core-2.14.1.jar"), Map.of("sha1", "9141212b8507ab50a45525b545b39d224614528b"));

    private ScanFixtures() {
    }

    static Inventory inventory() {
        Inventory base = Fixtures.debianApp();
        List<Package> packages = new ArrayList<>(base.packages());
        packages.addAll(List.of(GO_TEXT, SEMVER, LOG4J));
        return new Inventory(base.image(), base.os(), packages, base.warnings(), base.scannedAt(), base.tool());
    }

    static Package pkg(String name) {
        return inventory().packages().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    static Finding log4shell() {
        return new Finding("CVE-2021-44228", List.of("GHSA-jfh8-c2jp-5v3q"), LOG4J, List.of("2.15.0"), FindingStatus.FIXED,
                Severity.CRITICAL, "nvd", new Cvss("3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, "nvd"), true,
                0.97565, "Remote code injection in Log4j", List.of("osv-maven:GHSA-jfh8-c2jp-5v3q", "nvd:CVE-2021-44228"),
                List.of("https://nvd.nist.gov/vuln/detail/CVE-2021-44228", "https://logging.apache.org/log4j/2.x/security.html"));
    }

    static Finding goText() {
        return new Finding("CVE-2021-38561", List.of("GO-2021-0113", "GHSA-ppp9-7jff-5vj2"), GO_TEXT, List.of("0.3.7"),
                FindingStatus.FIXED, Severity.HIGH, "nvd",
                new Cvss("3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5, "nvd"), false, 0.00215,
                "Out-of-bounds read in golang.org/x/text/language", List.of("osv-go:GO-2021-0113"),
                List.of("https://pkg.go.dev/vuln/GO-2021-0113", "https://go.dev/cl/340830"));
    }

    static Finding libssl() {
        return new Finding("CVE-2024-0727", List.of(), pkg("libssl3"), List.of("3.0.13-1~deb12u1"), FindingStatus.FIXED,
                Severity.MEDIUM, "nvd", new Cvss("3.1", "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 5.5, "nvd"), false,
                0.00043, "openssl: denial of service via null dereference", List.of("debian:CVE-2024-0727"),
                List.of("https://security-tracker.debian.org/tracker/CVE-2024-0727",
                        "https://www.openssl.org/news/secadv/20240125.txt"));
    }

    static Finding semver() {
        return new Finding("CVE-2022-25883", List.of("GHSA-c2qf-rxjj-qqgw"), SEMVER, List.of("7.5.2"), FindingStatus.FIXED,
                Severity.MEDIUM, "ghsa", new Cvss("3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 5.3, "ghsa"), false,
                Double.NaN, "semver vulnerable to Regular Expression Denial of Service", List.of("osv-npm:GHSA-c2qf-rxjj-qqgw"),
                List.of("https://github.com/advisories/GHSA-c2qf-rxjj-qqgw"));
    }

    /** Debian rates it "unimportant" and will not fix it; NVD gives 5.9. */
    static Finding glibcWontFix() {
        return new Finding("CVE-2019-1010022", List.of(), pkg("libc6"), List.of(), FindingStatus.WILL_NOT_FIX,
                Severity.NEGLIGIBLE, "debian", new Cvss("3.1", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1, "nvd"),
                false, Double.NaN, "glibc: stack guard protection bypass", List.of("debian:CVE-2019-1010022"),
                List.of("https://security-tracker.debian.org/tracker/CVE-2019-1010022"));
    }

    static Suppression suppressedGlibc() {
        Finding f = new Finding("CVE-2010-4756", List.of(), pkg("libc6"), List.of(), FindingStatus.AFFECTED,
                Severity.LOW, "debian", new Cvss("2.0", "AV:N/AC:L/Au:S/C:N/I:N/A:P", 4.0, "nvd"), false, Double.NaN,
                "glibc: glob implementation can cause excessive CPU and memory consumption", List.of("debian:CVE-2010-4756"),
                List.of("https://security-tracker.debian.org/tracker/CVE-2010-4756"));
        return new Suppression(f, "openvex", "vulnerable_code_not_in_execute_path", "vex/app.openvex.json");
    }

    static VulnDbInfo db() {
        return new VulnDbInfo("/root/.cache/bulwark/db", DB_BUILT, List.of(
                new VulnDbInfo.Source("debian", 35_012, Instant.parse("2024-05-01T05:40:00Z"), "https://security-tracker.debian.org/tracker/data/json"),
                new VulnDbInfo.Source("osv-go", 2_841, Instant.parse("2024-05-01T05:42:10Z"), "https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip"),
                new VulnDbInfo.Source("osv-npm", 14_032, Instant.parse("2024-05-01T05:43:00Z"), "https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip"),
                new VulnDbInfo.Source("kev", 1_187, Instant.parse("2024-05-01T05:44:00Z"), "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json")),
                1);
    }

    /** Findings in the matcher's order: severity (highest first), then package, then id. */
    static ScanReport report() {
        return new ScanReport(inventory(), List.of(log4shell(), goText(), libssl(), semver(), glibcWontFix()),
                List.of(suppressedGlibc()), db(),
                List.of("cryptography 42.0.5: no advisory source for PyPI in the database; pypi packages were not matched"));
    }
}
