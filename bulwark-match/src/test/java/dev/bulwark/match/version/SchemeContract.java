package dev.bulwark.match.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties every version scheme must have, run once per scheme by a {@code *Properties} subclass that supplies
 * a generator of valid versions (with small alphabets, so equal and near-equal versions are common) and the scheme.
 */
abstract class SchemeContract {

    /** Valid versions of the scheme under test. */
    abstract Arbitrary<String> versions();

    /** The scheme under test. */
    abstract Scheme scheme();

    /** Characters that make up this scheme's versions, to build near-valid garbage from. */
    abstract String alphabet();

    /** Tails appended to a version to make a near neighbour ("~", ".0", "-1"…), where orderings are subtle. */
    abstract List<String> tails();

    /** False for valid versions the properties must not be checked on (a known defect of a reference order). */
    boolean inDomain(String version) {
        return true;
    }

    @Provide
    Arbitrary<String> valid() {
        return versions();
    }

    /**
     * {@code n} versions: half the time independent, half the time one base version with different tails, since
     * independent random versions mostly differ in their first character and never meet the tricky cases.
     */
    Arbitrary<List<String>> family(int n) {
        Arbitrary<List<String>> siblings = Combinators.combine(versions(), Arbitraries.of(tails()).list().ofSize(n))
                .as((v, ts) -> ts.stream().map(t -> scheme().isValid(v + t) && inDomain(v + t) ? v + t : v).toList());
        return Arbitraries.oneOf(versions().list().ofSize(n), siblings);
    }

    @Provide
    Arbitrary<List<String>> pairs() {
        return family(2);
    }

    @Provide
    Arbitrary<List<String>> triples() {
        return family(3);
    }

    /** Arbitrary text: any Unicode, and strings over the scheme's own alphabet, which reach deeper into parsers. */
    @Provide
    Arbitrary<String> anything() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars(alphabet()).ofMaxLength(30),
                Combinators.combine(versions(), Arbitraries.of("-", ".", ":", "~", " ", "_", "+", "x", "-0", "é"))
                        .as((v, tail) -> v + tail));
    }

    @Property
    void generatedVersionsAreValid(@ForAll("valid") String v) {
        assertThat(scheme().isValid(v)).as(v).isTrue();
    }

    @Property
    void reflexive(@ForAll("valid") String v) {
        assertThat(scheme().compare(v, v)).isZero();
    }

    @Property
    void antisymmetric(@ForAll("pairs") List<String> p) {
        String a = p.get(0);
        String b = p.get(1);
        assertThat(Integer.signum(scheme().compare(a, b))).as("%s vs %s", a, b)
                .isEqualTo(-Integer.signum(scheme().compare(b, a)));
    }

    @Property
    void transitive(@ForAll("triples") List<String> t3) {
        String a = t3.get(0);
        String b = t3.get(1);
        String c = t3.get(2);
        // Every ordering of the triple is checked, so each generated triple tests the chain it happens to form.
        String[][] orders = {{a, b, c}, {a, c, b}, {b, a, c}, {b, c, a}, {c, a, b}, {c, b, a}};
        for (String[] t : orders) {
            int xy = Integer.signum(scheme().compare(t[0], t[1]));
            int yz = Integer.signum(scheme().compare(t[1], t[2]));
            if (xy <= 0 && yz <= 0) {
                int expected = xy + yz < 0 ? -1 : 0; // x <= y <= z, strictly if either step is strict
                assertThat(Integer.signum(scheme().compare(t[0], t[2]))).as("%s, %s, %s", t[0], t[1], t[2])
                        .isEqualTo(expected);
            }
        }
    }

    @Property
    void equalsAndHashCodeAgreeWithCompare(@ForAll("pairs") List<String> p) {
        String a = p.get(0);
        String b = p.get(1);
        Comparable<?> x = parse(a);
        Comparable<?> y = parse(b);
        boolean same = scheme().compare(a, b) == 0;
        assertThat(x.equals(y)).as("%s equals %s", a, b).isEqualTo(same);
        if (same) {
            assertThat(x.hashCode()).as("hash of %s and %s", a, b).isEqualTo(y.hashCode());
        }
        assertThat(x.toString()).isEqualTo(a);
    }

    @Property(tries = 3000)
    void arbitraryInputIsValidOrAClearIllegalArgument(@ForAll("anything") String s) {
        if (scheme().isValid(s)) {
            assertThat(parse(s)).isNotNull();
            assertThat(scheme().compare(s, s)).isZero();
        } else {
            assertThatThrownBy(() -> parse(s)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a valid");
            assertThatThrownBy(() -> scheme().compare(s, s)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** The scheme's own {@code parse}, through the class named by the scheme. */
    private Comparable<?> parse(String v) {
        return switch (scheme()) {
            case DPKG -> DpkgVersion.parse(v);
            case RPM -> RpmVersion.parse(v);
            case APK -> ApkVersion.parse(v);
            case SEMVER -> SemVer.parse(v);
            case MAVEN -> MavenVersion.parse(v);
            case PEP440 -> Pep440Version.parse(v);
            case GO -> GoVersion.parse(v);
            case GEM -> GemVersion.parse(v);
        };
    }
}
