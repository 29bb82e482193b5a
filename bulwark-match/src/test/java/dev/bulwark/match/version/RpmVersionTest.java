package dev.bulwark.match.version;

import static dev.bulwark.match.version.OrderingAssert.ascending;
import static dev.bulwark.match.version.OrderingAssert.equal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RpmVersionTest {
    private static final Scheme S = Scheme.RPM;

    @Test
    void tildeBeforeReleaseCaretAfterIt() {
        // the examples of rpm's versioning docs for ~ (pre-release) and ^ (post-release snapshot)
        ascending(S, "1.0~rc1", "1.0", "1.0^post1", "1.0.1");
        ascending(S, "1.0~rc1", "1.0~rc2", "1.0");
        ascending(S, "1.0^", "1.0^git1", "1.0^git2", "1.0a", "1.1");
        ascending(S, "1.0~rc1^git1", "1.0~rc1^git2", "1.0");
    }

    @Test
    void numbersBeatLettersAndLongerWins() {
        ascending(S, "1.0a", "1.0.1");
        ascending(S, "1.a", "1.1");
        ascending(S, "2.0", "2.0.1", "2.0.1a", "2.0.2");
        ascending(S, "1.9", "1.10", "1.100");
        ascending(S, "A", "B", "a", "b"); // letters by ASCII
    }

    @Test
    void separatorsOnlySeparate() {
        equal(S, "1.0", "1_0", "1+0", "1.0.", "1..0", "01.00");
        equal(S, "1.0a", "1.0.a", "1.0_a");
    }

    @Test
    void epochThenVersionThenRelease() {
        ascending(S, "9.9-9", "1:0.1-1", "2:0.0.1");
        equal(S, "0:1.0-1", "1.0-1");
        ascending(S, "1.0-1.el9", "1.0-1.el9_2", "1.0-2.el9", "1.0-10.el9", "1.1-1.el9");
        // no release sorts before any release, even a tilde one, as rpm.vercmp does
        ascending(S, "1.0", "1.0-~", "1.0-0", "1.0-1");
        ascending(S, "1.0", "1.0-.", "1.0-^");
        ascending(S, "1.0-~~", "1.0-~", "1.0-~^");
    }

    @Test
    void parsesEvr() {
        RpmVersion v = RpmVersion.parse("2:3.0.7-24.el9");
        assertThat(v.epoch()).isEqualTo("2");
        assertThat(v.version()).isEqualTo("3.0.7");
        assertThat(v.release()).isEqualTo("24.el9");
        assertThat(RpmVersion.parse("1.0").release()).isEmpty();
        assertThat(RpmVersion.vercmp("1.0~rc1", "1.0")).isNegative();
    }

    @Test
    void invalidVersionsAreRefused() {
        assertThatThrownBy(() -> RpmVersion.parse("a:1.0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a valid rpm version 'a:1.0': epoch must be a decimal number");
        assertThatThrownBy(() -> RpmVersion.parse("1.0-")).hasMessageContaining("release is empty");
        assertThatThrownBy(() -> RpmVersion.parse("")).hasMessageContaining("version is empty");
        assertThatThrownBy(() -> RpmVersion.parse("1.0 1")).hasMessageContaining("invalid character ' '");
        assertThat(RpmVersion.isValid(null)).isFalse();
    }
}
