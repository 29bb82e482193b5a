package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.image.Fixtures;
import dev.bulwark.image.Fixtures.E;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line end to end, in-process: exit codes, one-line errors, output written whole or not at all. */
class CliTest {
    @TempDir
    Path tmp;

    record Run(int code, String err) {
    }

    private Run run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        return new Run(code, err.toString());
    }

    private Path image() throws Exception {
        Path dir = tmp.resolve("img");
        Fixtures.ociLayout(dir, "1", List.of(Fixtures.gzLayer(List.of(
                E.file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
                E.file("var/lib/dpkg/status", """
                        Package: libc6
                        Status: install ok installed
                        Architecture: amd64
                        Source: glibc
                        Version: 2.36-9+deb12u10

                        Package: zlib1g
                        Status: install ok installed
                        Architecture: amd64
                        Source: zlib (1:1.2.13.dfsg-1)
                        Version: 1:1.2.13.dfsg-1

                        """)))));
        return dir;
    }

    @Test
    void sbomWritesJsonWithThePackages() throws Exception {
        Path out = tmp.resolve("sbom.json");
        Run r = run("sbom", "-q", "--no-cache", "-f", "json", "-o", out.toString(), "oci:" + image());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertThat(json.toString()).contains("libc6").contains("glibc").contains("2.36-9+deb12u10");
    }

    @Test
    void cycloneDxAndSpdxAreWritten() throws Exception {
        for (String f : List.of("cyclonedx", "spdx")) {
            Path out = tmp.resolve(f + ".json");
            Run r = run("sbom", "-q", "--no-cache", "-f", f, "-o", out.toString(), "oci:" + image());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(Files.readString(out)).contains("zlib1g");
        }
    }

    @Test
    void badInputIsOneLineExitThreeAndNoOutputFile() throws Exception {
        Path img = image();
        Files.writeString(img.resolve("index.json"), "{not json");
        Path out = tmp.resolve("never.json");
        Run r = run("sbom", "-q", "--no-cache", "-f", "json", "-o", out.toString(), "oci:" + img);
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err().strip()).startsWith("bulwark: ").contains("index.json").doesNotContain("\n").doesNotContain("Exception");
        assertThat(out).doesNotExist();
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void aDeviceAsOutputIsWrittenToNotReplaced() throws Exception {
        Path devNull = Path.of("/dev/null");
        assertThat(Files.isRegularFile(devNull)).isFalse();
        Run r = run("sbom", "-q", "--no-cache", "-f", "json", "-o", devNull.toString(), "oci:" + image());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.isRegularFile(devNull)).as("/dev/null must stay a device").isFalse();
        assertThat(Files.exists(devNull)).isTrue();
    }

    @Test
    void pkgTypesRunsOnlyTheChosenAnalysers() throws Exception {
        Path os = tmp.resolve("os.json");
        Path lib = tmp.resolve("lib.json");
        assertThat(run("sbom", "-q", "--no-cache", "--pkg-types", "os", "-f", "json", "-o", os.toString(), "oci:" + image()).code()).isZero();
        assertThat(run("sbom", "-q", "--no-cache", "--pkg-types", "library", "-f", "json", "-o", lib.toString(), "oci:" + image()).code()).isZero();
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(os.toFile()).path("packages").size()).isEqualTo(2);
        JsonNode libJson = json.readTree(lib.toFile());
        assertThat(libJson.path("packages").size()).as("no dpkg analyser").isZero();
        assertThat(libJson.toString()).as("os-release still runs").contains("bookworm");
        Run bad = run("sbom", "-q", "--no-cache", "--pkg-types", "os,cobol", "oci:" + image());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip()).contains("cobol").contains("library").doesNotContain("\n");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("sbom").code()).isEqualTo(2);
        assertThat(run("sbom", "-f", "yaml", "x").code()).isEqualTo(2);
        assertThat(run("frobnicate").code()).isEqualTo(2);
    }

    @Test
    void missingTargetExitsThree() {
        Run r = run("sbom", "-q", "docker-archive:" + tmp.resolve("nope.tar"));
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("no such file or directory");
    }
}
