package dev.bulwark.match.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * DpkgVersion against the real {@code dpkg --compare-versions} on this Debian machine: 6 batches of 100 generated
 * pairs, each batch one shell process. A missing dpkg fails the test rather than skipping it.
 */
class DpkgOracleProperties {
    // One shell loop per batch: "lt" decides -1, then "eq" separates 0 from 1; any other status is an error.
    private static final String SCRIPT = """
            while read -r a b; do
              dpkg --compare-versions "$a" lt "$b"; r=$?
              if [ $r -eq 0 ]; then echo -1
              elif [ $r -eq 1 ]; then if dpkg --compare-versions "$a" eq "$b"; then echo 0; else echo 1; fi
              else echo "dpkg failed on '$a' '$b' with status $r" >&2; exit 2
              fi
            done
            """;

    @BeforeContainer
    static void dpkgIsInstalled() {
        OracleProcess.requireTool("dpkg", "--version");
    }

    @Provide
    Arbitrary<List<Tuple2<String, String>>> batches() {
        return new DpkgVersionProperties().family(2).map(p -> Tuple.of(p.get(0), p.get(1))).list().ofSize(100);
    }

    @Property(tries = 6, shrinking = ShrinkingMode.OFF) // the message names the failing pair
    void agreesWithDpkg(@ForAll("batches") List<Tuple2<String, String>> pairs) {
        String input = pairs.stream().map(p -> p.get1() + " " + p.get2() + "\n").collect(Collectors.joining());
        List<String> dpkg = OracleProcess.run(List.of("sh", "-c", SCRIPT), input).lines().toList();
        assertThat(dpkg).hasSize(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            String a = pairs.get(i).get1();
            String b = pairs.get(i).get2();
            assertThat(Integer.signum(DpkgVersion.compare(a, b))).as("dpkg --compare-versions %s ? %s", a, b)
                    .isEqualTo(Integer.parseInt(dpkg.get(i)));
        }
    }
}
