package dev.bulwark.match.version;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

class GoVersionProperties extends SchemeContract {

    @Override
    Arbitrary<String> versions() {
        Arbitrary<String> v = Arbitraries.of("v", "v", "");
        Arbitrary<String> core = Arbitraries.of("0.0.0", "0.1.0", "1.2.3", "1.2.4", "2.0.0", "1", "1.2", "10.0.0");
        Arbitrary<String> pre = Arbitraries.of("", "", "-pre", "-rc.1", "-0.20191109021931-daa7c04131f5",
                "-0.20201109021931-0123456789ab", "-20191109021931-daa7c04131f5", "-pre.0.20191109021931-daa7c04131f5");
        Arbitrary<String> build = Arbitraries.of("", "", "+incompatible");
        return Combinators.combine(v, core, pre, build).as((a, c, p, b) -> c.chars().filter(x -> x == 0x2e).count() < 2
                ? a + c : a + c + p + b);
    }

    @Override
    Scheme scheme() {
        return Scheme.GO;
    }

    @Override
    String alphabet() {
        return "v0123456789.-+incompatible";
    }

    @Override
    List<String> tails() {
        return List.of("", "+incompatible", "-0.20191109021931-daa7c04131f5", "-pre", "-pre.0.20200101000000-000000000000", "-0", "-rc.1");
    }
}
