package dev.bulwark.match.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A RubyGems version, ordered as {@code Gem::Version#<=>}.
 *
 * <p>Form (Gem::Version's pattern): a number, then dot-separated parts of letters and digits, then optionally a
 * hyphen and dot-separated parts of letters, digits and hyphens; surrounding whitespace is ignored. A hyphen reads
 * as {@code .pre.}, so {@code 1.0-rc1} is {@code 1.0.pre.rc1}. RubyGems reads an empty string as "0"; this class
 * refuses it.
 *
 * <p>Order: the version is cut into segments, each a run of digits (a number) or of letters (a string), so
 * {@code 1.0.a10} is {@code 1, 0, "a", 10}. Any string segment makes it a pre-release, and a string sorts before
 * any number in the same position: {@code 0.9 < 1.0.a.2 < 1.0.b1 < 1.0}. Trailing zeros of the numeric part before
 * the first string, and of the rest, are dropped ({@code 1.0.0 == 1}, {@code 1.0.a == 1.a}); a missing segment
 * counts as 0; strings compare by character codes.
 */
public final class GemVersion implements Comparable<GemVersion> {
    private static final Pattern FORM = Pattern.compile(
            "\\s*[0-9]+(?:\\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?\\s*");
    private static final Pattern SEGMENT = Pattern.compile("[0-9]+|[a-zA-Z]+");

    private final String text;
    /** Canonical segments: BigInteger or String. */
    private final List<Object> segments;

    private GemVersion(String text, List<Object> segments) {
        this.text = text;
        this.segments = segments;
    }

    /**
     * Parses a version.
     *
     * @throws IllegalArgumentException if it is not a RubyGems version
     */
    public static GemVersion parse(String version) {
        Objects.requireNonNull(version, "version");
        if (!FORM.matcher(version).matches()) {
            throw new IllegalArgumentException("not a valid RubyGems version " + Digits.quote(version));
        }
        String v = version.strip().replace("-", ".pre.");
        List<Object> all = new ArrayList<>();
        var m = SEGMENT.matcher(v);
        while (m.find()) {
            String s = m.group();
            all.add(Digits.isDigit(s.charAt(0)) ? new BigInteger(s) : s);
        }
        int firstString = 0;
        while (firstString < all.size() && all.get(firstString) instanceof BigInteger) {
            firstString++;
        }
        List<Object> canonical = new ArrayList<>(dropTrailingZeros(all.subList(0, firstString)));
        canonical.addAll(dropTrailingZeros(all.subList(firstString, all.size())));
        return new GemVersion(version, List.copyOf(canonical));
    }

    private static List<Object> dropTrailingZeros(List<Object> segs) {
        int end = segs.size();
        while (end > 0 && BigInteger.ZERO.equals(segs.get(end - 1))) {
            end--;
        }
        return segs.subList(0, end);
    }

    /** True when {@link #parse} accepts {@code version}. */
    public static boolean isValid(String version) {
        return version != null && FORM.matcher(version).matches();
    }

    /** Compares two version strings; see the class comment. */
    public static int compare(String a, String b) {
        return CACHE.parse(a).compareTo(CACHE.parse(b));
    }

    private static final ParseCache<GemVersion> CACHE = new ParseCache<>(GemVersion::parse);

    /** True when any segment has letters. */
    public boolean isPrerelease() {
        return segments.stream().anyMatch(s -> s instanceof String);
    }

    @Override
    public int compareTo(GemVersion o) {
        for (int k = 0; k < Math.max(segments.size(), o.segments.size()); k++) {
            Object a = k < segments.size() ? segments.get(k) : BigInteger.ZERO;
            Object b = k < o.segments.size() ? o.segments.get(k) : BigInteger.ZERO;
            int c;
            if (a instanceof BigInteger x && b instanceof BigInteger y) {
                c = x.compareTo(y);
            } else if (a instanceof String x && b instanceof String y) {
                c = x.compareTo(y);
            } else {
                c = a instanceof String ? -1 : 1;
            }
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GemVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }

    /** The text this version was parsed from. */
    @Override
    public String toString() {
        return text;
    }
}
