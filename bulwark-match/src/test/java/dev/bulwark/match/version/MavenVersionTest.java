package dev.bulwark.match.version;

import static dev.bulwark.match.version.OrderingAssert.ascending;
import static dev.bulwark.match.version.OrderingAssert.equal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MavenVersionTest {
    private static final Scheme S = Scheme.MAVEN;

    @Test
    void qualifiersInMavensOrder() {
        // Maven's documented qualifier order: alpha < beta < milestone < rc = cr < snapshot < "" = ga = final
        // = release < sp
        ascending(S, "1.0-alpha-1", "1.0-beta-1", "1.0-milestone-1", "1.0-rc-1", "1.0-SNAPSHOT", "1.0", "1.0-sp-1",
                "1.0.1");
        equal(S, "1.0-rc1", "1.0-cr1", "1.0-RC1");
        equal(S, "1.0", "1.0.0", "1.0-ga", "1.0.Final", "1.0.RELEASE", "1");
        ascending(S, "1.0-a1", "1.0-b1", "1.0-m1", "1.0");
        equal(S, "1.0-a1", "1.0-alpha-1");
    }

    @Test
    void numbersAndUnknownQualifiers() {
        ascending(S, "1.9", "1.10", "1.10.1", "2");
        ascending(S, "2.0.0-SNAPSHOT", "2.0.0", "2.0.0-jre", "2.0.0.1");
        ascending(S, "31.1-android", "31.1-jre"); // unknown qualifiers alphabetically, after the release
        ascending(S, "1.0", "1.0-1", "1.0.1");
    }

    @Test
    void canonicalFormIsTheEqualityKey() {
        assertThat(MavenVersion.parse("1.0.0-GA").canonical()).isEqualTo(MavenVersion.parse("1").canonical());
        assertThat(MavenVersion.parse("1.0.0-GA")).isEqualTo(MavenVersion.parse("1"))
                .hasSameHashCodeAs(MavenVersion.parse("1")).hasToString("1.0.0-GA");
    }

    /**
     * ComparableVersion, the reference, is not transitive on some unusual shapes; these cycles document what it
     * does (maven-artifact 3.9.11) and why the property test keeps to realistic versions.
     */
    @Test
    void referenceCyclesOnUnusualShapes() {
        cycle("0.1.ga", "0.1.ga.1", "0.1.ga-SNAPSHOT");
        cycle("0", "alphaalpha", "0.alpha");
        cycle("1", "1.a.0", "1.alpha");
    }

    private static void cycle(String a, String b, String c) {
        assertThat(MavenVersion.compare(a, b)).isNegative();
        assertThat(MavenVersion.compare(b, c)).isNegative();
        assertThat(MavenVersion.compare(c, a)).isNegative();
    }

    @Test
    void onlyEmptyOrSpacedVersionsAreRefused() {
        assertThatThrownBy(() -> MavenVersion.parse("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a valid Maven version '': empty");
        assertThatThrownBy(() -> MavenVersion.parse("1.0 beta")).hasMessageContaining("whitespace");
        assertThat(MavenVersion.isValid("r03")).isTrue();
        assertThat(MavenVersion.isValid(null)).isFalse();
    }
}
