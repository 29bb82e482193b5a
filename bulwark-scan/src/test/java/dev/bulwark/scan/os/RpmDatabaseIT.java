package dev.bulwark.scan.os;

import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import dev.bulwark.scan.os.rpm.RpmAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real rpm sqlite database: packages built with rpmbuild and registered with Debian's rpm 4.18, then read by
 * Bulwark and by `rpm -qa`: the same packages, versions and sources.
 */
class RpmDatabaseIT {
    @TempDir
    Path tmp;

    private String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
        return out;
    }

    private Path build(String name, String epoch, String version, String release, String license, String file) throws Exception {
        Path top = tmp.resolve("build");
        Files.createDirectories(top.resolve("SPECS"));
        Path spec = top.resolve("SPECS/" + name + ".spec");
        Files.writeString(spec, """
                Name: %s
                %s
                Version: %s
                Release: %s
                Summary: Bulwark test package
                License: %s
                BuildArch: noarch
                %%description
                A package for Bulwark's rpm database test.
                %%install
                mkdir -p %%{buildroot}$(dirname %s)
                echo test > %%{buildroot}%s
                %%files
                %s
                """.formatted(name, epoch == null ? "" : "Epoch: " + epoch, version, release, license, file, file, file));
        run("rpmbuild", "-bb", "--quiet", "--define", "_topdir " + top, spec.toString());
        try (var s = Files.walk(top.resolve("RPMS"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(name + "-") && p.toString().endsWith(".rpm")).findFirst().orElseThrow();
        }
    }

    @Test
    void sameAsRpmQueryAll() throws Exception {
        TestComponents.requireTool("rpmbuild");
        TestComponents.requireTool("rpm");
        List<Path> rpms = new ArrayList<>();
        rpms.add(build("bulwark-alpha", null, "1.2.3", "4.el9", "MIT", "/usr/share/bulwark/alpha.txt"));
        rpms.add(build("bulwark-beta", "2", "0.9", "1.fc40", "GPLv2+", "/opt/beta/data"));
        Path db = tmp.resolve("db");
        Files.createDirectories(db);
        run("rpm", "--dbpath", db.toString(), "--initdb");
        List<String> install = new ArrayList<>(List.of("rpm", "--dbpath", db.toString(), "-i", "--justdb", "--nodeps", "--noscripts"));
        rpms.forEach(r -> install.add(r.toString()));
        run(install.toArray(String[]::new));
        Path sqlite = db.resolve("rpmdb.sqlite");
        assertThat(sqlite).exists();

        Set<String> expected = new TreeSet<>();
        for (String line : run("rpm", "--dbpath", db.toString(), "-qa", "--qf", "%{NAME}\\t%{EPOCH}:%{VERSION}-%{RELEASE}\\t%{SOURCERPM}\\n").split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            expected.add(f[0] + "\t" + f[1].replace("(none):", "") + "\t" + f[2].replaceAll("-[^-]+-[^-]+\\.src\\.rpm$", ""));
        }
        FileResult r = new RpmAnalyzer().analyze(TestFiles.real("/var/lib/rpm/rpmdb.sqlite", sqlite));
        Set<String> actual = new TreeSet<>();
        for (Package p : r.packages()) actual.add(p.name() + "\t" + p.version() + "\t" + p.sourceName());
        assertThat(actual).isEqualTo(expected).hasSize(2);
        Package beta = r.packages().stream().filter(p -> p.name().equals("bulwark-beta")).findFirst().orElseThrow();
        assertThat(beta.version()).isEqualTo("2:0.9-1.fc40");
        assertThat(beta.sourceVersion()).isEqualTo("2:0.9-1.fc40");
        assertThat(beta.licenses()).containsExactly("GPL-2.0-or-later");
        assertThat(r.ownedFiles().get("bulwark-beta")).contains("/opt/beta/data");
    }
}
