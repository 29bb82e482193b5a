package dev.bulwark.match.version;

import static dev.bulwark.match.version.OrderingAssert.ascending;
import static dev.bulwark.match.version.OrderingAssert.equal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class SemVerTest {
    private static final Scheme S = Scheme.SEMVER;

    @Test
    void precedenceExampleOfSemverOrgSection11() {
        ascending(S, "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0");
        ascending(S, "1.0.0", "2.0.0", "2.1.0", "2.1.1");
    }

    @Test
    void numericIdentifiersSortBelowAlphanumericOnes() {
        ascending(S, "1.0.0-1", "1.0.0-2", "1.0.0-10", "1.0.0-1a", "1.0.0-a");
        ascending(S, "1.0.0-A", "1.0.0-a"); // ASCII order
        ascending(S, "1.0.0-0", "1.0.0-0.0", "1.0.0-0.a");
    }

    @Test
    void buildMetadataIsIgnored() {
        equal(S, "1.0.0+20130313144700", "1.0.0+exp.sha.5114f85", "1.0.0");
        equal(S, "1.0.0-beta+exp.sha.5114f85", "1.0.0-beta");
        assertThat(SemVer.parse("1.0.0-rc.1+build.1").build()).containsExactly("build", "1");
    }

    @Test
    void numbersHaveNoSizeLimit() {
        ascending(S, "1.0.99999999999999999999", "1.0.100000000000000000000");
        assertThat(SemVer.parse("18446744073709551616.0.0").major())
                .isEqualTo(new BigInteger("18446744073709551616"));
    }

    @Test
    void theGrammarIsEnforced() {
        for (String bad : List.of("1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "1.2.3-01", "1.2.3-",
                "1.2.3+", "1.2.3-a..b", "1.2.3-a_b", "v1.2.3", " 1.2.3", "1.2.3 ", "-1.2.3", "1.2.3+a+b", "")) {
            assertThat(SemVer.isValid(bad)).as(bad).isFalse();
        }
        for (String good : List.of("0.0.0", "1.2.3-0", "1.2.3-0a", "1.2.3-a-b", "1.2.3--", "1.2.3+001",
                "1.2.3-rc.1+build.01")) {
            assertThat(SemVer.isValid(good)).as(good).isTrue();
        }
        assertThatThrownBy(() -> SemVer.parse("1.2.3-01")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a valid semantic version '1.2.3-01': numeric pre-release identifier '01' has a "
                        + "leading zero");
    }

    @Test
    void toStringGivesBackTheVersion() {
        assertThat(SemVer.parse("1.2.3-rc.1+b.2")).hasToString("1.2.3-rc.1+b.2");
        assertThat(SemVer.parse("1.2.3-rc.1").isPrerelease()).isTrue();
    }
}
