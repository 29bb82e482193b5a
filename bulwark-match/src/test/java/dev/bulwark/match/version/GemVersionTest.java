package dev.bulwark.match.version;

import static dev.bulwark.match.version.OrderingAssert.ascending;
import static dev.bulwark.match.version.OrderingAssert.equal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GemVersionTest {
    private static final Scheme S = Scheme.GEM;

    @Test
    void prereleasesSortBeforeTheirRelease() {
        // Gem::Version's documentation: 0.9 < 1.0.a.2 < 1.0.b1 < 1.0
        ascending(S, "0.9", "1.0.a.2", "1.0.b1", "1.0");
        // letters and digits in one part split into segments: 1.0.a10 is 1.0.a.10, above 1.0.a9
        ascending(S, "1.0.a9", "1.0.a10", "1.0.b");
        equal(S, "1.0.a10", "1.0.a.10");
        ascending(S, "1.0.0.rc1", "1.0.0.rc2", "1.0.0");
    }

    @Test
    void hyphenMeansPre() {
        equal(S, "1.0-rc1", "1.0.pre.rc1");
        ascending(S, "1.0-1", "1.0");
    }

    @Test
    void trailingZerosDoNotCount() {
        equal(S, "1", "1.0", "1.0.0", " 1.0 ");
        equal(S, "1.0.a", "1.a", "1.a.0");
        ascending(S, "1.9", "1.10", "1.10.1", "2");
    }

    @Test
    void invalidVersionsAreRefused() {
        for (String bad : new String[] {"", " ", "a1", "1.0.", "1..0", "1.0-", "1_0", "1.0 1", ".1", "-1", "1.0+b"}) {
            assertThat(GemVersion.isValid(bad)).as(bad).isFalse();
        }
        assertThatThrownBy(() -> GemVersion.parse("1..0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a valid RubyGems version '1..0'");
        assertThat(GemVersion.parse("1.0.b1").isPrerelease()).isTrue();
        assertThat(GemVersion.parse("1.0.1").isPrerelease()).isFalse();
    }
}
