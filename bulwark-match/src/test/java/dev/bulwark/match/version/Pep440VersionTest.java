package dev.bulwark.match.version;

import static dev.bulwark.match.version.OrderingAssert.ascending;
import static dev.bulwark.match.version.OrderingAssert.equal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Pep440VersionTest {
    private static final Scheme S = Scheme.PEP440;

    @Test
    void phasesOfARelease() {
        ascending(S, "1.0.dev1", "1.0a1", "1.0rc1", "1.0", "1.0.post1");
        // PEP 440's summary example, in its order
        ascending(S, "1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456",
                "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5",
                "1.0+abc.7", "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1");
    }

    @Test
    void epochsAndReleaseSegments() {
        ascending(S, "2013.10", "2014.04", "1!1.0", "1!1.1", "2!0.1");
        equal(S, "1.0", "1.0.0", "1", "0!1.0", "v1.0", " 1.0 ");
        ascending(S, "1.9", "1.10", "1.10.1");
    }

    @Test
    void localVersions() {
        ascending(S, "1.0", "1.0+a", "1.0+a.1", "1.0+b", "1.0+0", "1.0+1", "1.0+1.a");
        equal(S, "1.0+ubuntu-1", "1.0+ubuntu.1", "1.0+UBUNTU_1");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "1.0-ALPHA_1, 1.0a1", "1.0alpha1, 1.0a1", "1.0.beta.2, 1.0b2", "1.0c1, 1.0rc1", "1.0-pre1, 1.0rc1",
            "1.0preview2, 1.0rc2", "1.0a, 1.0a0", "1.0-1, 1.0.post1", "1.0.rev2, 1.0.post2", "1.0r, 1.0.post0",
            "1.0-post-3, 1.0.post3", "1.0-dev, 1.0.dev0", "1.0_DEV2, 1.0.dev2", "v01.002, 1.2", "0!1.0, 1.0",
            "01!1.0, 1!1.0", "1.0+Local-7_a, 1.0+local.7.a", "1.0+007, 1.0+7"})
    void normalisesAsPep440Says(String input, String normal) {
        assertThat(Pep440Version.parse(input).normalized()).isEqualTo(normal);
        assertThat(Pep440Version.compare(input, normal)).isZero();
    }

    @Test
    void invalidVersionsAreRefused() {
        for (String bad : new String[] {"", "a", "1.0.x", "1.0+", "1.0+a+b", "1!", "1.0-", "1.0.dev1.post1",
                "1.0.post1a1", "1.0ab", "1,0", "٣.0"}) {
            assertThat(Pep440Version.isValid(bad)).as(bad).isFalse();
        }
        assertThatThrownBy(() -> Pep440Version.parse("1.0.x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a valid PEP 440 version '1.0.x'");
        assertThat(Pep440Version.parse("1.0rc1").isPrerelease()).isTrue();
        assertThat(Pep440Version.parse("1.0.post1").isPrerelease()).isFalse();
    }
}
