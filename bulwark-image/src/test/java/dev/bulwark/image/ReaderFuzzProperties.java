package dev.bulwark.image;

import dev.bulwark.image.Fixtures.E;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Hostile bytes may make the readers refuse, never crash: only IOException / ImageException come out. */
class ReaderFuzzProperties {
    private static final LayerVisitor READ_ALL = new LayerVisitor() {
        @Override
        public void entry(LayerEntry entry, InputStream content) throws IOException {
            assertThat(entry.path()).startsWith("/").doesNotContain("/../").doesNotContain("//");
            if (content != null) content.transferTo(java.io.OutputStream.nullOutputStream());
        }
    };

    @Property(tries = 300)
    void arbitraryBytesNeverCrashTheTarWalker(@ForAll @Size(max = 4096) byte[] data) {
        walkExpectingOnlyIoErrors(data);
    }

    @Property(tries = 300)
    void mutatedTarsNeverCrashTheTarWalker(@ForAll("mutations") List<int[]> flips) throws IOException {
        byte[] tar = Fixtures.tar(List.of(E.dir("etc/"), E.file("etc/os-release", "ID=alpine\n"),
                E.symlink("bin/sh", "busybox"), E.file("a/.wh.b", ""), E.file("x".repeat(150), "long name")));
        for (int[] f : flips) tar[f[0] % tar.length] ^= (byte) f[1];
        walkExpectingOnlyIoErrors(tar);
    }

    @Provide
    Arbitrary<List<int[]>> mutations() {
        Arbitrary<int[]> flip = Arbitraries.integers().between(0, 1 << 16).list().ofSize(2)
                .map(l -> new int[]{l.get(0), 1 + l.get(1) % 255});
        return flip.list().ofMinSize(1).ofMaxSize(8);
    }

    private static void walkExpectingOnlyIoErrors(byte[] data) {
        try {
            TarLayerWalker.walk(new ByteArrayInputStream(data), READ_ALL, new Limits(1 << 20, 10_000, 1 << 20));
        } catch (IOException expected) {
            // refusing is fine
        } catch (RuntimeException e) {
            fail("tar walker crashed with " + e, e);
        }
    }

    @Property(tries = 200)
    void arbitraryIndexJsonIsAnImageExceptionOrAnImage(@ForAll("jsonish") String index) throws Exception {
        Path dir = Files.createTempDirectory("fuzz-oci");
        try {
            Map<String, byte[]> files = Fixtures.ociFiles("t", List.of(Fixtures.gzLayer(List.of(E.file("a", "b")))), "amd64");
            files.put("index.json", index.getBytes(StandardCharsets.UTF_8));
            for (var e : files.entrySet()) {
                Path p = dir.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue());
            }
            try (ImageSource src = ImageSources.open("oci:" + dir, SourceOptions.defaults())) {
                assertThat(src.info().layers()).isNotEmpty();
            } catch (ImageException expected) {
                assertThat(expected.oneLine()).doesNotContain("\n");
            }
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> tokens = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"manifests\"", "\"digest\"",
                "\"sha256:" + "a".repeat(64) + "\"", "\"size\"", "-1", "99999999999", "null", "\"schemaVersion\"", "2",
                "\"mediaType\"", "\"application/vnd.oci.image.index.v1+json\"", "\"platform\"", "\"annotations\"", "true");
        return tokens.list().ofMaxSize(40).map(l -> String.join("", l));
    }
}
