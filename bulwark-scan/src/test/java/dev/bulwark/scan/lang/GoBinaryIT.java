package dev.bulwark.scan.lang;

import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import dev.bulwark.scan.lang.golang.GoBinaryAnalyzer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real Go programs of this machine (Debian's), read by Bulwark and by `go version -m`: the same modules. */
class GoBinaryIT {
    @Test
    void sameModulesAsGoVersionM() throws Exception {
        Path go = TestComponents.requireTool("go");
        for (String bin : new String[]{"/usr/bin/docker-registry", "/usr/bin/skopeo", "/usr/sbin/dockerd"}) {
            Path file = TestComponents.require(Path.of(bin), bin);
            Process p = new ProcessBuilder(go.toString(), "version", "-m", bin).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            Set<String> expected = new TreeSet<>();
            String goVersion = null;
            for (String line : out.split("\n")) {
                String[] f = line.strip().split("\\s+");
                if (line.startsWith(bin + ":")) goVersion = f[f.length - 1];
                if ((f[0].equals("mod") || f[0].equals("dep")) && f.length >= 3) expected.add(f[1] + "@" + f[2]);
            }
            FileResult r = new GoBinaryAnalyzer().analyze(TestFiles.real(bin, file));
            Set<String> actual = new TreeSet<>();
            for (Package pk : r.packages()) if (!pk.name().equals("stdlib")) actual.add(pk.name() + "@" + pk.version());
            assertThat(actual).as(bin).isEqualTo(expected);
            assertThat(r.packages()).anyMatch(pk -> pk.name().equals("stdlib"));
            assertThat(r.packages().get(0).properties().get("goVersion")).as(bin).isEqualTo(goVersion);
        }
    }
}
