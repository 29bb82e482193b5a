package dev.bulwark.match.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NpmRangeTest {

    @ParameterizedTest(name = "{0} := {1}")
    @CsvSource(delimiter = '|', textBlock = """
            1.2.3 - 2.3.4    | >=1.2.3 <=2.3.4
            1.2 - 2.3.4      | >=1.2.0 <=2.3.4
            1.2.3 - 2.3      | >=1.2.3 <2.4.0-0
            1.2.3 - 2        | >=1.2.3 <3.0.0-0
            *                | *
            ''               | *
            1.x              | >=1.0.0 <2.0.0-0
            1.2.x            | >=1.2.0 <1.3.0-0
            1                | >=1.0.0 <2.0.0-0
            1.2              | >=1.2.0 <1.3.0-0
            ~1.2.3           | >=1.2.3 <1.3.0-0
            ~1.2             | >=1.2.0 <1.3.0-0
            ~1               | >=1.0.0 <2.0.0-0
            ~0.2.3           | >=0.2.3 <0.3.0-0
            ~0               | <1.0.0-0
            ~1.2.3-beta.2    | >=1.2.3-beta.2 <1.3.0-0
            ^1.2.3           | >=1.2.3 <2.0.0-0
            ^0.2.3           | >=0.2.3 <0.3.0-0
            ^0.0.3           | >=0.0.3 <0.0.4-0
            ^1.2.3-beta.2    | >=1.2.3-beta.2 <2.0.0-0
            ^0.0.3-beta      | >=0.0.3-beta <0.0.4-0
            ^1.2.x           | >=1.2.0 <2.0.0-0
            ^0.0.x           | <0.1.0-0
            ^0.0             | <0.1.0-0
            ^1.x             | >=1.0.0 <2.0.0-0
            ^0.x             | <1.0.0-0
            >1               | >=2.0.0
            >=1.2.7 <1.3.0   | >=1.2.7 <1.3.0
            """)
    void desugarsAsTheReadmeSays(String range, String desugared) {
        // the README writes ">=0.0.0" for the "any" lower bound, which node-semver drops
        assertThat(NpmRange.parse(range).desugared()).isEqualTo(desugared);
    }

    @Test
    void readmeExamples() {
        assertThat(NpmRange.satisfies("1.2.7", ">=1.2.7")).isTrue();
        assertThat(NpmRange.satisfies("1.3.9", ">=1.2.7")).isTrue();
        assertThat(NpmRange.satisfies("1.2.6", ">=1.2.7")).isFalse();
        for (String in : new String[] {"1.2.7", "1.2.8", "1.2.99"}) {
            assertThat(NpmRange.satisfies(in, ">=1.2.7 <1.3.0")).as(in).isTrue();
        }
        for (String out : new String[] {"1.2.6", "1.3.0", "1.1.0"}) {
            assertThat(NpmRange.satisfies(out, ">=1.2.7 <1.3.0")).as(out).isFalse();
        }
        for (String in : new String[] {"1.2.7", "1.2.9", "1.4.6"}) {
            assertThat(NpmRange.satisfies(in, "1.2.7 || >=1.2.9 <2.0.0")).as(in).isTrue();
        }
        assertThat(NpmRange.satisfies("1.2.8", "1.2.7 || >=1.2.9 <2.0.0")).isFalse();
        assertThat(NpmRange.satisfies("2.0.0", "1.2.7 || >=1.2.9 <2.0.0")).isFalse();
    }

    @Test
    void prereleasesOnlyMatchRangesThatNameTheirTuple() {
        assertThat(NpmRange.satisfies("1.2.3-alpha.7", ">1.2.3-alpha.3")).isTrue();
        assertThat(NpmRange.satisfies("3.4.5-alpha.9", ">1.2.3-alpha.3")).isFalse();
        assertThat(NpmRange.satisfies("3.4.5", ">1.2.3-alpha.3")).isTrue();
        assertThat(NpmRange.satisfies("1.2.3-beta.4", "~1.2.3-beta.2")).isTrue();
        assertThat(NpmRange.satisfies("1.2.4-beta.2", "~1.2.3-beta.2")).isFalse();
        assertThat(NpmRange.satisfies("0.0.3-pr.2", "^0.0.3-beta")).isTrue();
        assertThat(NpmRange.satisfies("1.0.0-beta", "*")).isFalse();
    }

    @Test
    void includePrereleaseTreatsThemAsOrdinaryVersions() {
        // what a vulnerability matcher wants: "<2.0.0" is affected, and so is 2.0.0-beta.1
        assertThat(NpmRange.satisfies("2.0.0-beta.1", "<2.0.0")).isFalse();
        assertThat(NpmRange.satisfies("2.0.0-beta.1", "<2.0.0", true)).isTrue();
        assertThat(NpmRange.satisfies("3.4.5-alpha.9", ">1.2.3-alpha.3", true)).isTrue();
        assertThat(NpmRange.satisfies("1.0.0-beta", "*", true)).isTrue();
        assertThat(NpmRange.satisfies("1.2.0-beta", "1.2.x", true)).isTrue();
        assertThat(NpmRange.satisfies("1.2.0-beta", "~1.2.0", true)).isFalse();
    }

    @Test
    void spacesAfterOperatorsAndPrefixesAreAllowed() {
        assertThat(NpmRange.satisfies("1.2.4", ">= 1.2.3 < 1.3")).isTrue();
        assertThat(NpmRange.satisfies("v1.2.4", "^v1.2.3")).isTrue();
        assertThat(NpmRange.satisfies("1.2.4", "~> 1.2.3")).isTrue();
        assertThat(NpmRange.satisfies("1.0.0", "=1.0.0")).isTrue();
    }

    @Test
    void wildcardComparators() {
        assertThat(NpmRange.parse(">*").desugared()).isEqualTo("<0.0.0-0");
        assertThat(NpmRange.satisfies("0.0.0", "<*")).isFalse();
        assertThat(NpmRange.satisfies("9.9.9", "<=*")).isTrue();
        assertThat(NpmRange.parse("<=1.2").desugared()).isEqualTo("<1.3.0-0");
        assertThat(NpmRange.parse("<1.2").desugared()).isEqualTo("<1.2.0-0");
        assertThat(NpmRange.parse(">1.2").desugared()).isEqualTo(">=1.3.0");
    }

    @Test
    void invalidRangesAndVersionsAreErrors() {
        assertThat(NpmRange.isValid("latest")).isFalse();
        assertThat(NpmRange.isValid("1.2.3.4")).isFalse();
        assertThat(NpmRange.isValid(">=>1")).isFalse();
        assertThat(NpmRange.isValid("01.2.3")).isFalse();
        assertThatThrownBy(() -> NpmRange.parse("latest")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a valid npm range 'latest': cannot read 'latest'");
        assertThatThrownBy(() -> NpmRange.satisfies("1.2", "^1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(NpmRange.parse("^1.2.3 || 2").toString()).isEqualTo("^1.2.3 || 2");
        assertThat(NpmRange.parse("1.2.7 || >=1.2.9 <2.0.0").desugared()).isEqualTo("1.2.7||>=1.2.9 <2.0.0");
    }
}
