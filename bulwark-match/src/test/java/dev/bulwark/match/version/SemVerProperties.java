package dev.bulwark.match.version;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

class SemVerProperties extends SchemeContract {

    static Arbitrary<String> semVersions() {
        Arbitrary<String> number = Arbitraries.of("0", "1", "2", "10", "11", "123456789012345678901234567890");
        Arbitrary<String> id = Arbitraries.of("0", "1", "2", "10", "a", "alpha", "beta", "rc", "A", "a-b", "-", "1a");
        Arbitrary<String> pre = Arbitraries.oneOf(Arbitraries.just(""),
                id.list().ofMinSize(1).ofMaxSize(3).map(ids -> "-" + String.join(".", ids)));
        Arbitrary<String> build = Arbitraries.of("", "", "+b", "+001", "+exp.sha.5114f85");
        return Combinators.combine(number, number, number, pre, build)
                .as((a, b, c, p, m) -> a + "." + b + "." + c + p + m);
    }

    @Override
    Arbitrary<String> versions() {
        return semVersions();
    }

    @Override
    Scheme scheme() {
        return Scheme.SEMVER;
    }

    @Override
    String alphabet() {
        return "0123456789.-+aZ";
    }

    @Override
    List<String> tails() {
        return List.of("", "-0", "-1", "-a", "-alpha", "-alpha.1", "-1.a", "+build", "+1", ".1", "0");
    }
}
