package dev.bulwark.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.match.version.Scheme;
import dev.bulwark.model.AffectedPackage;
import dev.bulwark.model.AffectedRange;
import dev.bulwark.model.AffectedRange.Event;
import dev.bulwark.model.AffectedRange.EventKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** OSV range evaluation, as the OSV specification defines it. */
class AffectedCheckTest {
    private static AffectedPackage semver(Event... events) {
        return new AffectedPackage("npm", "p", List.of(new AffectedRange(AffectedRange.Type.SEMVER, List.of(events))),
                List.of(), null, null, Map.of());
    }

    private static Event e(EventKind k, String v) {
        return new Event(k, v);
    }

    private static boolean affected(AffectedPackage ap, String v) {
        return AffectedCheck.check(ap, v, Scheme.SEMVER).affected();
    }

    @Test
    void introducedFixedPairsInAnyOrder() {
        // events may come unsorted: the spec sorts them
        AffectedPackage ap = semver(e(EventKind.INTRODUCED, "2.0.0"), e(EventKind.FIXED, "2.3.0"),
                e(EventKind.INTRODUCED, "0"), e(EventKind.FIXED, "1.5.0"));
        assertThat(affected(ap, "0.1.0")).isTrue();
        assertThat(affected(ap, "1.5.0")).isFalse();
        assertThat(affected(ap, "1.9.9")).isFalse();
        assertThat(affected(ap, "2.0.0")).isTrue();
        assertThat(affected(ap, "2.3.0")).isFalse();
        assertThat(AffectedCheck.check(ap, "2.1.0", Scheme.SEMVER).fixed()).containsExactly("2.3.0");
        assertThat(AffectedCheck.check(ap, "1.0.0", Scheme.SEMVER).fixed()).containsExactly("1.5.0");
    }

    @Test
    void lastAffectedIsInclusiveAndLimitEndsTheRange() {
        AffectedPackage last = semver(e(EventKind.INTRODUCED, "1.0.0"), e(EventKind.LAST_AFFECTED, "1.4.0"));
        assertThat(affected(last, "1.4.0")).isTrue();
        assertThat(affected(last, "1.4.1")).isFalse();
        assertThat(affected(last, "0.9.0")).isFalse();
        assertThat(AffectedCheck.check(last, "1.2.0", Scheme.SEMVER).fixed()).isEmpty();
        AffectedPackage limited = semver(e(EventKind.INTRODUCED, "0"), e(EventKind.LIMIT, "3.0.0"));
        assertThat(affected(limited, "2.9.9")).isTrue();
        assertThat(affected(limited, "3.0.0")).isFalse();
        assertThat(affected(limited, "4.0.0")).isFalse();
    }

    @Test
    void explicitVersionsAndStatuses() {
        AffectedPackage listed = new AffectedPackage("PyPI", "p", List.of(), List.of("1.0", "1.1"), null, null, Map.of());
        assertThat(AffectedCheck.check(listed, "1.1", Scheme.PEP440).affected()).isTrue();
        assertThat(AffectedCheck.check(listed, "1.1.0", Scheme.PEP440).affected()).as("1.1.0 == 1.1 in PEP 440").isTrue();
        assertThat(AffectedCheck.check(listed, "1.2", Scheme.PEP440).affected()).isFalse();
        AffectedPackage notAffected = new AffectedPackage("Debian:12", "zlib", List.of(), List.of(), "not-affected", null, Map.of());
        assertThat(AffectedCheck.check(notAffected, "1:1.2.13.dfsg-1", Scheme.DPKG).affected()).isFalse();
        AffectedPackage unfixed = new AffectedPackage("Debian:12", "zlib", List.of(), List.of(), "unfixed", null, Map.of());
        assertThat(AffectedCheck.check(unfixed, "1:1.2.13.dfsg-1", Scheme.DPKG).affected()).isTrue();
    }

    @Test
    void gitRangesAreNotGuessedAndBadVersionsAreReported() {
        AffectedPackage git = new AffectedPackage("npm", "p", List.of(new AffectedRange(AffectedRange.Type.GIT,
                List.of(e(EventKind.INTRODUCED, "0"), e(EventKind.FIXED, "abc123")))), List.of(), null, null, Map.of());
        assertThat(affected(git, "1.0.0")).isFalse();
        AffectedCheck.Verdict bad = AffectedCheck.check(semver(e(EventKind.INTRODUCED, "0"), e(EventKind.FIXED, "not a version")),
                "1.0.0", Scheme.SEMVER);
        assertThat(bad.unparsable()).isNotNull();
    }

    @Test
    void cargoRequirementsBecomeNpmRanges() {
        assertThat(AffectedCheck.cargoToNpm(">= 0.6.14, < 1.0.0")).isEqualTo(">=0.6.14 <1.0.0");
        assertThat(AffectedCheck.cargoToNpm("1.2.3")).isEqualTo("^1.2.3");
        assertThat(AffectedCheck.cargoToNpm("^0.3")).isEqualTo("^0.3");
    }

    /**
     * For random single-range event lists, the verdict equals a brute-force reading of the range: the version is
     * affected exactly when, among introduced/fixed/last_affected events at or below it (sorted), the last one
     * opens the range (introduced at or below, last_affected at or above).
     */
    @Property
    void agreesWithADirectReadingOfSortedEvents(@ForAll @IntRange(min = 0, max = 30) int a, @ForAll @IntRange(min = 0, max = 30) int b,
                                               @ForAll @IntRange(min = 0, max = 30) int c, @ForAll @IntRange(min = 0, max = 30) int v) {
        int lo = Math.min(a, Math.min(b, c)), hi = Math.max(a, Math.max(b, c)), mid = a + b + c - lo - hi;
        // introduced lo, fixed mid, introduced mid+? : keep two disjoint ranges [lo, mid) and [hi, inf)
        List<Event> events = new ArrayList<>(List.of(e(EventKind.FIXED, ver(mid)), e(EventKind.INTRODUCED, ver(hi)),
                e(EventKind.INTRODUCED, ver(lo))));
        AffectedPackage ap = semver(events.toArray(Event[]::new));
        boolean expected = (v >= lo && v < mid) || v >= hi && !(hi < mid);
        if (hi == mid) expected = v >= lo && v < mid || v >= hi && hi != mid;
        boolean direct = direct(lo, mid, hi, v);
        assertThat(affected(ap, ver(v))).isEqualTo(direct);
    }

    /** Sorted walk, ties broken introduced before fixed, as the implementation documents. */
    private static boolean direct(int introducedA, int fixed, int introducedB, int v) {
        record Ev(int at, boolean opens, int order) {
        }
        List<Ev> evs = new ArrayList<>(List.of(new Ev(introducedA, true, 0), new Ev(introducedB, true, 0), new Ev(fixed, false, 2)));
        evs.sort((x, y) -> x.at() != y.at() ? Integer.compare(x.at(), y.at()) : Integer.compare(x.order(), y.order()));
        boolean affected = false;
        for (Ev ev : evs) if (ev.at() <= v) affected = ev.opens();
        return affected;
    }

    private static String ver(int n) {
        return "1." + n + ".0";
    }
}
