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
 * RpmVersion against rpm's own {@code rpm.vercmp} (rpm 4.18, Debian's rpm package, which scripts/install.sh
 * installs): 6 batches of 100 generated EVR pairs, each batch one {@code rpm --eval} of a Lua chunk. A missing rpm
 * fails the test rather than skipping it.
 */
class RpmOracleProperties {

    @BeforeContainer
    static void rpmIsInstalled() {
        OracleProcess.requireTool("rpm", "--version");
    }

    @Provide
    Arbitrary<List<Tuple2<String, String>>> batches() {
        return new RpmVersionProperties().family(2).map(p -> Tuple.of(p.get(0), p.get(1))).list().ofSize(100);
    }

    @Property(tries = 6, shrinking = ShrinkingMode.OFF) // the message names the failing pair
    void agreesWithRpm(@ForAll("batches") List<Tuple2<String, String>> pairs) {
        // Generated versions use only [0-9A-Za-z.~^_+:-]: nothing that Lua strings or rpm macros would interpret.
        String calls = pairs.stream()
                .map(p -> "r[#r+1]=rpm.vercmp(\"" + p.get1() + "\",\"" + p.get2() + "\")")
                .collect(Collectors.joining(" "));
        String out = OracleProcess.run(List.of("rpm", "--eval", "%{lua: local r={} " + calls
                + " print(table.concat(r, \",\"))}"), "").strip();
        String[] rpm = out.split(",");
        assertThat(rpm).hasSize(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            String a = pairs.get(i).get1();
            String b = pairs.get(i).get2();
            assertThat(Integer.signum(RpmVersion.compare(a, b))).as("rpm.vercmp(%s, %s)", a, b)
                    .isEqualTo(Integer.parseInt(rpm[i]));
        }
    }
}
