package dev.bulwark.match.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Checks that versions listed in ascending order compare that way pairwise, in both directions. */
final class OrderingAssert {
    private OrderingAssert() {
    }

    /** Each version is strictly less than every later one. */
    static void ascending(VersionScheme scheme, String... versions) {
        List<String> vs = List.of(versions);
        for (int i = 0; i < vs.size(); i++) {
            for (int j = i + 1; j < vs.size(); j++) {
                assertThat(scheme.compare(vs.get(i), vs.get(j))).as("%s < %s", vs.get(i), vs.get(j)).isNegative();
                assertThat(scheme.compare(vs.get(j), vs.get(i))).as("%s > %s", vs.get(j), vs.get(i)).isPositive();
            }
        }
    }

    /** All versions are equal to each other. */
    static void equal(VersionScheme scheme, String... versions) {
        for (String a : versions) {
            for (String b : versions) {
                assertThat(scheme.compare(a, b)).as("%s = %s", a, b).isZero();
            }
        }
    }
}
