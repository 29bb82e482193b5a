package dev.bulwark.match.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Python package version per PEP 440: {@code [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]}, read with the
 * normalisations PEP 440 allows (case-insensitive; {@code alpha}, {@code beta}, {@code c}, {@code pre},
 * {@code preview} as {@code a b rc rc rc}; {@code rev} and {@code r} as {@code post}; {@code 1.0-1} as
 * {@code 1.0.post1}; separators {@code . - _} optional or interchangeable; a missing pre/post/dev number is 0;
 * leading zeros dropped; a leading {@code v} and surrounding whitespace ignored).
 *
 * <p>Order: epoch, then the release (trailing zeros ignored, {@code 1.0 == 1.0.0}), then pre-release
 * ({@code a < b < rc}), post-release and development release, then the local version:
 * {@code 1.0.dev1 < 1.0a1.dev1 < 1.0a1 < 1.0rc1 < 1.0 < 1.0+local < 1.0.post1.dev1 < 1.0.post1}. A
 * development release of a final release sorts before all its pre-releases. Local segments compare numerically when
 * all digits, otherwise as lower-case strings, and numbers sort above strings.
 */
public final class Pep440Version implements Comparable<Pep440Version> {
    // Written from PEP 440's "Normalization" section: each optional part may be preceded by a separator.
    private static final Pattern FORM = Pattern.compile(
            "\\s*v?"
                    + "(?:(?<epoch>[0-9]+)!)?"
                    + "(?<release>[0-9]+(?:\\.[0-9]+)*)"
                    + "(?:[-_.]?(?<pre>alpha|beta|preview|pre|rc|a|b|c)[-_.]?(?<preN>[0-9]+)?)?"
                    + "(?:-(?<postImplicit>[0-9]+)|[-_.]?(?<post>post|rev|r)[-_.]?(?<postN>[0-9]+)?)?"
                    + "(?:[-_.]?(?<dev>dev)[-_.]?(?<devN>[0-9]+)?)?"
                    + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?"
                    + "\\s*",
            Pattern.CASE_INSENSITIVE);

    private final String text;
    private final String epoch;
    private final List<String> release;
    private final String preKind; // "a", "b", "rc" or null
    private final String preNumber;
    private final String post; // null when absent
    private final String dev; // null when absent
    private final List<String> local; // empty when absent

    private Pep440Version(String text, String epoch, List<String> release, String preKind, String preNumber,
                          String post, String dev, List<String> local) {
        this.text = text;
        this.epoch = epoch;
        this.release = release;
        this.preKind = preKind;
        this.preNumber = preNumber;
        this.post = post;
        this.dev = dev;
        this.local = local;
    }

    /**
     * Parses a version, normalising as PEP 440 allows.
     *
     * @throws IllegalArgumentException if it is not a PEP 440 version
     */
    public static Pep440Version parse(String version) {
        Objects.requireNonNull(version, "version");
        Matcher m = FORM.matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a valid PEP 440 version " + Digits.quote(version));
        }
        String epoch = m.group("epoch") == null ? "0" : Digits.strip(m.group("epoch"));
        List<String> release = new ArrayList<>();
        for (String n : m.group("release").split("\\.")) {
            release.add(Digits.strip(n));
        }
        String preKind = null;
        String preNumber = null;
        if (m.group("pre") != null) {
            preKind = switch (m.group("pre").toLowerCase(Locale.ROOT)) {
                case "a", "alpha" -> "a";
                case "b", "beta" -> "b";
                default -> "rc";
            };
            preNumber = number(m.group("preN"));
        }
        String post = m.group("postImplicit") != null ? Digits.strip(m.group("postImplicit"))
                : m.group("post") != null ? number(m.group("postN")) : null;
        String dev = m.group("dev") != null ? number(m.group("devN")) : null;
        List<String> local = new ArrayList<>();
        if (m.group("local") != null) {
            for (String seg : m.group("local").toLowerCase(Locale.ROOT).split("[-_.]")) {
                local.add(Digits.allDigits(seg) ? Digits.strip(seg) : seg);
            }
        }
        return new Pep440Version(version, epoch, List.copyOf(release), preKind, preNumber, post, dev,
                List.copyOf(local));
    }

    private static String number(String digits) {
        return digits == null ? "0" : Digits.strip(digits);
    }

    private static final ParseCache<Pep440Version> CACHE = new ParseCache<>(Pep440Version::parse);

    /** True when {@link #parse} accepts {@code version}. */
    public static boolean isValid(String version) {
        return version != null && CACHE.isValid(version);
    }

    /** Compares two version strings; see the class comment. */
    public static int compare(String a, String b) {
        return CACHE.parse(Objects.requireNonNull(a, "a")).compareTo(CACHE.parse(Objects.requireNonNull(b, "b")));
    }

    public boolean isPrerelease() {
        return preKind != null || dev != null;
    }

    /** The normalised form PEP 440 prescribes, e.g. {@code "1.0-ALPHA_1"} gives {@code "1.0a1"}. */
    public String normalized() {
        StringBuilder s = new StringBuilder();
        if (!epoch.equals("0")) {
            s.append(epoch).append('!');
        }
        s.append(String.join(".", release));
        if (preKind != null) {
            s.append(preKind).append(preNumber);
        }
        if (post != null) {
            s.append(".post").append(post);
        }
        if (dev != null) {
            s.append(".dev").append(dev);
        }
        if (!local.isEmpty()) {
            s.append('+').append(String.join(".", local));
        }
        return s.toString();
    }

    @Override
    public int compareTo(Pep440Version o) {
        int c = Digits.compare(epoch, o.epoch);
        for (int k = 0; c == 0 && k < Math.max(release.size(), o.release.size()); k++) {
            c = Digits.compare(k < release.size() ? release.get(k) : "0", k < o.release.size() ? o.release.get(k) : "0");
        }
        if (c == 0) {
            c = comparePre(o);
        }
        if (c == 0) {
            c = compareOptional(post, o.post, -1); // no post-release sorts before any
        }
        if (c == 0) {
            c = compareOptional(dev, o.dev, 1); // no dev release sorts after any
        }
        if (c == 0) {
            c = compareLocal(local, o.local);
        }
        return Integer.signum(c);
    }

    /** Pre-release phase: a bare dev release sorts first, then a, b, rc by number, then no pre-release. */
    private int comparePre(Pep440Version o) {
        int c = Integer.compare(phase(), o.phase());
        if (c == 0 && preKind != null) {
            c = Digits.compare(preNumber, o.preNumber);
        }
        return c;
    }

    private int phase() {
        if (preKind == null) {
            return post == null && dev != null ? 0 : 4;
        }
        return switch (preKind) {
            case "a" -> 1;
            case "b" -> 2;
            default -> 3;
        };
    }

    /** Compares two optional numbers; {@code absent} is the sign of an absent one against a present one. */
    private static int compareOptional(String a, String b, int absent) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? absent : -absent;
        }
        return Digits.compare(a, b);
    }

    private static int compareLocal(List<String> a, List<String> b) {
        for (int k = 0; k < Math.min(a.size(), b.size()); k++) {
            String x = a.get(k);
            String y = b.get(k);
            boolean xn = Digits.allDigits(x);
            boolean yn = Digits.allDigits(y);
            int c = xn && yn ? Digits.compare(x, y) : xn != yn ? (xn ? 1 : -1) : x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pep440Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        List<String> trimmed = new ArrayList<>(release);
        while (trimmed.size() > 1 && trimmed.get(trimmed.size() - 1).equals("0")) {
            trimmed.remove(trimmed.size() - 1);
        }
        return Objects.hash(epoch, trimmed, preKind, preNumber, post, dev, local);
    }

    /** The text this version was parsed from; see {@link #normalized()}. */
    @Override
    public String toString() {
        return text;
    }
}
