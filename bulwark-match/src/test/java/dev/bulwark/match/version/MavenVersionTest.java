package dev.bulwark.match.version;

import static dev.bulwark.match.version.OrderingAssert.ascending;
import static dev.bulwark.match.version.OrderingAssert.equal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.maven.artifact.versioning.ComparableVersion;
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
     * ComparableVersion is not transitive on some shapes (maven-artifact 3.9.11): these cycles are Maven's. Bulwark's
     * order is total; on each triple it follows the comparisons with a missing item ("1-alpha" < "1" < "1-sp").
     */
    @Test
    void mavensCyclesBecomeAnOrder() {
        mavenCycle("1-alpha", "1", "1.M-1");
        mavenCycle("0.1.ga", "0.1.ga.1", "0.1.ga-SNAPSHOT");
        mavenCycle("1", "1.a.0", "1.alpha");
        mavenCycle("1.0-android-SNAPSHOT", "1.0.alpha.0-SNAPSHOT", "1.0-GA");
        // "1.M-1" keeps an unknown qualifier "m" after a dot: above the release, so above every pre-release of 1
        ascending(S, "1-alpha", "1", "1.M-1");
        ascending(S, "0.1.ga-SNAPSHOT", "0.1.ga", "0.1.ga.1");
        ascending(S, "1.alpha", "1", "1.a.0"); // a lone "a" is no alias of alpha: an unknown qualifier, above the release
    }

    /** Where Maven's kind rule and its missing-item rule agree, both hold: 1.0 < 1.0-SP1 < 1.0.0.1, 1-1 < 1.0.1. */
    @Test
    void kindOrderWhereItIsConsistent() {
        ascending(S, "1.0", "1.0-SP1", "1.0.0.1", "1.0.1");
        ascending(S, "1", "1-1", "1.0.1", "1.1");
        ascending(S, "1.0-alpha", "1.0.0.alpha1", "1.0");
    }

    private static void mavenCycle(String a, String b, String c) {
        int ab = new ComparableVersion(a).compareTo(new ComparableVersion(b));
        int bc = new ComparableVersion(b).compareTo(new ComparableVersion(c));
        int ca = new ComparableVersion(c).compareTo(new ComparableVersion(a));
        assertThat(List.of(Integer.signum(ab), Integer.signum(bc), Integer.signum(ca))).as("Maven on %s, %s, %s", a, b, c)
                .containsExactly(-1, -1, -1);
        int x = MavenVersion.compare(a, b);
        int y = MavenVersion.compare(b, c);
        int z = MavenVersion.compare(c, a);
        assertThat(x == y && y == z).as("Bulwark on %s, %s, %s: %d %d %d", a, b, c, x, y, z).isFalse();
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
