package dev.bulwark.match.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Semantic Versioning 2.0.0 version, {@code MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]}, parsed by the grammar at
 * semver.org: numbers without leading zeros, pre-release identifiers that are numbers (no leading zeros) or
 * alphanumerics with hyphens, build identifiers of alphanumerics and hyphens.
 *
 * <p>Precedence (§11): major, minor, patch numerically; a pre-release sorts before its release
 * ({@code 1.0.0-alpha < 1.0.0}); pre-releases compare identifier by identifier, numbers numerically and below
 * alphanumerics, alphanumerics in ASCII order, and a longer list wins when the shorter is its prefix
 * ({@code 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2 < 1.0.0-beta.11
 * < 1.0.0-rc.1 < 1.0.0}). Build metadata is ignored, so {@code 1.0.0+a} equals {@code 1.0.0+b}.
 *
 * <p>No prefix is accepted: a leading "v" is {@link GoVersion}'s and {@link NpmRange}'s business.
 */
public final class SemVer implements Comparable<SemVer> {
    private final BigInteger major;
    private final BigInteger minor;
    private final BigInteger patch;
    private final List<String> prerelease;
    private final List<String> build;

    private SemVer(BigInteger major, BigInteger minor, BigInteger patch, List<String> prerelease, List<String> build) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.prerelease = List.copyOf(prerelease);
        this.build = List.copyOf(build);
    }

    /** A version from its parts; the lists hold identifiers, which are not checked here. */
    static SemVer of(BigInteger major, BigInteger minor, BigInteger patch, List<String> prerelease) {
        return new SemVer(major, minor, patch, prerelease, List.of());
    }

    /**
     * Parses a version.
     *
     * @throws IllegalArgumentException if it is not a SemVer 2.0.0 version
     */
    public static SemVer parse(String version) {
        Objects.requireNonNull(version, "version");
        try {
            return read(version);
        } catch (Invalid e) {
            throw new IllegalArgumentException(
                    "not a valid semantic version " + Digits.quote(version) + ": " + e.getMessage());
        }
    }

    /**
     * Reads {@code version}, reporting a problem as {@link Invalid} (just the reason), so that callers with their
     * own notion of a version, such as {@link GoVersion}, can word the error themselves.
     */
    static SemVer read(String version) throws Invalid {
        int plus = version.indexOf('+');
        String main = plus < 0 ? version : version.substring(0, plus);
        List<String> build = plus < 0 ? List.of() : split(version.substring(plus + 1), "build metadata");
        int dash = main.indexOf('-');
        String core = dash < 0 ? main : main.substring(0, dash);
        List<String> pre = dash < 0 ? List.of() : split(main.substring(dash + 1), "pre-release");
        for (String id : build) {
            checkIdentifier(id, false);
        }
        for (String id : pre) {
            checkIdentifier(id, true);
        }
        String[] nums = core.split("\\.", -1);
        if (nums.length != 3) {
            throw new Invalid("expected MAJOR.MINOR.PATCH");
        }
        for (String n : nums) {
            if (!isNumber(n)) {
                throw new Invalid("'" + n + "' is not a number without leading zeros");
            }
        }
        return new SemVer(new BigInteger(nums[0]), new BigInteger(nums[1]), new BigInteger(nums[2]), pre, build);
    }

    private static List<String> split(String ids, String what) throws Invalid {
        List<String> out = new ArrayList<>();
        for (String id : ids.split("\\.", -1)) {
            if (id.isEmpty()) {
                throw new Invalid("empty " + what + " identifier");
            }
            out.add(id);
        }
        return out;
    }

    private static void checkIdentifier(String id, boolean prerelease) throws Invalid {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!Digits.isDigit(c) && !Digits.isLetter(c) && c != '-') {
                throw new Invalid("invalid character '" + c + "' in identifier '" + id + "'");
            }
        }
        if (prerelease && Digits.allDigits(id) && !isNumber(id)) {
            throw new Invalid("numeric pre-release identifier '" + id + "' has a leading zero");
        }
    }

    /** A decimal number without leading zeros. */
    static boolean isNumber(String s) {
        return Digits.allDigits(s) && (s.length() == 1 || s.charAt(0) != '0');
    }

    /** Why a string is not a version; checked, so that no caller forgets to word it for its user. */
    static final class Invalid extends Exception {
        Invalid(String why) {
            super(why, null, false, false);
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

    private static final ParseCache<SemVer> CACHE = new ParseCache<>(SemVer::parse);

    public BigInteger major() {
        return major;
    }

    public BigInteger minor() {
        return minor;
    }

    public BigInteger patch() {
        return patch;
    }

    /** Pre-release identifiers, empty for a release. */
    public List<String> prerelease() {
        return prerelease;
    }

    /** Build metadata identifiers; they take no part in the order. */
    public List<String> build() {
        return build;
    }

    public boolean isPrerelease() {
        return !prerelease.isEmpty();
    }

    /** True when both have the same major, minor and patch (node-semver's pre-release rule needs this). */
    boolean sameCore(SemVer o) {
        return major.equals(o.major) && minor.equals(o.minor) && patch.equals(o.patch);
    }

    @Override
    public int compareTo(SemVer o) {
        int c = major.compareTo(o.major);
        if (c == 0) {
            c = minor.compareTo(o.minor);
        }
        if (c == 0) {
            c = patch.compareTo(o.patch);
        }
        if (c == 0) {
            c = comparePrerelease(prerelease, o.prerelease);
        }
        return Integer.signum(c);
    }

    private static int comparePrerelease(List<String> a, List<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            // a release sorts after all of its pre-releases
            return Boolean.compare(a.isEmpty(), b.isEmpty());
        }
        for (int k = 0; k < Math.min(a.size(), b.size()); k++) {
            String x = a.get(k);
            String y = b.get(k);
            boolean xn = Digits.allDigits(x);
            boolean yn = Digits.allDigits(y);
            int c = xn && yn ? Digits.compare(x, y) : xn != yn ? (xn ? -1 : 1) : x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** Equal when of equal precedence: build metadata is ignored. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SemVer v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(major, minor, patch, prerelease);
    }

    /** The normalised text: {@code MAJOR.MINOR.PATCH[-PRE][+BUILD]}, the same as the input for parsed versions. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(major).append('.').append(minor).append('.').append(patch);
        if (!prerelease.isEmpty()) {
            s.append('-').append(String.join(".", prerelease));
        }
        if (!build.isEmpty()) {
            s.append('+').append(String.join(".", build));
        }
        return s.toString();
    }
}
