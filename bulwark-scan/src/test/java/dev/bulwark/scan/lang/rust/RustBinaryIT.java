package dev.bulwark.scan.lang.rust;

import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cargo-auditable's format on a real ELF: a .dep-v0 section (zlib-compressed JSON, as cargo-auditable writes it)
 * added to this machine's /bin/true with binutils' objcopy.
 */
class RustBinaryIT {
    @TempDir
    Path tmp;

    @Test
    void readsTheAuditableDependencyList() throws Exception {
        Path objcopy = TestComponents.requireTool("objcopy");
        String json = """
                {"packages":[{"name":"app","version":"0.1.0","source":"local","root":true,"dependencies":[1,2,3,4,5]},
                {"name":"smallvec","version":"1.6.0","source":"crates.io"},
                {"name":"cc","version":"1.0.79","source":"crates.io","kind":"build"},
                {"name":"time","version":"0.1.44","source":"crates.io"},
                {"name":"app-core","version":"0.1.0","source":"local"},
                {"name":"forked","version":"0.3.0","source":"git"}]}""";
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(z)) {
            d.write(json.getBytes(StandardCharsets.UTF_8));
        }
        Path section = tmp.resolve("dep.z");
        Files.write(section, z.toByteArray());
        Path bin = tmp.resolve("app");
        Process p = new ProcessBuilder(objcopy.toString(), "--add-section", ".dep-v0=" + section, "/bin/true", bin.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        bin.toFile().setExecutable(true);

        FileResult r = new RustBinaryAnalyzer().analyze(TestFiles.real("/usr/local/bin/app", bin));
        assertThat(r.packages()).extracting(x -> x.name() + "@" + x.version()).containsExactly("app@0.1.0", "smallvec@1.6.0", "time@0.1.44", "forked@0.3.0");
        assertThat(r.packages().get(1).purl()).isEqualTo("pkg:cargo/smallvec@1.6.0");
        assertThat(r.packages().get(0).properties()).containsEntry("role", "main");
        assertThat(r.packages().get(3).properties()).containsEntry("source", "git");
        assertThat(r.warnings()).isEmpty();
        assertThat(new RustBinaryAnalyzer().analyze(TestFiles.real("/bin/true", Path.of("/bin/true")))).as("no section").isNull();
    }
}
