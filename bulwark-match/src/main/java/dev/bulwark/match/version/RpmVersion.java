package dev.bulwark.match.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An RPM {@code [epoch:]version[-release]}, ordered by epoch, then version, then release with rpm's
 * {@code rpmvercmp} (rpm 4.15 and later, which added the caret).
 *
 * <p>{@code rpmvercmp} reads a string as segments: runs of digits, runs of ASCII letters, and the single characters
 * {@code ~} and {@code ^}; every other character only separates segments. Segments are compared in turn:
 * <ul>
 *   <li>a tilde sorts before anything, even the end of the string ({@code 1.0~rc1 < 1.0});</li>
 *   <li>a caret sorts after the end but before anything else ({@code 1.0 < 1.0^post1 < 1.0.1});</li>
 *   <li>a number sorts after letters; numbers compare numerically, letters by ASCII;</li>
 *   <li>when one string runs out first, the other one is newer (unless what is left starts with a tilde).</li>
 * </ul>
 * So {@code 1.0}, {@code 1_0} and {@code 1.0.} are equal, as they are to rpm.
 *
 * <p>The epoch is the leading decimal digits before a colon (absent means 0); the release is what follows the
 * last hyphen. When the versions tie, a version without a release sorts before every version with one, even
 * {@code 1.0-~}: that is what {@code rpm.vercmp} does, and it keeps the order total (rpm's dependency matching
 * instead treats a missing release as "any release", which is not an order).
 *
 * <p>Valid: version and release non-empty and made of ASCII letters, digits and {@code . _ + ~ ^} (the characters
 * rpmbuild allows in Version and Release); epoch, when present, decimal digits.
 */
public final class RpmVersion implements Comparable<RpmVersion> {
    private final String text;
    private final String epoch;
    private final String version;
    private final String release;
    private final List<String> versionSegments;
    private final List<String> releaseSegments;

    private RpmVersion(String text, String epoch, String version, String release) {
        this.text = text;
        this.epoch = epoch;
        this.version = version;
        this.release = release;
        this.versionSegments = segments(version);
        this.releaseSegments = segments(release);
    }

    /**
     * Parses an EVR string.
     *
     * @throws IllegalArgumentException if it breaks the rules in the class comment
     */
    public static RpmVersion parse(String evr) {
        Objects.requireNonNull(evr, "evr");
        int colon = evr.indexOf(':');
        String epoch = "0";
        String rest = evr;
        if (colon >= 0) {
            epoch = evr.substring(0, colon);
            rest = evr.substring(colon + 1);
            if (!Digits.allDigits(epoch)) {
                throw invalid(evr, "epoch must be a decimal number");
            }
        }
        int hyphen = rest.lastIndexOf('-');
        String version = hyphen < 0 ? rest : rest.substring(0, hyphen);
        String release = hyphen < 0 ? "" : rest.substring(hyphen + 1);
        checkPart(evr, "version", version);
        if (hyphen >= 0) {
            checkPart(evr, "release", release);
        }
        return new RpmVersion(evr, epoch, version, release);
    }

    private static void checkPart(String evr, String what, String part) {
        if (part.isEmpty()) {
            throw invalid(evr, what + " is empty");
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (!Digits.isDigit(c) && !Digits.isLetter(c) && ".+_~^".indexOf(c) < 0) {
                throw invalid(evr, "invalid character '" + c + "' in " + what);
            }
        }
    }

    private static IllegalArgumentException invalid(String evr, String why) {
        return new IllegalArgumentException("not a valid rpm version " + Digits.quote(evr) + ": " + why);
    }

    /** True when {@link #parse} accepts {@code evr}. */
    public static boolean isValid(String evr) {
        if (evr == null) {
            return false;
        }
        try {
            parse(evr);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Compares two EVR strings; see the class comment. */
    public static int compare(String a, String b) {
        return CACHE.parse(a).compareTo(CACHE.parse(b));
    }

    private static final ParseCache<RpmVersion> CACHE = new ParseCache<>(RpmVersion::parse);

    /** rpm's {@code rpmvercmp} on two bare version (or release) strings, which need not be valid EVRs. */
    public static int vercmp(String a, String b) {
        return compareSegments(segments(a), segments(b));
    }

    /** The epoch digits as written, "0" when absent. */
    public String epoch() {
        return epoch;
    }

    public String version() {
        return version;
    }

    /** The release, empty when absent. */
    public String release() {
        return release;
    }

    @Override
    public int compareTo(RpmVersion o) {
        int c = Digits.compare(epoch, o.epoch);
        if (c == 0) {
            c = compareSegments(versionSegments, o.versionSegments);
        }
        if (c == 0) {
            c = release.isEmpty() || o.release.isEmpty()
                    ? Boolean.compare(!release.isEmpty(), !o.release.isEmpty())
                    : compareSegments(releaseSegments, o.releaseSegments);
        }
        return Integer.signum(c);
    }

    /**
     * Splits into rpmvercmp's segments: "~", "^", a digit run without leading zeros, or a letter run; separators
     * are dropped since they only delimit.
     */
    private static List<String> segments(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '~' || c == '^') {
                out.add(String.valueOf(c));
                i++;
            } else if (Digits.isDigit(c)) {
                int start = i;
                while (i < s.length() && Digits.isDigit(s.charAt(i))) {
                    i++;
                }
                out.add(Digits.strip(s.substring(start, i)));
            } else if (Digits.isLetter(c)) {
                int start = i;
                while (i < s.length() && Digits.isLetter(s.charAt(i))) {
                    i++;
                }
                out.add(s.substring(start, i));
            } else {
                i++;
            }
        }
        return out;
    }

    /** Lexicographic on segments, with the end of a list ranked between "~" and "^". */
    private static int compareSegments(List<String> a, List<String> b) {
        for (int k = 0; k < Math.max(a.size(), b.size()); k++) {
            int c = Integer.compare(rank(a, k), rank(b, k));
            if (c != 0) {
                return c;
            }
            if (rank(a, k) == NUMBER) {
                c = Digits.compare(a.get(k), b.get(k));
            } else if (rank(a, k) == LETTERS) {
                c = a.get(k).compareTo(b.get(k));
            }
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return 0;
    }

    private static final int TILDE = 0;
    private static final int END = 1;
    private static final int CARET = 2;
    private static final int LETTERS = 3;
    private static final int NUMBER = 4;

    private static int rank(List<String> segs, int k) {
        if (k >= segs.size()) {
            return END;
        }
        char c = segs.get(k).charAt(0);
        return c == '~' ? TILDE : c == '^' ? CARET : Digits.isDigit(c) ? NUMBER : LETTERS;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RpmVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Digits.strip(epoch), versionSegments, release.isEmpty(), releaseSegments);
    }

    /** The text this version was parsed from. */
    @Override
    public String toString() {
        return text;
    }
}
