package dev.bulwark.scan.lang.rust;

import dev.bulwark.scan.analyzer.TestFiles;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class RustBinaryAnalyzerTest {
    private static byte[] zlib(byte[] data) throws Exception {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(z, new Deflater(Deflater.BEST_COMPRESSION))) {
            d.write(data);
        }
        return z.toByteArray();
    }

    @Test
    void runtimeCratesRootAndSources() throws Exception {
        AuditableDeps.Result r = AuditableDeps.parse(zlib("""
                {"packages":[{"name":"app","version":"0.1.0","source":"local","root":true,"dependencies":[1]},
                {"name":"serde","version":"1.0.190","source":"crates.io"},
                {"name":"cc","version":"1.0.79","source":"crates.io","kind":"build"},
                {"name":"","version":"1"}]}""".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.problem()).isNull();
        assertThat(r.crates()).extracting(c -> c.name() + "@" + c.version()).containsExactly("app@0.1.0", "serde@1.0.190");
        assertThat(r.crates().get(0).root()).isTrue();
    }

    @Test
    void aSectionThatInflatesBeyondTheLimitIsAProblemNotAnOutOfMemory() throws Exception {
        // 64 MiB of spaces compress to about 64 KiB
        byte[] bomb = zlib(new byte[64 << 20]);
        assertThat(bomb.length).isLessThan(1 << 20);
        assertThat(AuditableDeps.parse(bomb).problem()).contains("inflates beyond");
        assertThat(AuditableDeps.parse(new byte[]{1, 2, 3}).problem()).contains("not zlib");
        assertThat(AuditableDeps.parse(zlib("{\"packages\":".getBytes(StandardCharsets.UTF_8))).problem()).contains("malformed JSON");
        assertThat(AuditableDeps.parse(java.util.Arrays.copyOf(zlib("{\"packages\":[]}".getBytes(StandardCharsets.UTF_8)), 5)).problem())
                .contains("truncated");
    }

    @Property(tries = 300)
    void garbageNeverThrows(@ForAll @Size(max = 3000) byte[] data) throws Exception {
        AuditableDeps.parse(data);
        AuditableDeps.parse(zlib(data));
        new RustBinaryAnalyzer().analyze(TestFiles.of("/bin/x", data, 0755));
    }
}
