package dev.bulwark.match.version;

import java.util.Objects;

/**
 * A Debian package version, {@code [epoch:]upstream_version[-debian_revision]}, ordered as Debian Policy §5.6.12
 * describes and {@code dpkg --compare-versions} implements.
 *
 * <p>Validity follows the Policy, which is stricter than dpkg (dpkg only warns about some of these):
 * <ul>
 *   <li>the epoch, when present, is decimal digits up to 2147483647 (dpkg's limit) before the first colon;</li>
 *   <li>the revision is whatever follows the last hyphen, non-empty, of alphanumerics and {@code + . ~};</li>
 *   <li>the upstream version starts with a digit and has only alphanumerics and {@code . + - ~} (no colon);</li>
 *   <li>no whitespace anywhere.</li>
 * </ul>
 * Ordering: epochs numerically, then the upstream versions, then the revisions (an absent revision is "0"). Each
 * part is compared as alternating non-digit and digit runs: non-digit runs character by character where a tilde
 * sorts before everything (even the end of the run), then the end, then letters, then all other characters by
 * ASCII; digit runs as numbers of any length.
 */
public final class DpkgVersion implements Comparable<DpkgVersion> {
    private final String text;
    private final int epoch;
    private final String upstream;
    private final String revision;

    private DpkgVersion(String text, int epoch, String upstream, String revision) {
        this.text = text;
        this.epoch = epoch;
        this.upstream = upstream;
        this.revision = revision;
    }

    /**
     * Parses a version.
     *
     * @throws IllegalArgumentException if {@code version} breaks the rules in the class comment
     */
    public static DpkgVersion parse(String version) {
        Objects.requireNonNull(version, "version");
        String error = check(version);
        if (error != null) {
            throw new IllegalArgumentException("not a valid dpkg version " + Digits.quote(version) + ": " + error);
        }
        int colon = version.indexOf(':');
        int epoch = colon < 0 ? 0 : Integer.parseInt(version.substring(0, colon));
        String rest = version.substring(colon + 1);
        int hyphen = rest.lastIndexOf('-');
        return hyphen < 0
                ? new DpkgVersion(version, epoch, rest, "")
                : new DpkgVersion(version, epoch, rest.substring(0, hyphen), rest.substring(hyphen + 1));
    }

    /** True when {@link #parse} accepts {@code version}. */
    public static boolean isValid(String version) {
        return version != null && check(version) == null;
    }

    /** Compares two version strings; see the class comment. */
    public static int compare(String a, String b) {
        return CACHE.parse(a).compareTo(CACHE.parse(b));
    }

    private static final ParseCache<DpkgVersion> CACHE = new ParseCache<>(DpkgVersion::parse);

    /** Why {@code v} is not a valid version, or null when it is. */
    private static String check(String v) {
        if (v.isEmpty()) {
            return "empty";
        }
        int colon = v.indexOf(':');
        if (colon >= 0) {
            String epoch = v.substring(0, colon);
            if (!Digits.allDigits(epoch)) {
                return "epoch must be a decimal number";
            }
            // dpkg stores the epoch in an int and refuses anything larger
            if (Digits.compare(epoch, String.valueOf(Integer.MAX_VALUE)) > 0) {
                return "epoch is too big";
            }
        }
        String rest = v.substring(colon + 1);
        int hyphen = rest.lastIndexOf('-');
        String upstream = hyphen < 0 ? rest : rest.substring(0, hyphen);
        if (hyphen >= 0) {
            String revision = rest.substring(hyphen + 1);
            if (revision.isEmpty()) {
                return "revision is empty";
            }
            for (int i = 0; i < revision.length(); i++) {
                char c = revision.charAt(i);
                if (!Digits.isDigit(c) && !Digits.isLetter(c) && c != '+' && c != '.' && c != '~') {
                    return "invalid character '" + c + "' in revision";
                }
            }
        }
        if (upstream.isEmpty()) {
            return "upstream version is empty";
        }
        if (!Digits.isDigit(upstream.charAt(0))) {
            return "upstream version must start with a digit";
        }
        for (int i = 0; i < upstream.length(); i++) {
            char c = upstream.charAt(i);
            if (!Digits.isDigit(c) && !Digits.isLetter(c) && c != '.' && c != '+' && c != '-' && c != '~') {
                return "invalid character '" + c + "' in upstream version";
            }
        }
        return null;
    }

    public int epoch() {
        return epoch;
    }

    public String upstream() {
        return upstream;
    }

    /** The Debian revision, empty when the version has none. */
    public String revision() {
        return revision;
    }

    @Override
    public int compareTo(DpkgVersion o) {
        int c = Integer.compare(epoch, o.epoch);
        if (c == 0) {
            c = compareParts(upstream, o.upstream);
        }
        if (c == 0) {
            c = compareParts(revision, o.revision);
        }
        return Integer.signum(c);
    }

    /** Policy's comparison of two upstream versions or two revisions. */
    static int compareParts(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            // Non-digit runs, a character at a time. A digit or the end of a part weighs 0, so a run that stops
            // early sorts before letters and symbols but after a tilde.
            while ((i < a.length() && !Digits.isDigit(a.charAt(i))) || (j < b.length() && !Digits.isDigit(b.charAt(j)))) {
                int wa = weight(a, i);
                int wb = weight(b, j);
                if (wa != wb) {
                    return Integer.compare(wa, wb);
                }
                i++;
                j++;
            }
            int ai = i;
            int bj = j;
            while (i < a.length() && Digits.isDigit(a.charAt(i))) {
                i++;
            }
            while (j < b.length() && Digits.isDigit(b.charAt(j))) {
                j++;
            }
            int c = Digits.compare(a, ai, i, b, bj, j);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Sort weight of the character at {@code i}: tilde lowest, then digit or end, then letters, then the rest. */
    private static int weight(String s, int i) {
        if (i >= s.length()) {
            return 0;
        }
        char c = s.charAt(i);
        if (Digits.isDigit(c)) {
            return 0;
        }
        if (Digits.isLetter(c)) {
            return c;
        }
        return c == '~' ? -1 : c + 256;
    }

    /**
     * A form equal for exactly the versions that compare equal: numbers without leading zeros, an absent digit
     * run written as 0, and trailing zero runs (which weigh the same as the end) dropped.
     */
    private static String canonical(String part) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < part.length()) {
            int start = i;
            while (i < part.length() && !Digits.isDigit(part.charAt(i))) {
                i++;
            }
            String letters = part.substring(start, i);
            start = i;
            while (i < part.length() && Digits.isDigit(part.charAt(i))) {
                i++;
            }
            out.append(letters).append('#').append(Digits.strip(part.substring(start, i))).append('|');
        }
        // Only the first run can lack a non-digit prefix, so a lone "#0|" is the only zero run that can vanish.
        String s = out.toString();
        return s.equals("#0|") ? "" : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DpkgVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, canonical(upstream), canonical(revision));
    }

    /** The text this version was parsed from. */
    @Override
    public String toString() {
        return text;
    }
}
