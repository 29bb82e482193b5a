package dev.bulwark.match.version;

import static dev.bulwark.match.version.OrderingAssert.ascending;
import static dev.bulwark.match.version.OrderingAssert.equal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GoVersionTest {
    private static final Scheme S = Scheme.GO;

    @Test
    void pseudoVersionsSortBetweenTheirBaseAndTheNextTag() {
        // vX.Y.(Z+1)-0.timestamp-rev: after v1.2.3, before any pre-release of v1.2.4
        ascending(S, "v1.2.3", "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4-0.20200101000000-0123456789ab",
                "v1.2.4-pre", "v1.2.4");
        // vX.Y.Z-pre.0.timestamp-rev: after v1.2.4-pre, before v1.2.4-pre.1 and v1.2.4
        ascending(S, "v1.2.4-pre", "v1.2.4-pre.0.20191109021931-daa7c04131f5", "v1.2.4-pre.1", "v1.2.4");
        // vX.0.0-timestamp-rev: no tag at all; below every v0.0.0 pre-release with letters and v0.0.1
        ascending(S, "v0.0.0-20180101000000-aaaaaaaaaaaa", "v0.0.0-20190101000000-000000000000", "v0.0.1");
    }

    @Test
    void incompatibleIsBuildMetadata() {
        equal(S, "v2.0.0+incompatible", "v2.0.0", "2.0.0");
        ascending(S, "v2.0.0+incompatible", "v2.0.1+incompatible", "v3.0.0+incompatible");
        assertThat(GoVersion.parse("v2.0.0+incompatible").isIncompatible()).isTrue();
        assertThat(GoVersion.parse("v2.0.0").isIncompatible()).isFalse();
    }

    @Test
    void vIsOptionalAndShorthandsExpand() {
        equal(S, "v1", "v1.0", "v1.0.0", "1.0.0");
        ascending(S, "0.9.0", "v1.2", "v1.2.1", "1.10.0");
        assertThat(GoVersion.parse("v1.2").semver()).hasToString("1.2.0");
    }

    @Test
    void recognisesThePseudoVersionForms() {
        GoVersion p = GoVersion.parse("v1.2.4-0.20191109021931-daa7c04131f5");
        assertThat(p.isPseudo()).isTrue();
        assertThat(p.pseudoTimestamp()).isEqualTo("20191109021931");
        assertThat(p.pseudoRevision()).isEqualTo("daa7c04131f5");
        assertThat(GoVersion.parse("v0.0.0-20191109021931-daa7c04131f5").isPseudo()).isTrue();
        assertThat(GoVersion.parse("v1.2.4-rc.1.0.20191109021931-daa7c04131f5").isPseudo()).isTrue();
        assertThat(GoVersion.parse("v2.0.0-20191109021931-daa7c04131f5+incompatible").isPseudo()).isTrue();
        assertThat(GoVersion.parse("v1.2.0-20191109021931-daa7c04131f5").isPseudo()).isFalse(); // not X.0.0
        assertThat(GoVersion.parse("v1.2.4-rc.1").isPseudo()).isFalse();
        assertThatThrownBy(() -> GoVersion.parse("v1.2.4").pseudoTimestamp()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void invalidVersionsAreRefused() {
        for (String bad : new String[] {"", "v", "vv1.0.0", "v1.0.0.0", "v01.0.0", "v1-pre", "v1.2-pre", "V1.0.0",
                "v1.0.0-", "latest", "v1.2.3-01"}) {
            assertThat(GoVersion.isValid(bad)).as(bad).isFalse();
        }
        assertThatThrownBy(() -> GoVersion.parse("v1.2-pre")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a valid Go module version 'v1.2-pre': expected MAJOR.MINOR.PATCH");
    }
}
