package dev.bulwark.match.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An Alpine package version, {@code number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}} as apk-package(5)
 * defines it, e.g. {@code 1.2.3}, {@code 2.3.0b-r1}, {@code 3.9_pre20060124}, {@code 1.0_alpha_pre2},
 * {@code 1.36.1-r30}; ordered as apk-tools 3 ({@code apk version -t}) orders them.
 *
 * <p>A version reads as a sequence of parts, compared one by one: the numbers, the letter, each suffix and its
 * number, the hash, the revision. Where both versions have the same kind of part, the values decide: numbers
 * numerically, letters a..z, suffixes in the order {@code alpha beta pre rc} &lt; {@code cvs svn git hg p}, suffix
 * and revision numbers numerically, hashes as strings. Where one version has a part the other lacks (or has
 * another kind of part there), the kinds decide, from low to high:
 * <pre>
 *   pre-release suffix (_alpha _beta _pre _rc)  &lt;  end of version  &lt;  -r revision  &lt;  ~hash
 *   &lt;  suffix number  &lt;  post-release suffix (_cvs _svn _git _hg _p)  &lt;  letter  &lt;  .number
 * </pre>
 * so {@code 1.0_rc1 < 1.0 < 1.0-r0 < 1.0~c0ffee < 1.0_p < 1.0a < 1.0.1}, {@code 1.2 < 1.2.1},
 * {@code 1.0_p < 1.0_p0 < 1.0_p_p}.
 *
 * <p>A number after the first that starts with 0 reads like a decimal fraction: when either of two such numbers has
 * a leading zero they compare as strings, so {@code 1.0 < 1.00 < 1.001 < 1.01 < 1.010 < 1.02 < 1.1}; the first
 * number is a plain integer ({@code 01.2 == 1.2}).
 *
 * <p>apk-tools 2 differs in two corners: it refuses {@code ~hash} and orders it otherwise, and it sorts
 * {@code 1.0} above {@code 1.00}. Validity is the documented format, as {@code apk version -c} of apk-tools 3
 * checks it. Numbers may be of any length ({@code _p20250503}).
 */
public final class ApkVersion implements Comparable<ApkVersion> {
    /** Suffix names in sort order; the first four are pre-releases. */
    private static final List<String> SUFFIXES = List.of("alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p");
    private static final int PRE_RELEASES = 4;

    /** Part kinds, in the order they sort in when two versions differ in kind at the same place. */
    private enum Kind { PRE_SUFFIX, END, REVISION, HASH, SUFFIX_NUMBER, POST_SUFFIX, LETTER, NUMBER }

    /**
     * One part and its value: digits for numbers (without leading zeros, except in a {@code fraction}: a number
     * after the first that starts with 0), the letter, the hash, or the suffix's rank as a digit.
     */
    private record Part(Kind kind, String value, boolean fraction) {
        int compareTo(Part o) {
            int c = kind.compareTo(o.kind);
            if (c != 0 || kind == Kind.END) {
                return c;
            }
            return switch (kind) {
                case NUMBER -> fraction || o.fraction ? value.compareTo(o.value) : Digits.compare(value, o.value);
                case LETTER, HASH -> value.compareTo(o.value);
                default -> Digits.compare(value, o.value);
            };
        }
    }

    private static final Part END = new Part(Kind.END, "", false);

    private final String text;
    private final List<Part> parts;
    private final String hash;
    private final String revision;

    private ApkVersion(String text, List<Part> parts, String hash, String revision) {
        this.text = text;
        this.parts = List.copyOf(parts);
        this.hash = hash;
        this.revision = revision;
    }

    /**
     * Parses a version.
     *
     * @throws IllegalArgumentException if it does not follow the format in the class comment
     */
    public static ApkVersion parse(String version) {
        Objects.requireNonNull(version, "version");
        Cursor in = new Cursor(version);
        List<Part> parts = new ArrayList<>();
        parts.add(new Part(Kind.NUMBER, Digits.strip(in.digits("the version must start with a number")), false));
        while (in.peek() == '.') {
            in.pos++;
            String n = in.digits("expected a number after '.'");
            parts.add(new Part(Kind.NUMBER, n, n.startsWith("0")));
        }
        if (in.peek() >= 'a' && in.peek() <= 'z') {
            parts.add(new Part(Kind.LETTER, String.valueOf(in.peek()), false));
            in.pos++;
        }
        while (in.peek() == '_') {
            in.pos++;
            int rank = -1;
            for (int i = 0; i < SUFFIXES.size(); i++) {
                // "pre" before "p": take the longest name that matches
                if (version.startsWith(SUFFIXES.get(i), in.pos)
                        && (rank < 0 || SUFFIXES.get(i).length() > SUFFIXES.get(rank).length())) {
                    rank = i;
                }
            }
            if (rank < 0) {
                throw in.error("unknown suffix after '_' (expected alpha, beta, pre, rc, cvs, svn, git, hg or p)");
            }
            in.pos += SUFFIXES.get(rank).length();
            parts.add(new Part(rank < PRE_RELEASES ? Kind.PRE_SUFFIX : Kind.POST_SUFFIX,
                    String.valueOf((char) ('0' + rank)), false));
            String n = in.optionalDigits();
            if (!n.isEmpty()) {
                parts.add(new Part(Kind.SUFFIX_NUMBER, Digits.strip(n), false));
            }
        }
        String hash = "";
        if (in.peek() == '~') {
            in.pos++;
            int start = in.pos;
            while (Digits.isDigit(in.peek()) || (in.peek() >= 'a' && in.peek() <= 'f')) {
                in.pos++;
            }
            if (start == in.pos) {
                throw in.error("expected lower-case hex digits after '~'");
            }
            hash = version.substring(start, in.pos);
            parts.add(new Part(Kind.HASH, hash, false));
        }
        String revision = "";
        if (in.peek() == '-') {
            in.pos++;
            if (in.peek() != 'r') {
                throw in.error("expected 'r' after '-'");
            }
            in.pos++;
            revision = in.digits("expected a number after '-r'");
            parts.add(new Part(Kind.REVISION, Digits.strip(revision), false));
        }
        if (in.pos != version.length()) {
            throw in.error("unexpected '" + version.charAt(in.pos) + "'");
        }
        return new ApkVersion(version, parts, hash, revision);
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

    /** Compares two version strings; see the class comment. */
    public static int compare(String a, String b) {
        return CACHE.parse(a).compareTo(CACHE.parse(b));
    }

    private static final ParseCache<ApkVersion> CACHE = new ParseCache<>(ApkVersion::parse);

    /** The commit hash after {@code ~}, empty when absent. */
    public String hash() {
        return hash;
    }

    /** The number after {@code -r}, empty when absent. */
    public String revision() {
        return revision;
    }

    @Override
    public int compareTo(ApkVersion o) {
        for (int k = 0; k < Math.max(parts.size(), o.parts.size()); k++) {
            Part a = k < parts.size() ? parts.get(k) : END;
            Part b = k < o.parts.size() ? o.parts.get(k) : END;
            int c = a.compareTo(b);
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApkVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return parts.hashCode();
    }

    /** The text this version was parsed from. */
    @Override
    public String toString() {
        return text;
    }

    /** A read position in the version being parsed. */
    private static final class Cursor {
        final String s;
        int pos;

        Cursor(String s) {
            this.s = s;
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        String digits(String missing) {
            String d = optionalDigits();
            if (d.isEmpty()) {
                throw error(missing);
            }
            return d;
        }

        String optionalDigits() {
            int start = pos;
            while (Digits.isDigit(peek())) {
                pos++;
            }
            return s.substring(start, pos);
        }

        IllegalArgumentException error(String why) {
            return new IllegalArgumentException(
                    "not a valid apk version " + Digits.quote(s) + " at offset " + pos + ": " + why);
        }
    }
}
