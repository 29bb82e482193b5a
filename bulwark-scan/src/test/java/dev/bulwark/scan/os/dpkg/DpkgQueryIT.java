package dev.bulwark.scan.os.dpkg;

import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** This machine's own dpkg database (Debian), read by Bulwark and by dpkg-query itself. */
class DpkgQueryIT {
    private static final Path ADMIN = Path.of("/var/lib/dpkg");

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd)).isZero();
        return out;
    }

    @Test
    void statusEqualsDpkgQuery() throws Exception {
        Path dpkgQuery = TestComponents.requireTool("dpkg-query"); // fails, not skips, where dpkg is missing
        // dpkg-query -W also lists packages that are removed but keep their configuration: compare installed ones.
        String out = run(dpkgQuery.toString(), "--admindir=" + ADMIN, "-W",
                "-f=${db:Status-Status}\t${Package}\t${Version}\t${source:Package}\t${source:Version}\n");
        Set<String> expected = new TreeSet<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("installed\t")) expected.add(line.substring("installed\t".length()));
        }
        FileResult r = new DpkgAnalyzer().analyze(TestFiles.real("/var/lib/dpkg/status", ADMIN.resolve("status")));
        Set<String> actual = new TreeSet<>();
        for (Package p : r.packages()) actual.add(p.name() + "\t" + p.version() + "\t" + p.sourceName() + "\t" + p.sourceVersion());
        assertThat(expected).hasSizeGreaterThan(50);
        assertThat(actual).isEqualTo(expected);
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void everyFileListOfThisMachine() throws Exception {
        DpkgAnalyzer dpkg = new DpkgAnalyzer();
        List<Path> lists;
        try (Stream<Path> s = Files.list(ADMIN.resolve("info"))) {
            lists = s.filter(p -> p.toString().endsWith(".list")).toList();
        }
        assertThat(lists).hasSizeGreaterThan(50);
        int files = 0;
        for (Path list : lists) {
            String image = "/var/lib/dpkg/info/" + list.getFileName();
            assertThat(dpkg.required(image, Files.size(list), 0644)).isTrue();
            FileResult r = dpkg.analyze(TestFiles.real(image, list));
            assertThat(r.warnings()).isEmpty();
            for (List<String> owned : r.ownedFiles().values()) {
                files += owned.size();
                assertThat(owned).allSatisfy(f -> assertThat(f).startsWith("/"));
            }
        }
        assertThat(files).isGreaterThan(1000);
        // the shell is owned by bash
        FileResult bash = dpkg.analyze(TestFiles.real("/var/lib/dpkg/info/bash.list", ADMIN.resolve("info/bash.list")));
        assertThat(bash.ownedFiles().get("bash")).contains("/bin/bash");
    }

    @Test
    void everyCopyrightFileOfThisMachine() throws Exception {
        DpkgAnalyzer dpkg = new DpkgAnalyzer();
        int files = 0, withLicence = 0;
        try (Stream<Path> s = Files.list(Path.of("/usr/share/doc"))) {
            for (Path dir : s.toList()) {
                Path c = dir.resolve("copyright");
                if (Files.isSymbolicLink(dir) || !Files.isRegularFile(c)) continue;
                String image = "/usr/share/doc/" + dir.getFileName() + "/copyright";
                assertThat(dpkg.required(image, Files.size(c), 0644)).isTrue();
                FileResult r = dpkg.analyze(TestFiles.real(image, c));
                files++;
                if (!r.licenses().isEmpty()) withLicence++;
                assertThat(r.warnings()).isEmpty();
            }
        }
        assertThat(files).isGreaterThan(50);
        assertThat(withLicence).as("copyright files with a licence found, of %d", files).isGreaterThanOrEqualTo(files * 95 / 100);
    }
}
