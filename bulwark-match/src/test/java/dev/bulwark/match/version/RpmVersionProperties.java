package dev.bulwark.match.version;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

class RpmVersionProperties extends SchemeContract {

    /** Valid EVRs over a small alphabet with every character class rpmvercmp treats differently. */
    static Arbitrary<String> rpmVersions() {
        Arbitrary<String> epoch = Arbitraries.of("", "", "", "0:", "1:", "2:", "010:");
        Arbitrary<String> part = Arbitraries.strings().withChars("0123456789.a~^_+Zz").ofMinLength(1).ofMaxLength(7);
        Arbitrary<String> release = Arbitraries.oneOf(Arbitraries.just(""), part.map(r -> "-" + r));
        return Combinators.combine(epoch, part, release).as((e, v, r) -> e + v + r);
    }

    @Override
    Arbitrary<String> versions() {
        return rpmVersions();
    }

    @Override
    List<String> tails() {
        return List.of("", "~", "~~", "^", "^post1", "~rc1", ".0", "0", "00", "a", "_1", "-1", "-1~", "-0", "-~", "-~1", "-^", "-.", ".a", "1", "^~", "~^");
    }

    @Override
    Scheme scheme() {
        return Scheme.RPM;
    }

    @Override
    String alphabet() {
        return "0123456789.a~^_+-:Z";
    }
}
