package dev.bulwark.match.version;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

class Pep440VersionProperties extends SchemeContract {

    @Override
    Arbitrary<String> versions() {
        Arbitrary<String> epoch = Arbitraries.of("", "", "", "0!", "1!", "01!");
        Arbitrary<String> release = Arbitraries.of("0", "1", "2", "10", "00", "01").list().ofMinSize(1).ofMaxSize(4)
                .map(ns -> String.join(".", ns));
        Arbitrary<String> pre = Arbitraries.of("", "", "a", "a1", "b2", "rc1", "c1", "-alpha", ".beta.2", "pre", "preview");
        Arbitrary<String> post = Arbitraries.of("", "", ".post", ".post1", "-2", "post1", "_rev", ".r3");
        Arbitrary<String> dev = Arbitraries.of("", "", ".dev", ".dev1", "dev2");
        Arbitrary<String> local = Arbitraries.of("", "", "+abc", "+1", "+01", "+a.1", "+1.a", "+ubuntu-1", "+A_2");
        return Combinators.combine(epoch, release, pre, post, dev, local).as((e, r, a, p, d, l) -> e + r + a + p + d + l);
    }

    @Override
    Scheme scheme() {
        return Scheme.PEP440;
    }

    @Override
    String alphabet() {
        return "0123456789.!+abcdeoprstv-_";
    }

    @Override
    List<String> tails() {
        return List.of("", ".0", "0", "a1", "b", "rc1", "c1", ".post1", "-1", ".dev0", ".dev1", "+local", "+1", "+a.1", "alpha", "preview2", "r", "rev3");
    }
}
