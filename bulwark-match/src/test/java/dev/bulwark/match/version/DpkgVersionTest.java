package dev.bulwark.match.version;

import static dev.bulwark.match.version.OrderingAssert.ascending;
import static dev.bulwark.match.version.OrderingAssert.equal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DpkgVersionTest {
    private static final Scheme S = Scheme.DPKG;

    @Test
    void securityUpdatesAndBackportsSortAsDebianShipsThem() {
        // bookworm, its security update, a later point release; a backport sorts below the version it backports
        ascending(S, "1.2-3", "1.2-3+deb12u1", "1.2-3+deb12u2", "1.2-4");
        ascending(S, "3.0.17-1~deb12u1", "3.0.17-1~deb12u2", "3.0.17-1");
        ascending(S, "2.36-9+deb12u3", "2.36-9+deb12u4", "2.36-9+deb12u10");
    }

    @Test
    void tildeSortsBeforeEverythingEvenTheEnd() {
        // Policy 5.6.12's own example, after a leading digit each: ~~ < ~~a < ~ < (empty) < a
        ascending(S, "1~~", "1~~a", "1~", "1", "1a");
        ascending(S, "1.0~rc1", "1.0~rc2", "1.0", "1.0+b1", "1.0.1");
        ascending(S, "1.0~~", "1.0~~a", "1.0~", "1.0");
    }

    @Test
    void epochOutranksEverything() {
        ascending(S, "1:9.9", "2:1.0", "10:0.1");
        ascending(S, "9.9-9", "1:0");
        equal(S, "0:1.0", "1.0");
    }

    @Test
    void lettersSortBeforeNonLetters() {
        ascending(S, "1.0a", "1.0+", "1.0.");
        ascending(S, "1.0-1a", "1.0-1+", "1.0-1.");
    }

    @Test
    void numbersCompareNumericallyWhateverTheirLength() {
        ascending(S, "1.2", "1.10", "1.100");
        equal(S, "1.01", "1.1", "1.0001");
        ascending(S, "1.99999999999999999999", "1.100000000000000000000");
    }

    @Test
    void anAbsentRevisionIsZero() {
        equal(S, "1.0", "1.0-0", "1.0-00");
        ascending(S, "1.0", "1.0-0.1", "1.0-1");
    }

    @Test
    void hyphenInUpstreamNeedsARevision() {
        DpkgVersion v = DpkgVersion.parse("2:1.0-beta-3");
        assertThat(v.epoch()).isEqualTo(2);
        assertThat(v.upstream()).isEqualTo("1.0-beta");
        assertThat(v.revision()).isEqualTo("3");
        assertThat(DpkgVersion.parse("1.0").revision()).isEmpty();
    }

    @Test
    void invalidVersionsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> DpkgVersion.parse("1.0-")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a valid dpkg version '1.0-': revision is empty");
        assertThatThrownBy(() -> DpkgVersion.parse(":1.0")).hasMessageContaining("epoch must be a decimal number");
        assertThatThrownBy(() -> DpkgVersion.parse("99999999999:1")).hasMessageContaining("epoch is too big");
        assertThatThrownBy(() -> DpkgVersion.parse("a1.0")).hasMessageContaining("must start with a digit");
        assertThatThrownBy(() -> DpkgVersion.parse("1.0_1")).hasMessageContaining("invalid character '_'");
        assertThatThrownBy(() -> DpkgVersion.compare("1.0", "")).isInstanceOf(IllegalArgumentException.class);
        assertThat(DpkgVersion.isValid("2147483647:1")).isTrue();
        assertThat(DpkgVersion.isValid(null)).isFalse();
        assertThat(DpkgVersion.isValid("1.0 1")).isFalse();
    }

    @Test
    void equalVersionsAreEqualObjects() {
        assertThat(DpkgVersion.parse("1.01-0")).isEqualTo(DpkgVersion.parse("0:1.1"))
                .hasSameHashCodeAs(DpkgVersion.parse("0:1.1"));
        assertThat(DpkgVersion.parse("1.01-0")).hasToString("1.01-0");
    }
}
