package dev.bulwark.report;

import dev.bulwark.model.Inventory;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.bulwark.report.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

class TableWriterTest {
    private final String table = Schemas.render(Fixtures.debianApp(), ReportFormat.TABLE, options());
    private final List<String> lines = table.lines().toList();

    @Test
    void everyLineFitsEightyColumns() {
        assertThat(lines).allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).as(l).isLessThanOrEqualTo(80));
        assertThat(lines).noneMatch(l -> l.endsWith(" "));
        assertThat(table).doesNotContain("\u001b"); // no colour unless asked
    }

    @Test
    void headerSaysWhatWasScanned() {
        assertThat(lines.subList(0, 5)).containsExactly(
                "Target:   registry:localhost:5000/team/app:1.0",
                "Image:    " + Fixtures.IMAGE_ID.shortHex() + "  linux/amd64",
                "OS:       Debian GNU/Linux 12 (bookworm)",
                "Layers:   2",
                "Packages: 9 (deb 5, maven 1, npm 2, pypi 1)");
    }

    @Test
    void osPackagesComeFirstWithTheirSources() {
        int deb = lines.indexOf("deb packages (5)");
        assertThat(deb).isPositive();
        assertThat(lines.get(deb + 1)).matches("NAME +VERSION +SOURCE +LICENSE");
        assertThat(lines.subList(deb + 2, deb + 7)).satisfiesExactly(
                l -> assertThat(l).matches("bash +5\\.2\\.15-2\\+b2 +\\(5\\.2\\.15-2\\) +GPL-3\\.0-or-later"),
                l -> assertThat(l).matches("libc6 +2\\.36-9\\+deb12u4 +glibc +LGPL-2\\.1-or-later, GPL-2\\.0-or-later"),
                l -> assertThat(l).matches("libgcc-s1 +12\\.2\\.0-14 +gcc-12 +GPL-2\\+ with exception"),
                l -> assertThat(l).matches("libssl3 +3\\.0\\.11-1~deb12u2 +openssl +Apache-2\\.0"),
                l -> assertThat(l).matches("tzdata +2024a-0\\+deb12u1"));
        assertThat(lines.indexOf("maven packages (1)")).isGreaterThan(deb);
        assertThat(lines.indexOf("npm packages (2)")).isGreaterThan(lines.indexOf("maven packages (1)"));
        // no package of the group has a differing source: no SOURCE column
        assertThat(lines.get(lines.indexOf("npm packages (2)") + 1)).matches("NAME +VERSION +LICENSE");
    }

    @Test
    void longCellsAreCutWithAnEllipsisAndColumnsStayAligned() {
        int npm = lines.indexOf("npm packages (2)");
        String header = lines.get(npm + 1);
        String longRow = lines.get(npm + 2);
        assertThat(longRow).startsWith("@a-rather-long-scope").contains("\u2026");
        int version = header.indexOf("VERSION");
        int licence = header.indexOf("LICENSE");
        assertThat(longRow.charAt(version - 1)).isEqualTo(' ');
        assertThat(longRow.substring(version)).startsWith("1.0.0-alpha");
        assertThat(lines.get(npm + 3).substring(licence)).isEqualTo("MIT");
        assertThat(lines.get(npm + 3)).startsWith("@babel/core ");
    }

    @Test
    void warningsAreWrappedNotCut() {
        int w = lines.indexOf("Warnings (2)");
        assertThat(w).isPositive();
        List<String> rest = lines.subList(w + 1, lines.size());
        assertThat(rest.get(0)).startsWith("  - /usr/lib/python3/dist-packages/broken-1.0.dist-info/METADATA:");
        assertThat(rest.get(1)).startsWith("    ");
        String joined = String.join(" ", rest.stream().map(String::strip).toList());
        assertThat(joined).contains("unexpected end of headers at line 12, so the package was skipped")
                .contains("- layer " + Fixtures.APP_LAYER.shortHex() + ": symlink loop at /app/current");
    }

    @Test
    void narrowAndUnlimitedWidths() {
        for (int width : new int[]{20, 40, 132}) {
            List<String> narrow = Schemas.render(Fixtures.debianApp(), ReportFormat.TABLE, options().withWidth(width)).lines().toList();
            assertThat(narrow).allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).as(l).isLessThanOrEqualTo(width));
        }
        String wide = Schemas.render(Fixtures.debianApp(), ReportFormat.TABLE, options().withWidth(0));
        assertThat(wide).doesNotContain("\u2026").contains("@a-rather-long-scope-name/an-extremely-long-package-name-for-truncation");
    }

    @Test
    void colourDoesNotCountTowardsTheWidth() {
        String coloured = Schemas.render(Fixtures.debianApp(), ReportFormat.TABLE, options().withColor(true));
        assertThat(coloured).contains("\u001b[1m");
        assertThat(coloured.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(table);
    }

    @Test
    void hostileNamesCannotDriveTheTerminal() {
        Inventory inv = new Inventory(null, null, List.of(new Package(PackageType.NPM, "evil\u001b]0;pwned\u0007\u202e", "1\n2",
                null, null, List.of(), null, List.of(), Map.of())), List.of("bad\u001b[2Jthing"), null, "bulwark");
        String out = Schemas.render(inv, ReportFormat.TABLE, options());
        assertThat(out).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u202e")
                .contains("evil?]0;pwned??").contains("1 2").contains("bad?[2Jthing");
    }

    @Test
    void emptyAndRootfsInventories() {
        List<String> empty = Schemas.render(new Inventory(null, null, List.of(), List.of(), null, null), ReportFormat.TABLE, options())
                .lines().toList();
        assertThat(empty).contains("Target:   -", "OS:       unknown", "Packages: 0", "No packages found.");
        List<String> rootfs = Schemas.render(Fixtures.rootfs(), ReportFormat.TABLE, options()).lines().toList();
        assertThat(rootfs).contains("Image:    -", "apk packages (1)").anyMatch(l -> l.matches("musl +1\\.2\\.5-r0 +MIT"));
    }
}
