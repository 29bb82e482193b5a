package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Finding;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.ScanReport;
import dev.bulwark.report.Reports;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Debian case: a minbase bookworm root filesystem built from the bookworm suite only (so its packages are
 * older than bookworm-security), matched against Debian advisories built from the real changelogs of the
 * bookworm-security packages (scripts/debian-advisories.sh). The expected answer is computed independently: for
 * every (source, CVE, fixed version) row, the real {@code dpkg --compare-versions} says whether the installed source
 * version is older than the fix. Bulwark must report exactly those, on every binary package of the source, with
 * the fixed version, and nothing for the rows dpkg says are fixed.
 */
class DebianChangelogIT {
    @TempDir
    Path tmp;

    @Test
    void findingsAreExactlyWhatDpkgSaysIsOlderThanTheFix() throws Exception {
        Path rootfs = TestComponents.require(TestComponents.path("BASE_ROOTFS_DIR"), "outdated bookworm rootfs");
        Path json = TestComponents.require(TestComponents.path("DEBIAN_ADVISORIES_JSON"), "Debian changelog advisories");
        Path tsv = TestComponents.require(TestComponents.path("DEBIAN_ADVISORIES_TSV"), "Debian changelog advisories");
        Path dpkg = TestComponents.requireTool("dpkg");

        // expected, from dpkg itself: source -> CVE -> fixed version, where installed < fixed
        Map<String, String> expected = new TreeMap<>();
        Set<String> alreadyFixed = new TreeSet<>();
        List<String> rows = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split("\t");
            String source = f[0], cve = f[1], fixed = f[2], installed = f[5];
            if (installed.isEmpty() || installed.equals("-")) continue;
            int rc = new ProcessBuilder(dpkg.toString(), "--compare-versions", installed, "lt", fixed)
                    .redirectErrorStream(true).start().waitFor();
            if (rc == 0) expected.put(source + " " + cve, fixed);
            else alreadyFixed.add(source + " " + cve);
        }
        assertThat(expected).as("the outdated rootfs must have vulnerable packages, or this test proves nothing").isNotEmpty();

        String db = tmp.resolve("db").toString();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[]{"db", "import", "-q", "--db", db, json.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        Path out = tmp.resolve("scan.json");
        code = Main.run(new String[]{"scan", "-q", "--no-cache", "--db", db, "-f", "json", "-o", out.toString(), "rootfs:" + rootfs},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        ScanReport report;
        try (InputStream in = Files.newInputStream(out)) {
            report = Reports.readScanReportJson(in);
        }

        Map<String, String> actual = new TreeMap<>();
        for (Finding f : report.findings()) {
            if (f.pkg().type() != PackageType.DEB) continue;
            actual.put(f.pkg().sourceName() + " " + f.id(), String.join(",", f.fixedVersions()));
        }
        assertThat(actual).isEqualTo(expected);
        for (String fixed : alreadyFixed) assertThat(actual).doesNotContainKey(fixed);

        // every binary package built from a vulnerable source carries the finding
        List<String> missing = new ArrayList<>();
        for (Package p : report.inventory().packages()) {
            if (p.type() != PackageType.DEB) continue;
            for (String key : expected.keySet()) {
                if (!key.startsWith(p.sourceName() + " ")) continue;
                String cve = key.substring(key.indexOf(' ') + 1);
                boolean has = report.findings().stream().anyMatch(f -> f.pkg().key().equals(p.key()) && f.id().equals(cve));
                if (!has) missing.add(p.name() + " " + cve);
            }
        }
        assertThat(missing).isEmpty();
    }
}
