package dev.bulwark.match.version;

import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

class MavenVersionProperties extends SchemeContract {

    /**
     * Versions shaped like real Maven releases: numbers, then at most one qualifier (with or without a number),
     * then maybe -SNAPSHOT. ComparableVersion (maven-artifact 3.9.11) is not transitive on some odder shapes, which
     * MavenVersionTest records: a release alias ("ga", "final", "release") followed by more items, a version
     * starting with a letter, a bare letter qualifier followed by zeros.
     */
    @Override
    Arbitrary<String> versions() {
        Arbitrary<String> numbers = Arbitraries.of("0", "1", "2", "10", "01", "12345678901234567890")
                .list().ofMinSize(1).ofMaxSize(4).map(ns -> String.join(".", ns));
        Arbitrary<String> qualifier = Combinators.combine(
                        Arbitraries.of("-", "."),
                        Arbitraries.of("alpha", "beta", "M", "milestone", "RC", "cr", "SP", "GA", "Final", "RELEASE",
                                "jre", "android", "xyz"),
                        Arbitraries.of("", "", "1", "2", "-1", "10", ".0"))
                .as((sep, q, n) -> sep + q + n);
        Arbitrary<String> snapshot = Arbitraries.of("", "", "", "-SNAPSHOT");
        return Combinators.combine(numbers, Arbitraries.oneOf(Arbitraries.just(""), qualifier), snapshot)
                .as((n, q, snap) -> n + q + snap)
                .filter(this::inDomain);
    }

    @Override
    boolean inDomain(String version) {
        String v = version.toLowerCase(Locale.ROOT);
        return Character.isDigit(v.charAt(0)) && !v.matches(".*(ga|final|release)[.-]?[0-9a-z].*");
    }

    @Override
    Scheme scheme() {
        return Scheme.MAVEN;
    }

    @Override
    String alphabet() {
        return "0123456789.-abcelmprstGAS";
    }

    @Override
    List<String> tails() {
        return List.of("", ".0", ".1", "-1", "-SNAPSHOT", "-alpha", "-beta-1", "-rc1", "-sp", "-ga", ".Final", "-xyz",
                ".RELEASE");
    }
}
