package dev.bulwark.scan.lang.python;

import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Debian's installed Python distributions, read by Bulwark and by Python's own importlib.metadata. */
class PythonIT {
    private static final Path SITE = Path.of("/usr/lib/python3/dist-packages");

    @Test
    void sameDistributionsAsImportlibMetadata() throws Exception {
        Path python = TestComponents.requireTool("/usr/bin/python3");
        TestComponents.require(SITE, "Debian's python3");
        Process p = new ProcessBuilder(python.toString(), "-c", """
                import importlib.metadata as m
                for d in m.distributions(path=['%s']):
                    print(d.metadata['Name'] + '@' + d.version)
                """.formatted(SITE)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Set<String> expected = new TreeSet<>(out.lines().filter(l -> !l.isBlank()).toList());

        PythonAnalyzer analyzer = new PythonAnalyzer();
        Set<String> actual = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SITE, 2)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (!analyzer.required(f.toString(), Files.size(f), 0644)) continue;
                FileResult r = analyzer.analyze(TestFiles.real(f.toString(), f));
                assertThat(r.warnings()).as(f.toString()).isEmpty();
                for (Package pk : r.packages()) {
                    actual.add(pk.name() + "@" + pk.version());
                    assertThat(pk.licenses()).as(f + " licences").allMatch(l -> !l.isBlank());
                }
            }
        }
        assertThat(expected).isNotEmpty();
        assertThat(actual).isEqualTo(expected);
    }
}
