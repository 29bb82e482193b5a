package dev.bulwark.scan.os.rpm;

import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import dev.bulwark.scan.os.Fixtures;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against rpm itself (Debian's rpm 4.18): packages built from the fixture specs with rpmbuild and registered in a new
 * sqlite database, and the committed Berkeley DB fixtures read by rpm's read-only bdb backend — Bulwark must list the
 * same packages, versions, sources and files as `rpm -qa`.
 */
class RpmDatabaseIT {
    private static final String QF = "%{NAME}\\t%{EPOCH}:%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n";

    @TempDir
    Path tmp;

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
        return out;
    }

    /** rpm -qa as "name version arch source", gpg-pubkey left out. */
    private static Set<String> rpmQueryAll(Path dbpath, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("rpm", "--dbpath", dbpath.toString()));
        cmd.addAll(List.of(extra));
        cmd.addAll(List.of("-qa", "--qf", QF));
        Set<String> out = new TreeSet<>();
        for (String line : run(cmd.toArray(String[]::new)).split("\n")) {
            String[] f = line.split("\t");
            if (f.length < 4 || f[0].equals("gpg-pubkey")) continue; // and rpm's own warnings
            out.add(f[0] + " " + f[1].replace("(none):", "") + " " + f[2] + " " + f[3].replaceAll("-[^-]+-[^-]+\\.src\\.rpm$", ""));
        }
        return out;
    }

    private static Set<String> bulwark(FileResult r) {
        assertThat(r.warnings()).isEmpty();
        Set<String> out = new TreeSet<>();
        for (Package p : r.packages()) out.add(p.name() + " " + p.version() + " " + p.properties().get("arch") + " " + p.sourceName());
        return out;
    }

    @Test
    void freshSqliteDatabase() throws Exception {
        TestComponents.requireTool("rpm");
        TestComponents.requireTool("rpmbuild");
        Path top = tmp.resolve("build");
        for (String spec : List.of("bulwark-alpha", "bulwark-beta", "bulwark-many", "bulwark-empty")) {
            Path file = tmp.resolve(spec + ".spec");
            Files.write(file, Fixtures.bytes("rpm/specs/" + spec + ".spec"));
            run("rpmbuild", "-bb", "--quiet", "--define", "_topdir " + top, file.toString());
        }
        List<String> install = new ArrayList<>(List.of("rpm", "--dbpath", tmp.resolve("db").toString(), "-i", "--justdb", "--nodeps", "--noscripts"));
        try (Stream<Path> s = Files.walk(top.resolve("RPMS"))) {
            s.filter(p -> p.toString().endsWith(".rpm")).forEach(p -> install.add(p.toString()));
        }
        run("rpm", "--dbpath", tmp.resolve("db").toString(), "--initdb");
        run(install.toArray(String[]::new));

        Set<String> expected = rpmQueryAll(tmp.resolve("db"));
        assertThat(expected).hasSize(5);
        FileResult r = new RpmAnalyzer().analyze(TestFiles.real("/var/lib/rpm/rpmdb.sqlite", tmp.resolve("db/rpmdb.sqlite")));
        assertThat(bulwark(r)).isEqualTo(expected);

        Set<String> files = new TreeSet<>(List.of(run("rpm", "--dbpath", tmp.resolve("db").toString(), "-qa", "--qf", "[%{FILENAMES}\\n]").split("\n")));
        files.remove("");
        Set<String> owned = new TreeSet<>();
        r.ownedFiles().values().forEach(owned::addAll);
        assertThat(owned).isEqualTo(files);
    }

    @Test
    void berkeleyDbFixturesAsRpmReadsThem() throws Exception {
        TestComponents.requireTool("rpm");
        for (String fixture : List.of("Packages", "Packages-be512")) {
            Path dir = Files.createDirectories(tmp.resolve(fixture));
            Files.write(dir.resolve("Packages"), Fixtures.bytes("rpm/" + fixture));
            Set<String> expected = rpmQueryAll(dir, "--define", "_db_backend bdb_ro");
            assertThat(expected).as(fixture).hasSize(5);
            assertThat(bulwark(new RpmAnalyzer().analyze(TestFiles.real("/var/lib/rpm/Packages", dir.resolve("Packages"))))).as(fixture).isEqualTo(expected);
        }
    }
}
