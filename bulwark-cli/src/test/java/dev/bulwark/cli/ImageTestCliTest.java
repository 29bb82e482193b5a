package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.image.Fixtures;
import dev.bulwark.image.Fixtures.E;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bulwark test` in-process on a hand-made image: no runc, no daemon (ImageTestCliIT runs the real images). */
class ImageTestCliTest {
    @TempDir
    Path dir;
    String image;

    record Run(int code, String err) {}

    @BeforeEach
    void image() throws Exception {
        Path archive = dir.resolve("img.tar");
        Fixtures.dockerArchive(archive, "t/app:1", List.of(
                Fixtures.gzLayer(List.of(E.dir("etc/"), E.file("etc/passwd", "root:x:0:0::/root:/bin/sh\n"), E.file("etc/issue", "Debian\n"),
                        E.dir("app/"), E.exe("app/run.sh", "#!/bin/sh\necho hi\n"))),
                Fixtures.gzLayer(List.of(E.file("etc/.wh.issue", ""), E.symlink("app/current", "run.sh")))));
        image = "docker-archive:" + archive;
    }

    Run run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        return new Run(code, err.toString());
    }

    Path spec(String yaml) throws Exception {
        return Files.writeString(dir.resolve("spec-" + System.nanoTime() + ".yaml"), yaml);
    }

    /** Only the runtimes the spec's tests ask for must be there, and a missing one is one line before the image is read. */
    @Test
    void aTestsIsolationLevelNeedsItsRuntime() throws Exception {
        Path exe = Files.writeString(dir.resolve("fake-runc"), "#!/bin/sh\nexit 0\n");
        exe.toFile().setExecutable(true);
        Path sandbox = spec("schemaVersion: 1\ncommandTests:\n  - run: [/app/run.sh]\n    isolation: sandbox\n");
        Run r = run("test", "-q", "--runc", exe.toString(), "--runsc", dir.resolve("no-runsc").toString(), "--rootfs-dir", dir.resolve("store").toString(),
                image, "--spec", sandbox.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err().strip()).isEqualTo("bulwark: " + dir.resolve("no-runsc") + ": no gVisor runsc here (install the runsc package, or give --runsc PATH)");
        Path vm = spec("schemaVersion: 1\ncommandTests:\n  - run: [/app/run.sh]\n    isolation: vm\n");
        Run v = run("test", "-q", "--runc", exe.toString(), "--qemu", exe.toString(), "--vm-kernel", dir.resolve("no-kernel").toString(),
                "--rootfs-dir", dir.resolve("store").toString(), image, "--spec", vm.toString());
        assertThat(v.code()).isEqualTo(3);
        assertThat(v.err()).contains("no-kernel").doesNotContain("\tat ");
        assertThat(dir.resolve("store")).doesNotExist();
    }

    @Test
    void passingAndFailingSpecsSetTheExitCode() throws Exception {
        Path ok = spec("""
                schemaVersion: 1
                fileTests:
                  - path: /app/run.sh
                    mode: "0755"
                    contains: "echo hi"
                  - path: /app/current
                    linkTarget: run.sh
                  - path: /etc/issue
                    exists: false
                """);
        Path json = dir.resolve("r.json");
        Run r = run("test", "-q", "-f", "json", "-o", json.toString(), image, "--spec", ok.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode n = new ObjectMapper().readTree(json.toFile());
        assertThat(n.path("passed").asBoolean()).isTrue();
        assertThat(n.path("summary").path("pass").asInt()).isEqualTo(3);

        Path bad = spec("""
                schemaVersion: 1
                fileTests:
                  - path: /app/run.sh
                    mode: "0700"
                metadata:
                  user: "1000"
                """);
        Path xml = dir.resolve("r.xml");
        Run f = run("test", "-q", "-f", "junit", "-o", xml.toString(), image, "--spec", bad.toString());
        assertThat(f.code()).isEqualTo(1);
        assertThat(Files.readString(xml)).contains("failures=\"2\"").contains("mode: expected 0700, found 0755")
                .contains("user: expected '1000', found 'app'");
    }

    @Test
    void badInputIsOneLineAndWritesNothing() throws Exception {
        Path out = dir.resolve("never.json");
        Path spec = spec("schemaVersion: 1\nfileTests:\n  - path: /app/run.sh\n    mode: 0755\n");
        Run r = run("test", "-o", out.toString(), image, "--spec", spec.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err().strip()).isEqualTo("bulwark: " + spec + ":4: fileTests[0].mode: octal permission bits like \"0755\" or \"4755\" (found '0755')");
        assertThat(out).doesNotExist();

        Path ok = spec("schemaVersion: 1\nfileTests: [{path: /app/run.sh}]\n");
        Run truncated = run("test", "-o", out.toString(), "docker-archive:" + Files.write(dir.resolve("cut.tar"), new byte[] {1, 2, 3}), "--spec", ok.toString());
        assertThat(truncated.code()).isEqualTo(3);
        assertThat(truncated.err().lines().count()).isEqualTo(1);
        assertThat(truncated.err()).startsWith("bulwark: ").contains("cut.tar");
        assertThat(out).doesNotExist();

        assertThat(run("test", image).code()).as("no --spec").isEqualTo(2);
        assertThat(run("test", "--spec", ok.toString()).code()).as("no image").isEqualTo(2);
        Run fmt = run("test", "-f", "sarif", image, "--spec", ok.toString());
        assertThat(fmt.code()).isEqualTo(2);
        assertThat(fmt.err()).contains("--format sarif: one of table, json, junit");
    }
}
