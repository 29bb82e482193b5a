package dev.bulwark.report;

import dev.bulwark.model.Finding;
import dev.bulwark.model.FindingStatus;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.bulwark.report.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

class FindingsTableWriterTest {
    private final String table = Schemas.render(ScanFixtures.report(), ReportFormat.TABLE, options());
    private final List<String> lines = table.lines().toList();
    private final List<String> wide = Schemas.render(ScanFixtures.report(), ReportFormat.TABLE, options().withWidth(0)).lines().toList();

    @Test
    void everyLineFitsTheTerminalAndNothingIsColouredByDefault() {
        assertThat(lines).allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).as(l).isLessThanOrEqualTo(80));
        assertThat(lines).noneMatch(l -> l.endsWith(" "));
        assertThat(table).doesNotContain("\u001b");
        for (int width : new int[]{20, 40, 100, 132}) {
            List<String> other = Schemas.render(ScanFixtures.report(), ReportFormat.TABLE, options().withWidth(width)).lines().toList();
            assertThat(other).allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).as(l).isLessThanOrEqualTo(width));
        }
    }

    @Test
    void headerNamesTargetOsAndDatabaseThenTheTotal() {
        assertThat(wide.subList(0, 7)).containsExactly(
                "Target:   registry:localhost:5000/team/app:1.0",
                "Image:    " + Fixtures.IMAGE_ID.shortHex() + "  linux/amd64",
                "OS:       Debian GNU/Linux 12 (bookworm)",
                "Layers:   2",
                "Packages: 12 (deb 5, maven 2, npm 3, pypi 1, golang 1)",
                "DB:       built 2024-05-01T06:00:00Z (1 day before the scan); sources: debian, osv-go, osv-npm, kev",
                "Total: 5 (CRITICAL: 1, HIGH: 1, MEDIUM: 2, LOW: 0, NEGLIGIBLE: 1, UNKNOWN: 0)");
        assertThat(lines.get(6)).isEqualTo("Total: 5 (CRITICAL: 1, HIGH: 1, MEDIUM: 2, LOW: 0, NEGLIGIBLE: 1, UNKNOWN: 0)");
    }

    @Test
    void oneTablePerEcosystemOsFirstFindingsInTheReportsOrder() {
        int deb = wide.indexOf("deb packages - Debian GNU/Linux 12 (bookworm)");
        int maven = wide.indexOf("maven packages");
        int npm = wide.indexOf("npm packages");
        int go = wide.indexOf("golang packages");
        assertThat(deb).isPositive().isLessThan(maven);
        assertThat(maven).isLessThan(npm);
        assertThat(npm).isLessThan(go);
        assertThat(wide).doesNotContain("pypi packages"); // nothing found there: no table
        assertThat(wide.get(deb + 1)).isEqualTo("Total: 2 (CRITICAL: 0, HIGH: 0, MEDIUM: 1, LOW: 0, NEGLIGIBLE: 1, UNKNOWN: 0)");
        assertThat(wide.get(deb + 2)).matches("PACKAGE +VULNERABILITY +SEVERITY +STATUS +INSTALLED +FIXED +TITLE");
        assertThat(wide.get(deb + 3)).matches("libssl3 +CVE-2024-0727 +MEDIUM +fixed +3\\.0\\.11-1~deb12u2 +3\\.0\\.13-1~deb12u1 +"
                + "openssl: denial of service via null dereference");
        assertThat(wide.get(deb + 4)).matches("libc6 +CVE-2019-1010022 +NEGLIGIBLE +will_not_fix +2\\.36-9\\+deb12u4 +"
                + "glibc: stack guard protection bypass");
        assertThat(wide.get(go + 3)).matches("golang\\.org/x/text +CVE-2021-38561 +HIGH +fixed +v0\\.3\\.6 +0\\.3\\.7 +Out-of-bounds.*");
        // columns line up: FIXED starts at the same place in header and rows
        int fixed = wide.get(deb + 2).indexOf("FIXED");
        assertThat(wide.get(deb + 3).substring(fixed)).startsWith("3.0.13-1~deb12u1");
    }

    @Test
    void knownExploitedIsFlaggedAndExplained() {
        assertThat(wide).anyMatch(l -> l.matches("org\\.apache\\.logging\\.log4j:log4j-core +CVE-2021-44228 +CRITICAL \\[KEV] +fixed .*"));
        assertThat(wide).contains("[KEV]: 1 finding is in CISA's Known Exploited Vulnerabilities catalog: fix it first.");
        assertThat(wide.stream().filter(l -> l.contains("[KEV]")).count()).isEqualTo(2);
    }

    @Test
    void suppressedFindingsAreCountedNotListed() {
        assertThat(wide).contains("Suppressed: 1 finding (openvex 1), not counted above; the JSON, SARIF, CycloneDX and HTML reports list them.");
        assertThat(table).doesNotContain("CVE-2010-4756");
    }

    @Test
    void warningsOfScanAndMatchingAreBothShown() {
        int w = wide.indexOf("Warnings (3)");
        assertThat(w).isPositive();
        assertThat(wide.get(w + 3)).startsWith("  - cryptography 42.0.5: no advisory source for PyPI");
    }

    @Test
    void titlesAreCutToTheWidthOrMoveBelowTheirRowWhenTheTerminalIsNarrow() {
        List<String> at120 = Schemas.render(ScanFixtures.report(), ReportFormat.TABLE, options().withWidth(120)).lines().toList();
        String ssl = at120.stream().filter(l -> l.startsWith("libssl3 ")).findFirst().orElseThrow();
        assertThat(ssl).hasSize(120).endsWith("\u2026").contains("openssl: denial");
        // at 80 columns the title column would be too narrow to read: each title gets a line of its own
        int row = lines.indexOf(lines.stream().filter(l -> l.startsWith("libssl3 ")).findFirst().orElseThrow());
        assertThat(lines.get(row + 1)).isEqualTo("    openssl: denial of service via null dereference");
        assertThat(lines).noneMatch(l -> l.matches("PACKAGE .*TITLE"));
    }

    @Test
    void colourOnlyWhenAskedAndNeverCountedInTheWidth() {
        String coloured = Schemas.render(ScanFixtures.report(), ReportFormat.TABLE, options().withColor(true));
        assertThat(coloured).contains("\u001b[1;31mCRITICAL\u001b[0m").contains("\u001b[33mMEDIUM\u001b[0m");
        assertThat(coloured.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(table);
    }

    @Test
    void hostileTextCannotDriveTheTerminal() {
        Package evil = new Package(PackageType.NPM, "evil\u001b]0;pwned\u0007", "1\n2", null, null, List.of(), null, List.of(), Map.of());
        Finding f = new Finding("CVE-1\u001b[2J", List.of(), evil, List.of("2\u202e"), FindingStatus.FIXED, Severity.HIGH, "x",
                null, false, Double.NaN, "title\u001b[31m red", List.of(), List.of());
        ScanReport r = new ScanReport(new Inventory(null, null, List.of(evil), List.of(), null, null), List.of(f), List.of(),
                null, List.of("w\u001b[1A"));
        String out = Schemas.render(r, ReportFormat.TABLE, options().withWidth(0));
        assertThat(out).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u202e")
                .contains("evil?]0;pwned?").contains("CVE-1?[2J").contains("title?[31m red").contains("w?[1A");
    }

    @Test
    void nothingFoundAndNoDatabase() {
        List<String> none = Schemas.render(Findings.of(Fixtures.rootfs()), ReportFormat.TABLE, options()).lines().toList();
        assertThat(none).contains("Total: 0 (CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0)", "No vulnerabilities found.")
                .noneMatch(l -> l.startsWith("DB:"));
    }

    @Test
    void databaseAgeIsMeasuredFromTheScanNotTheClock() {
        var db = ScanFixtures.db();
        assertThat(FindingsTableWriter.db(db, ScanFixtures.DB_BUILT.plus(Duration.ofHours(5))))
                .startsWith("built 2024-05-01T06:00:00Z (5 hours before the scan)");
        assertThat(FindingsTableWriter.db(db, ScanFixtures.DB_BUILT.minus(Duration.ofDays(3))))
                .startsWith("built 2024-05-01T06:00:00Z (3 days after the scan)");
        assertThat(FindingsTableWriter.db(db, null)).isEqualTo("built 2024-05-01T06:00:00Z; sources: debian, osv-go, osv-npm, kev");
        assertThat(FindingsTableWriter.human(Duration.ofSeconds(61))).isEqualTo("1 minute");
    }
}
