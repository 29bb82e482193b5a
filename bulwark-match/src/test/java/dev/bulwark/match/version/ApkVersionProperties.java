package dev.bulwark.match.version;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

class ApkVersionProperties extends SchemeContract {

    @Override
    Arbitrary<String> versions() {
        Arbitrary<String> number = Arbitraries.of("0", "1", "2", "10", "01", "00", "010", "20250503");
        Arbitrary<String> numbers = number.list().ofMinSize(1).ofMaxSize(4).map(ns -> String.join(".", ns));
        Arbitrary<String> letter = Arbitraries.of("", "", "a", "b", "z");
        Arbitrary<String> suffix = Combinators.combine(
                        Arbitraries.of("alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"),
                        Arbitraries.of("", "0", "1", "2", "10"))
                .as((s, n) -> "_" + s + n);
        Arbitrary<String> suffixes = suffix.list().ofMaxSize(2).map(ss -> String.join("", ss));
        Arbitrary<String> hash = Arbitraries.of("", "", "", "~0a1b", "~ff");
        Arbitrary<String> revision = Arbitraries.of("", "-r0", "-r1", "-r2", "-r10");
        return Combinators.combine(numbers, letter, suffixes, hash, revision).as((n, l, s, h, r) -> n + l + s + h + r);
    }

    @Override
    Scheme scheme() {
        return Scheme.APK;
    }

    @Override
    String alphabet() {
        return "0123456789._-r~abpz";
    }

    @Override
    List<String> tails() {
        return List.of("", ".0", ".1", "0", "a", "_alpha", "_beta2", "_pre", "_rc1", "_p", "_p1", "_cvs", "_git", "-r0", "-r1", "~abc");
    }
}
