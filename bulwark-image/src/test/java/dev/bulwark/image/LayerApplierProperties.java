package dev.bulwark.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Random layers built from hostile pieces (names with "..", absolute names, links to "/", "..", and a host
 * directory, whiteouts) never change anything outside the unpack target, whether the apply succeeds or fails.
 */
class LayerApplierProperties {
    @Provide
    Arbitrary<List<List<LayerApplierTest.T>>> layers() {
        Arbitrary<String> part = Arbitraries.of("a", "b", "..", ".", "etc", ".wh.a", ".wh..wh..opq", "c d");
        Arbitrary<String> name = part.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l))
                .flatMap(n -> Arbitraries.of(n, "/" + n, "./" + n));
        Arbitrary<String> target = Arbitraries.of("/", "..", "../../..", "a", "/etc", "OUTSIDE", "OUTSIDE/x", "a/../..");
        Arbitrary<LayerApplierTest.T> entry = Combinators.combine(name, Arbitraries.integers().between(0, 4), target)
                .as((n, kind, t) -> switch (kind) {
                    case 0 -> LayerApplierTest.T.file(n, "data");
                    case 1 -> LayerApplierTest.T.dir(n);
                    case 2 -> LayerApplierTest.T.sym(n, t);
                    case 3 -> LayerApplierTest.T.hard(n, t.replace("OUTSIDE", "../outside"));
                    default -> new LayerApplierTest.T(n, TarConstants.LF_CHR, null, null, 0600, 0, 0);
                });
        return entry.list().ofMinSize(1).ofMaxSize(12).list().ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = 200)
    void nothingOutsideTheTargetChanges(@ForAll("layers") List<List<LayerApplierTest.T>> layers) throws IOException {
        Path tmp = Files.createTempDirectory("applier-prop");
        try {
            Path root = Files.createDirectory(tmp.resolve("root"));
            Path outside = Files.createDirectory(tmp.resolve("outside"));
            LayerApplier a = new LayerApplier(root, LayerApplier.Options.shifted(0, 0));
            for (List<LayerApplierTest.T> l : layers) {
                LayerApplierTest.T[] entries = l.stream().map(e -> e.link() == null ? e
                        : new LayerApplierTest.T(e.name(), e.type(), e.content(), e.link().replace("OUTSIDE", outside.toString()),
                        e.mode(), e.uid(), e.gid())).toArray(LayerApplierTest.T[]::new);
                try {
                    a.applyTar(new ByteArrayInputStream(LayerApplierTest.tar(entries)), Limits.DEFAULT);
                } catch (IOException refused) {
                    break; // a refused layer stops the unpack, as it does for a real image
                }
            }
            try (Stream<Path> s = Files.list(outside)) {
                assertThat(s.toList()).isEmpty();
            }
            try (Stream<Path> s = Files.list(tmp)) {
                assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("outside", "root");
            }
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
