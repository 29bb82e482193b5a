package dev.bulwark.match.version;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Go module version: a semantic version with a leading {@code v} ({@code v1.2.3}, {@code v2.0.0+incompatible},
 * {@code v0.0.0-20191109021931-daa7c04131f5}), ordered by SemVer precedence, so build metadata such as
 * {@code +incompatible} does not count ({@code v2.0.0+incompatible == v2.0.0}).
 *
 * <p>The {@code v} may be left out, because OSV's Go ecosystem writes versions without it. As in Go's own semver
 * package, {@code v1} and {@code v1.2} are shorthands for {@code v1.0.0} and {@code v1.2.0}.
 *
 * <p>Pseudo-versions (Go module reference) name a commit: {@code vX.0.0-yyyymmddhhmmss-abcdefabcdef} when no tag
 * precedes it, {@code vX.Y.Z-pre.0.yyyymmddhhmmss-abcdefabcdef} after the pre-release tag {@code vX.Y.Z-pre}, and
 * {@code vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdefabcdef} after the release {@code vX.Y.Z}. They are ordinary
 * pre-releases, so plain SemVer precedence already puts them after their base tag and before the next tag, and
 * among themselves by commit time ({@code v1.2.3 < v1.2.4-0.20191109021931-daa7c04131f5 < v1.2.4-pre < v1.2.4}).
 */
public final class GoVersion implements Comparable<GoVersion> {
    private static final Pattern PSEUDO_TAIL = Pattern.compile("[0-9]{14}-[0-9a-f]{12}");

    private final String text;
    private final SemVer semver;

    private GoVersion(String text, SemVer semver) {
        this.text = text;
        this.semver = semver;
    }

    /**
     * Parses a version, with or without its {@code v}.
     *
     * @throws IllegalArgumentException if it is not a Go module version
     */
    public static GoVersion parse(String version) {
        Objects.requireNonNull(version, "version");
        String v = version.startsWith("v") ? version.substring(1) : version;
        // Expand the shorthands v1 and v1.2, which never carry a pre-release or build suffix.
        if (!v.isEmpty() && v.chars().allMatch(c -> c == '.' || Digits.isDigit((char) c))) {
            long dots = v.chars().filter(c -> c == '.').count();
            v = dots == 0 ? v + ".0.0" : dots == 1 ? v + ".0" : v;
        }
        try {
            return new GoVersion(version, SemVer.read(v));
        } catch (SemVer.Invalid e) {
            throw new IllegalArgumentException(
                    "not a valid Go module version " + Digits.quote(version) + ": " + e.getMessage());
        }
    }

    /** True when {@link #parse} accepts {@code version}. */
    public static boolean isValid(String version) {
        if (version == null) {
            return false;
        }
        try {
            parse(version);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Compares two version strings by SemVer precedence. */
    public static int compare(String a, String b) {
        return CACHE.parse(a).compareTo(CACHE.parse(b));
    }

    private static final ParseCache<GoVersion> CACHE = new ParseCache<>(GoVersion::parse);

    /** The version as a SemVer, without the {@code v}. */
    public SemVer semver() {
        return semver;
    }

    /** True for {@code +incompatible}: a v2+ tag of a module without a go.mod file. */
    public boolean isIncompatible() {
        return semver.build().equals(List.of("incompatible"));
    }

    /** True when this is one of the three pseudo-version forms. */
    public boolean isPseudo() {
        List<String> pre = semver.prerelease();
        if (pre.isEmpty() || !PSEUDO_TAIL.matcher(pre.get(pre.size() - 1)).matches()) {
            return false;
        }
        if (pre.size() == 1) {
            return semver.minor().signum() == 0 && semver.patch().signum() == 0;
        }
        return pre.get(pre.size() - 2).equals("0");
    }

    /** The commit time of a pseudo-version, {@code yyyymmddhhmmss} (UTC). */
    public String pseudoTimestamp() {
        return pseudoTail().substring(0, 14);
    }

    /** The 12-character revision prefix of a pseudo-version. */
    public String pseudoRevision() {
        return pseudoTail().substring(15);
    }

    private String pseudoTail() {
        if (!isPseudo()) {
            throw new IllegalStateException(text + " is not a pseudo-version");
        }
        return semver.prerelease().get(semver.prerelease().size() - 1);
    }

    @Override
    public int compareTo(GoVersion o) {
        return semver.compareTo(o.semver);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GoVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return semver.hashCode();
    }

    /** The text this version was parsed from. */
    @Override
    public String toString() {
        return text;
    }
}
