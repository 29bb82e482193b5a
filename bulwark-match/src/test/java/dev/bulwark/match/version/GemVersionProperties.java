package dev.bulwark.match.version;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

class GemVersionProperties extends SchemeContract {

    @Override
    Arbitrary<String> versions() {
        Arbitrary<String> first = Arbitraries.of("0", "1", "2", "10", "01");
        Arbitrary<String> part = Arbitraries.of("0", "1", "2", "10", "a", "b", "pre", "rc1", "a10", "A", "beta2", "0a");
        Arbitrary<String> dash = Arbitraries.of("", "", "", "-1", "-rc", "-pre.2", "-x-y");
        return Combinators.combine(first, part.list().ofMaxSize(4), dash)
                .as((f, ps, d) -> f + ps.stream().map(p -> "." + p).reduce("", String::concat) + d);
    }

    @Override
    Scheme scheme() {
        return Scheme.GEM;
    }

    @Override
    String alphabet() {
        return "0123456789.-abprez";
    }

    @Override
    List<String> tails() {
        return List.of("", ".0", "0", ".a", "a", ".pre", ".pre.1", "-rc1", "-1", ".b1", ".1", "z");
    }
}
