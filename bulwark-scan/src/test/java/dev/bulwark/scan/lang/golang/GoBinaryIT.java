package dev.bulwark.scan.lang.golang;

import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real Go programs read by Bulwark and by {@code go version -m} (Debian's golang-go): the same modules, replacements
 * applied, the same Go version. Debian's own Go programs; programs built here with modules, a replacement and a
 * version stamped by -ldflags, for 64- and 32-bit, little- and big-endian targets; and an older Debian program whose
 * build info is in the pre-1.18 pointer layout.
 */
class GoBinaryIT {
    @TempDir
    Path tmp;

    private static String run(Path dir, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
        return out;
    }

    /** What {@code go version -m} says: the Go version, then "path@version" of the main module and each dep as replaced. */
    private record Truth(String goVersion, Set<String> modules) {
    }

    private static Truth goVersionM(Path bin) throws Exception {
        String out = run(null, Map.of(), TestComponents.requireTool("go").toString(), "version", "-m", bin.toString());
        String goVersion = out.lines().findFirst().orElseThrow().replaceFirst("^.*?: ", "").strip();
        Set<String> modules = new TreeSet<>();
        List<String> lines = out.lines().map(String::strip).toList();
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t");
            if (!(f[0].equals("mod") || f[0].equals("dep")) || f.length < 3) continue;
            String[] r = i + 1 < lines.size() ? lines.get(i + 1).split("\t") : new String[0];
            // a replacement by a module counts under its own path; by a directory, under the declared one
            modules.add(r.length >= 3 && r[0].equals("=>") && !r[2].isEmpty() ? r[1] + "@" + r[2] : f[1] + "@" + f[2]);
        }
        return new Truth(goVersion, modules);
    }

    private static FileResult analyze(Path bin) throws Exception {
        return new GoBinaryAnalyzer().analyze(TestFiles.real("/usr/bin/" + bin.getFileName(), bin));
    }

    private static void assertSameAsGo(Path bin) throws Exception {
        Truth truth = goVersionM(bin);
        FileResult r = analyze(bin);
        assertThat(r).as(bin.toString()).isNotNull();
        assertThat(r.warnings()).as(bin.toString()).isEmpty();
        Set<String> actual = new TreeSet<>();
        for (Package p : r.packages()) {
            assertThat(p.properties()).as(bin + " " + p.name()).containsEntry("goVersion", truth.goVersion());
            if (!p.name().equals("stdlib") && !"ldflags".equals(p.properties().get("versionSource"))) actual.add(p.name() + "@" + p.version());
        }
        assertThat(actual).as(bin.toString()).isEqualTo(truth.modules().stream().filter(m -> !m.endsWith("@(devel)") || actual.contains(m))
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
        Package std = r.packages().stream().filter(p -> p.name().equals("stdlib")).findFirst().orElseThrow();
        assertThat(std.version()).isEqualTo("v" + truth.goVersion().substring(2).split(" ")[0]);
        assertThat(std.purl()).isEqualTo("pkg:golang/stdlib@" + std.version());
    }

    @Test
    void debiansGoProgramsAsGoVersionMReadsThem() throws Exception {
        for (String bin : List.of("/usr/bin/docker-registry", "/usr/bin/skopeo", "/usr/sbin/dockerd", "/usr/bin/runc", "/usr/bin/go")) {
            assertSameAsGo(TestComponents.require(Path.of(bin), bin));
        }
        Package std = analyze(Path.of("/usr/sbin/dockerd")).packages().stream().filter(p -> p.name().equals("stdlib")).findFirst().orElseThrow();
        assertThat(std.version()).startsWith("v1.");
    }

    /** A program with modules, built offline from a vendor directory, for several targets (pure Go cross-compiles). */
    @Test
    void programsBuiltHereForSeveralTargets() throws Exception {
        Path go = TestComponents.requireTool("go");
        Path src = tmp.resolve("app");
        Files.createDirectories(src.resolve("vendor/example.com/lib"));
        Files.createDirectories(src.resolve("vendor/example.org/other"));
        Files.writeString(src.resolve("go.mod"), """
                module example.com/app

                go 1.19

                require (
                \texample.com/lib v1.2.3
                \texample.org/other v0.4.0
                )

                replace example.org/other v0.4.0 => example.org/other-fork v0.4.1
                """);
        Files.writeString(src.resolve("main.go"), """
                package main

                import (
                \t"fmt"
                \t"example.com/lib"
                \t"example.org/other"
                )

                var version = "dev"

                func main() { fmt.Println(lib.Hello(), other.Name, version) }
                """);
        Files.writeString(src.resolve("vendor/example.com/lib/lib.go"), "package lib\n\nfunc Hello() string { return \"hi\" }\n");
        Files.writeString(src.resolve("vendor/example.org/other/other.go"), "package other\n\nconst Name = \"o\"\n");
        Files.writeString(src.resolve("vendor/modules.txt"), """
                # example.com/lib v1.2.3
                ## explicit
                example.com/lib
                # example.org/other v0.4.0 => example.org/other-fork v0.4.1
                ## explicit
                example.org/other
                # example.org/other v0.4.0 => example.org/other-fork v0.4.1
                """);
        List<String[]> targets = List.of(new String[]{"amd64", ""}, new String[]{"386", ""}, new String[]{"arm64", ""},
                new String[]{"ppc64", "big-endian"}, new String[]{"mips", "32-bit big-endian"});
        List<String> built = new ArrayList<>();
        for (String[] t : targets) {
            Path bin = tmp.resolve("app-" + t[0]);
            run(src, Map.of("GOOS", "linux", "GOARCH", t[0], "CGO_ENABLED", "0", "GOFLAGS", "-mod=vendor", "GOPROXY", "off",
                            "GOTOOLCHAIN", "local", "GOCACHE", tmp.resolve("cache").toString(), "GOPATH", tmp.resolve("gopath").toString()),
                    go.toString(), "build", "-ldflags", "-X main.version=1.4.2", "-o", bin.toString(), ".");
            assertSameAsGo(bin);
            FileResult r = analyze(bin);
            Package main = r.packages().get(0);
            assertThat(main.name()).isEqualTo("example.com/app");
            assertThat(main.version()).as("(devel), stamped by -ldflags").isEqualTo("v1.4.2");
            assertThat(main.properties()).containsEntry("role", "main").containsEntry("versionSource", "ldflags");
            assertThat(main.purl()).isEqualTo("pkg:golang/example.com/app@v1.4.2");
            Package fork = r.packages().stream().filter(p -> p.name().equals("example.org/other-fork")).findFirst().orElseThrow();
            assertThat(fork.version()).isEqualTo("v0.4.1");
            assertThat(fork.properties()).containsEntry("replaces", "example.org/other@v0.4.0");
            built.add(t[0]);
        }
        assertThat(built).hasSize(targets.size());
    }

    /**
     * Go before 1.18 wrote two pointers to Go strings: Debian 11's docker-registry (Go 1.15), fetched with apt-get
     * from bullseye, its digest pinned to the one bullseye's package index gives.
     */
    @Test
    void theOlderPointerLayout() throws Exception {
        Path bin = bullseyeDockerRegistry();
        Truth truth = goVersionM(bin);
        assertThat(truth.goVersion()).startsWith("go1.15");
        FileResult r = analyze(bin);
        assertThat(r.warnings()).isEmpty();
        assertThat(r.packages()).extracting(p -> p.name() + "@" + p.version()).contains("stdlib@v" + truth.goVersion().substring(2));
        Set<String> modules = new TreeSet<>();
        r.packages().stream().filter(p -> !p.name().equals("stdlib")).forEach(p -> modules.add(p.name() + "@" + p.version()));
        assertThat(modules).isEqualTo(truth.modules());
    }

    private static final String DEB = "docker-registry_2.7.1+ds2-7+deb11u1_amd64.deb";
    private static final String DEB_SHA256 = "3d39a6066cc4ba1845e892921326b14365707c3e4d35c1c8ffa50059777cb812";

    private static Path bullseyeDockerRegistry() throws Exception {
        Path dir = TestComponents.root().resolve("bulwark-scan/target/go-it");
        Path bin = dir.resolve("x/usr/bin/docker-registry");
        if (Files.isRegularFile(bin)) return bin;
        Path apt = dir.resolve("apt");
        Files.createDirectories(apt.resolve("lists/partial"));
        Files.createDirectories(apt.resolve("cache/archives/partial"));
        // apt's own signature check cannot run in this sandbox: the package's SHA-256 is checked below instead
        Files.writeString(apt.resolve("sources.list"), "deb [trusted=yes] http://deb.debian.org/debian bullseye main\n");
        List<String> opts = List.of("-o", "Dir::Etc::sourcelist=" + apt.resolve("sources.list"), "-o", "Dir::Etc::sourceparts=-",
                "-o", "Dir::State::Lists=" + apt.resolve("lists"), "-o", "Dir::Cache=" + apt.resolve("cache"), "-o", "APT::Sandbox::User=root");
        List<String> update = new ArrayList<>(List.of(TestComponents.requireTool("apt-get").toString(), "-q"));
        update.addAll(opts);
        update.add("update");
        run(null, Map.of(), update.toArray(String[]::new));
        List<String> download = new ArrayList<>(List.of(TestComponents.requireTool("apt-get").toString(), "-q"));
        download.addAll(opts);
        download.addAll(List.of("download", "docker-registry=2.7.1+ds2-7+deb11u1"));
        run(dir, Map.of(), download.toArray(String[]::new));
        byte[] deb = Files.readAllBytes(dir.resolve(DEB));
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(deb))).as(DEB).isEqualTo(DEB_SHA256);
        run(null, Map.of(), TestComponents.requireTool("dpkg-deb").toString(), "-x", dir.resolve(DEB).toString(), dir.resolve("x").toString());
        return bin;
    }
}
