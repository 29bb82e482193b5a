package dev.bulwark.match.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.maven.artifact.versioning.ComparableVersion;

class MavenVersionProperties extends SchemeContract {

    /**
     * Any shape Maven's parser meets: numbers, qualifiers after '-' or '.', release aliases followed by more items,
     * letters first, several qualifiers, -SNAPSHOT. The contract (antisymmetry, transitivity...) holds on all of them.
     */
    @Override
    Arbitrary<String> versions() {
        Arbitrary<String> numbers = Arbitraries.of("0", "1", "2", "10", "01", "12345678901234567890")
                .list().ofMinSize(1).ofMaxSize(4).map(ns -> String.join(".", ns));
        Arbitrary<String> qualifier = Combinators.combine(
                        Arbitraries.of("-", ".", ""),
                        Arbitraries.of("alpha", "a", "beta", "b", "M", "milestone", "RC", "cr", "SP", "GA", "Final",
                                "RELEASE", "jre", "android", "xyz", "SNAPSHOT"),
                        Arbitraries.of("", "", "1", "2", "-1", "10", ".0", "-0", ".1"))
                .as((sep, q, n) -> sep + q + n);
        Arbitrary<String> qualifiers = qualifier.list().ofMinSize(0).ofMaxSize(2).map(qs -> String.join("", qs));
        Arbitrary<String> lead = Arbitraries.of("", "", "", "", "alpha", "M1.", "v");
        return Combinators.combine(lead, numbers, qualifiers).as((l, n, q) -> l + n + q);
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
                ".RELEASE", ".M1", "-0");
    }

    /**
     * Versions shaped like real releases: numbers, then at most one qualifier after '-' (or glued to a number after
     * '.', as in 5.0.0.M1 or 1.0.RC2), then maybe -SNAPSHOT; or numbers and a release alias (1.0.Final). On these Maven's own rules never contradict each
     * other, so the order must be exactly ComparableVersion's.
     */
    @Provide
    Arbitrary<String> releases() {
        Arbitrary<String> numbers = Arbitraries.of("0", "1", "2", "10", "01", "12345678901234567890")
                .list().ofMinSize(1).ofMaxSize(4).map(ns -> String.join(".", ns));
        Arbitrary<String> dashed = Combinators.combine(
                        Arbitraries.of("alpha", "beta", "M", "milestone", "RC", "cr", "SP", "jre", "android", "xyz"),
                        Arbitraries.of("", "", "1", "2", "-1", "10"))
                .as((q, n) -> "-" + q + n);
        Arbitrary<String> glued = Combinators.combine(Arbitraries.of("M", "RC", "alpha", "beta", "SP"),
                Arbitraries.of("1", "2", "10")).as((q, n) -> "." + q + n);
        Arbitrary<String> snapshot = Arbitraries.of("", "", "", "-SNAPSHOT");
        Arbitrary<String> qualified = Combinators.combine(numbers, Arbitraries.oneOf(Arbitraries.just(""), dashed, glued),
                snapshot).as((n, q, snap) -> n + q + snap);
        // a release alias ends the version: "1.0-GA-SNAPSHOT" is the kind of shape where Maven contradicts itself
        Arbitrary<String> released = Combinators.combine(numbers, Arbitraries.of("-GA", ".Final", ".RELEASE", "-ga"))
                .as((n, r) -> n + r);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, qualified), net.jqwik.api.Tuple.of(1, released));
    }

    @Property
    void agreesWithMavenOnReleaseShapedVersions(@ForAll("releases") String a, @ForAll("releases") String b) {
        assertThat(MavenVersion.compare(a, b)).as("%s vs %s", a, b)
                .isEqualTo(Integer.signum(new ComparableVersion(a).compareTo(new ComparableVersion(b))));
    }

    @Property
    void equalExactlyWhenMavenSaysEqual(@ForAll("releases") String a, @ForAll("releases") String b) {
        boolean maven = new ComparableVersion(a).compareTo(new ComparableVersion(b)) == 0;
        assertThat(MavenVersion.parse(a).equals(MavenVersion.parse(b))).as("%s vs %s", a, b).isEqualTo(maven);
        if (maven) {
            assertThat(MavenVersion.parse(a).hashCode()).isEqualTo(MavenVersion.parse(b).hashCode());
        }
    }
}
