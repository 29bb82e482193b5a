package dev.bulwark.match.version;

import java.util.Objects;
import org.apache.maven.artifact.versioning.ComparableVersion;

/**
 * A Maven version, ordered by Maven's own {@link ComparableVersion} (maven-artifact), which is what Maven uses to
 * pick the newest version and so the reference ordering: {@code 1.0-alpha-1 < 1.0-beta < 1.0-milestone < 1.0-rc
 * < 1.0-SNAPSHOT < 1.0 = 1.0.0 = 1.0-ga < 1.0-sp < 1.0.1}, unknown qualifiers after the known ones, alphabetically.
 *
 * <p>Maven accepts any string as a version; this class only refuses the empty string and strings with whitespace or
 * control characters, which no repository serves.
 */
public final class MavenVersion implements Comparable<MavenVersion> {
    private final String text;
    private final ComparableVersion version;

    private MavenVersion(String text) {
        this.text = text;
        this.version = new ComparableVersion(text);
    }

    /**
     * Parses a version.
     *
     * @throws IllegalArgumentException if it is empty or contains whitespace or control characters
     */
    public static MavenVersion parse(String version) {
        Objects.requireNonNull(version, "version");
        if (version.isEmpty()) {
            throw new IllegalArgumentException("not a valid Maven version '': empty");
        }
        for (int i = 0; i < version.length(); i++) {
            char c = version.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                throw new IllegalArgumentException("not a valid Maven version " + Digits.quote(version)
                        + ": whitespace or control character at offset " + i);
            }
        }
        return new MavenVersion(version);
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

    /** Compares two version strings with {@link ComparableVersion}. */
    public static int compare(String a, String b) {
        return CACHE.parse(a).compareTo(CACHE.parse(b));
    }

    private static final ParseCache<MavenVersion> CACHE = new ParseCache<>(MavenVersion::parse);

    /** ComparableVersion's canonical form: equal exactly for versions that compare equal ("1.0.0" → "1"). */
    public String canonical() {
        return version.getCanonical();
    }

    @Override
    public int compareTo(MavenVersion o) {
        return Integer.signum(version.compareTo(o.version));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MavenVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return version.getCanonical().hashCode();
    }

    /** The text this version was parsed from. */
    @Override
    public String toString() {
        return text;
    }
}
