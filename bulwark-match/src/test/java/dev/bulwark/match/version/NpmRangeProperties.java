package dev.bulwark.match.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class NpmRangeProperties {

    @Provide
    Arbitrary<String> versions() {
        return SemVerProperties.semVersions();
    }

    @Provide
    Arbitrary<String> ranges() {
        Arbitrary<String> partial = Arbitraries.of("*", "x", "1", "1.x", "1.2", "0.2", "0.0.3", "1.2.3", "1.2.3-beta.2",
                "0.0.0", "10.0.0-0");
        Arbitrary<String> simple = Combinators.combine(
                Arbitraries.of("", "^", "~", ">", ">=", "<", "<=", "=", "~>", "> "), partial).as(String::concat);
        Arbitrary<String> set = Arbitraries.oneOf(simple.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(" ", l)),
                Combinators.combine(partial, partial).as((a, b) -> a + " - " + b));
        return set.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(" || ", l));
    }

    @Provide
    Arbitrary<String> anything() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(30),
                Arbitraries.strings().withChars("0123456789.xX*^~<>=|- v+abt").ofMaxLength(25));
    }

    @Property(tries = 3000)
    void arbitraryRangesParseOrFailClearly(@ForAll("anything") String s) {
        if (NpmRange.isValid(s)) {
            assertThat(NpmRange.parse(s).desugared()).isNotEmpty();
        } else {
            assertThatThrownBy(() -> NpmRange.parse(s)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not a valid npm range");
        }
    }

    @Property
    void generatedRangesAnswerForEveryVersion(@ForAll("ranges") String range, @ForAll("versions") String version) {
        NpmRange r = NpmRange.parse(range);
        boolean plain = r.test(SemVer.parse(version), false);
        boolean withPrerelease = r.test(SemVer.parse(version), true);
        // including pre-releases only ever widens a range for a release version
        if (!SemVer.parse(version).isPrerelease() && plain) {
            assertThat(withPrerelease).as("%s in %s", version, range).isTrue();
        }
    }

    @Property
    void aVersionSatisfiesItsOwnCaretTildeAndExactRanges(@ForAll("versions") String version) {
        for (String op : new String[] {"", "=", "^", "~", ">=", "<="}) {
            assertThat(NpmRange.satisfies(version, op + version)).as(op + version).isTrue();
        }
        assertThat(NpmRange.satisfies(version, ">" + version)).isFalse();
        assertThat(NpmRange.satisfies(version, "<" + version)).isFalse();
    }

    @Property
    void rangesFollowTheOrderOfVersions(@ForAll("versions") String a, @ForAll("versions") String b) {
        int c = SemVer.compare(a, b);
        // the same tuple keeps the pre-release rule out of the way
        assertThat(NpmRange.satisfies(a, "<" + b, true)).isEqualTo(c < 0);
        assertThat(NpmRange.satisfies(a, ">=" + b, true)).isEqualTo(c >= 0);
    }
}
