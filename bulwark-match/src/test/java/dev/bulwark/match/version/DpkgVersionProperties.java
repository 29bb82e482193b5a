package dev.bulwark.match.version;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

class DpkgVersionProperties extends SchemeContract {

    /** Valid dpkg versions from a small alphabet, so ties, tildes and digit-run edges come up often. */
    static Arbitrary<String> dpkgVersions() {
        Arbitrary<String> epoch = Arbitraries.of("", "", "", "0:", "1:", "2:", "10:");
        Arbitrary<String> upstream = Combinators.combine(
                        Arbitraries.of("0", "1", "2", "9", "10", "01"),
                        Arbitraries.strings().withChars("0123456789.+~aZz").ofMaxLength(6))
                .as(String::concat);
        Arbitrary<String> revision = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().withChars("0123456789.+~ab").ofMinLength(1).ofMaxLength(5).map(r -> "-" + r));
        // A hyphen may sit inside the upstream version only when a revision follows.
        Arbitrary<String> hyphenated = Combinators.combine(upstream, upstream, revision.filter(r -> !r.isEmpty()))
                .as((u1, u2, r) -> u1 + "-" + u2 + r);
        return Combinators.combine(epoch, Arbitraries.oneOf(
                        Combinators.combine(upstream, revision).as(String::concat), hyphenated))
                .as(String::concat);
    }

    @Override
    Arbitrary<String> versions() {
        return dpkgVersions();
    }

    @Override
    List<String> tails() {
        return List.of("", "~", "~~", "~rc1", "~a", "+b1", "+deb12u1", ".0", ".1", "0", "00", "1", "a", "-0", "-1", "-1~bpo1", "-1+b1", "-a");
    }

    @Override
    Scheme scheme() {
        return Scheme.DPKG;
    }

    @Override
    String alphabet() {
        return "0123456789.+-~:aZ";
    }
}
