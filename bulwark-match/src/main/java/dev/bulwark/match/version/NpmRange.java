package dev.bulwark.match.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A node-semver range such as {@code ^1.2.3}, {@code ~1.2 || >=2.0.0-beta <3}, {@code 1.x} or
 * {@code 1.2.3 - 2.3}, desugared into sets of primitive comparators as the node-semver README specifies:
 * <ul>
 *   <li>X-ranges and partial versions: {@code *}, {@code ""} match any version, {@code 1.x} is
 *       {@code >=1.0.0 <2.0.0-0}, {@code 1.2} is {@code >=1.2.0 <1.3.0-0};</li>
 *   <li>comparators on partial versions round to the range the partial names: {@code >1} is {@code >=2.0.0},
 *       {@code <=1.2} is {@code <1.3.0-0}, {@code <1.2} is {@code <1.2.0-0};</li>
 *   <li>tilde: {@code ~1.2.3} is {@code >=1.2.3 <1.3.0-0}, {@code ~1} is {@code >=1.0.0 <2.0.0-0}
 *       ({@code ~>} is read as {@code ~});</li>
 *   <li>caret: the left-most non-zero part is kept: {@code ^1.2.3} is {@code >=1.2.3 <2.0.0-0}, {@code ^0.2.3} is
 *       {@code >=0.2.3 <0.3.0-0}, {@code ^0.0.3} is {@code >=0.0.3 <0.0.4-0}, {@code ^0.0.x} is
 *       {@code >=0.0.0 <0.1.0-0};</li>
 *   <li>hyphen ranges: {@code 1.2 - 2.3.4} is {@code >=1.2.0 <=2.3.4}, {@code 1.2.3 - 2.3} is
 *       {@code >=1.2.3 <2.4.0-0};</li>
 *   <li>comparators joined by spaces must all hold; sets joined by {@code ||} are alternatives.</li>
 * </ul>
 * The pre-release rule: a version with a pre-release tag satisfies a comparator set only if some comparator in it
 * has a pre-release on the same {@code [major, minor, patch]} ({@code 1.2.3-alpha.7} satisfies
 * {@code >1.2.3-alpha.3}, {@code 3.4.5-alpha.9} does not). With {@code includePrerelease} that rule is off and
 * lower bounds made from partial versions start at the {@code -0} pre-release, as in node-semver.
 *
 * <p>A version tested against a range may have a leading {@code v}, and versions inside a range leading {@code v}
 * or {@code =} characters, as node-semver allows. A range that does not follow
 * the grammar (say, a dist-tag such as {@code latest}) is an {@link IllegalArgumentException}, not an empty range.
 */
public final class NpmRange {
    private enum Op {
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("");

        final String text;

        Op(String text) {
            this.text = text;
        }
    }

    /** One primitive comparator; a null version means "any version" ({@code >=0.0.0} after desugaring). */
    private record Comparator(Op op, SemVer version) {
        static final Comparator ANY = new Comparator(Op.GE, null);

        boolean test(SemVer v) {
            if (version == null) {
                return true;
            }
            int c = v.compareTo(version);
            return switch (op) {
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
                case EQ -> c == 0;
            };
        }

        @Override
        public String toString() {
            return version == null ? "*" : op.text + version;
        }
    }

    /** A parsed partial version: null parts stand for x, X, * or a missing part. */
    private record Partial(BigInteger major, BigInteger minor, BigInteger patch, List<String> prerelease) {
        boolean complete() {
            return patch != null;
        }

        SemVer lower(boolean includePrerelease) {
            return SemVer.of(major, orZero(minor), orZero(patch),
                    complete() ? prerelease : includePrerelease ? List.of("0") : List.of());
        }

        SemVer exact() {
            return SemVer.of(major, minor, patch, prerelease);
        }

        /** The first version above everything this partial names, as the {@code -0} pre-release of it. */
        SemVer nextUp() {
            return minor == null ? SemVer.of(major.add(BigInteger.ONE), BigInteger.ZERO, BigInteger.ZERO, ZERO_PRE)
                    : SemVer.of(major, minor.add(BigInteger.ONE), BigInteger.ZERO, ZERO_PRE);
        }

        private static BigInteger orZero(BigInteger n) {
            return n == null ? BigInteger.ZERO : n;
        }
    }

    private static final List<String> ZERO_PRE = List.of("0");
    private static final Pattern OR = Pattern.compile("\\s*\\|\\|\\s*");
    private static final Pattern HYPHEN = Pattern.compile("^(\\S+)\\s+-\\s+(\\S+)$");
    // An operator may be separated from its version by spaces ("> 1.2.3", "~ 1.2"): join them first.
    private static final Pattern OP_SPACE = Pattern.compile("(<=|>=|<|>|=|~>|~|\\^)\\s+");
    private static final Pattern SIMPLE = Pattern.compile("^(<=|>=|<|>|=|~>|~|\\^)?(.*)$");
    private static final Pattern PARTIAL = Pattern.compile(
            "^[v=]*(\\*|[xX]|0|[1-9][0-9]*)(?:\\.(\\*|[xX]|0|[1-9][0-9]*)(?:\\.(\\*|[xX]|0|[1-9][0-9]*)"
                    + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?)?)?$");

    private final String text;
    /** The desugared sets for the two modes: index 0 without, 1 with includePrerelease. */
    private final List<List<List<Comparator>>> sets;

    private NpmRange(String text, List<List<List<Comparator>>> sets) {
        this.text = text;
        this.sets = sets;
    }

    /**
     * Parses a range.
     *
     * @throws IllegalArgumentException if it is not a node-semver range
     */
    public static NpmRange parse(String range) {
        Objects.requireNonNull(range, "range");
        return new NpmRange(range, List.of(desugar(range, false), desugar(range, true)));
    }

    /** True when {@link #parse} accepts {@code range}. */
    public static boolean isValid(String range) {
        if (range == null) {
            return false;
        }
        try {
            parse(range);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * True when {@code version} is in {@code range}, with the pre-release rule in force.
     *
     * @throws IllegalArgumentException if the version or the range is invalid
     */
    public static boolean satisfies(String version, String range) {
        return parse(range).test(parseVersion(version), false);
    }

    /** As {@link #satisfies(String, String)}; {@code includePrerelease} treats pre-releases as ordinary versions. */
    public static boolean satisfies(String version, String range, boolean includePrerelease) {
        return parse(range).test(parseVersion(version), includePrerelease);
    }

    /** True when {@code version} (which may start with {@code v}) is in this range, pre-release rule in force. */
    public boolean test(String version) {
        return test(parseVersion(version), false);
    }

    /** True when {@code version} is in this range, pre-releases admitted per {@code includePrerelease}. */
    public boolean test(SemVer version, boolean includePrerelease) {
        for (List<Comparator> set : sets.get(includePrerelease ? 1 : 0)) {
            if (set.stream().allMatch(c -> c.test(version)) && (includePrerelease || prereleaseAllowed(set, version))) {
                return true;
            }
        }
        return false;
    }

    private static boolean prereleaseAllowed(List<Comparator> set, SemVer version) {
        if (!version.isPrerelease()) {
            return true;
        }
        return set.stream().anyMatch(c -> c.version() != null && c.version().isPrerelease()
                && c.version().sameCore(version));
    }

    /** Parses a version as node-semver does: surrounding spaces and one leading {@code v} are dropped. */
    static SemVer parseVersion(String version) {
        Objects.requireNonNull(version, "version");
        String v = version.strip();
        return SemVer.parse(v.startsWith("v") ? v.substring(1) : v);
    }

    private static List<List<Comparator>> desugar(String range, boolean incPre) {
        List<List<Comparator>> out = new ArrayList<>();
        for (String part : OR.split(range.strip(), -1)) {
            out.add(desugarSet(range, part.strip(), incPre));
        }
        return List.copyOf(out);
    }

    private static List<Comparator> desugarSet(String range, String set, boolean incPre) {
        List<Comparator> out = new ArrayList<>();
        Matcher hyphen = HYPHEN.matcher(set);
        if (hyphen.matches()) {
            Partial from = partial(range, hyphen.group(1));
            Partial to = partial(range, hyphen.group(2));
            if (from.major() != null) {
                // node-semver starts a hyphen range at the -0 pre-release when pre-releases are included
                SemVer low = from.complete() && from.prerelease().isEmpty() && incPre
                        ? SemVer.of(from.major(), from.minor(), from.patch(), ZERO_PRE) : from.lower(incPre);
                out.add(new Comparator(Op.GE, low));
            }
            if (to.major() != null) {
                out.add(to.complete() ? new Comparator(Op.LE, to.exact()) : new Comparator(Op.LT, to.nextUp()));
            }
        } else if (!set.isEmpty()) {
            for (String simple : OP_SPACE.matcher(set).replaceAll("$1").split("\\s+")) {
                simple(range, simple, incPre, out);
            }
        }
        // node-semver drops ">=0.0.0" (">=0.0.0-0" when pre-releases are included) as the "any" it means; an
        // empty set is "any"
        out.removeIf(c -> c.version() != null && c.op() == Op.GE && isZero(c.version(), incPre));
        if (out.isEmpty()) {
            out.add(Comparator.ANY);
        }
        return List.copyOf(out);
    }

    private static boolean isZero(SemVer v, boolean incPre) {
        return v.major().signum() == 0 && v.minor().signum() == 0 && v.patch().signum() == 0
                && v.prerelease().equals(incPre ? ZERO_PRE : List.of());
    }

    private static void simple(String range, String token, boolean incPre, List<Comparator> out) {
        Matcher m = SIMPLE.matcher(token);
        if (!m.matches()) {
            throw invalid(range, token);
        }
        String op = m.group(1) == null ? "" : m.group(1);
        Partial p = partial(range, m.group(2));
        if (p.major() == null) {
            // "*" and friends: "<*" and ">*" match nothing, everything else matches anything
            if (op.equals("<") || op.equals(">")) {
                out.add(new Comparator(Op.LT, SemVer.of(BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, ZERO_PRE)));
            }
            return;
        }
        switch (op) {
            case "", "=" -> {
                if (p.complete()) {
                    out.add(new Comparator(Op.EQ, p.exact()));
                } else {
                    out.add(new Comparator(Op.GE, p.lower(incPre)));
                    out.add(new Comparator(Op.LT, p.nextUp()));
                }
            }
            case ">" -> out.add(p.complete() ? new Comparator(Op.GT, p.exact())
                    : new Comparator(Op.GE, p.minor() == null
                    ? SemVer.of(p.major().add(BigInteger.ONE), BigInteger.ZERO, BigInteger.ZERO, preFor(incPre))
                    : SemVer.of(p.major(), p.minor().add(BigInteger.ONE), BigInteger.ZERO, preFor(incPre))));
            case ">=" -> out.add(new Comparator(Op.GE, p.complete() ? p.exact() : p.lower(incPre)));
            case "<" -> out.add(p.complete() ? new Comparator(Op.LT, p.exact())
                    : new Comparator(Op.LT, SemVer.of(p.major(), Partial.orZero(p.minor()), BigInteger.ZERO, ZERO_PRE)));
            case "<=" -> out.add(p.complete() ? new Comparator(Op.LE, p.exact()) : new Comparator(Op.LT, p.nextUp()));
            case "~", "~>" -> {
                out.add(new Comparator(Op.GE, p.lower(incPre)));
                out.add(new Comparator(Op.LT, p.minor() == null ? p.nextUp()
                        : SemVer.of(p.major(), p.minor().add(BigInteger.ONE), BigInteger.ZERO, ZERO_PRE)));
            }
            case "^" -> {
                out.add(new Comparator(Op.GE, p.lower(incPre)));
                out.add(new Comparator(Op.LT, caretCeiling(p)));
            }
            default -> throw invalid(range, token);
        }
    }

    /** The exclusive upper bound of a caret range: bump the left-most non-zero part that was given. */
    private static SemVer caretCeiling(Partial p) {
        BigInteger zero = BigInteger.ZERO;
        if (p.minor() == null || p.major().signum() != 0) {
            return SemVer.of(p.major().add(BigInteger.ONE), zero, zero, ZERO_PRE);
        }
        if (p.patch() == null || p.minor().signum() != 0) {
            return SemVer.of(zero, p.minor().add(BigInteger.ONE), zero, ZERO_PRE);
        }
        return SemVer.of(zero, zero, p.patch().add(BigInteger.ONE), ZERO_PRE);
    }

    private static List<String> preFor(boolean incPre) {
        return incPre ? ZERO_PRE : List.of();
    }

    private static Partial partial(String range, String s) {
        Matcher m = PARTIAL.matcher(s);
        if (!m.matches()) {
            throw invalid(range, s);
        }
        // Once a part is a wildcard (or missing), every part after it is too: "1.x.3" means "1.x".
        BigInteger major = number(m.group(1));
        BigInteger minor = major == null ? null : number(m.group(2));
        BigInteger patch = minor == null ? null : number(m.group(3));
        List<String> pre = m.group(4) == null || patch == null ? List.of() : List.of(m.group(4).split("\\."));
        for (String id : pre) {
            if (Digits.allDigits(id) && !SemVer.isNumber(id)) {
                throw invalid(range, s);
            }
        }
        return new Partial(major, minor, patch, pre);
    }

    private static BigInteger number(String part) {
        return part == null || part.equals("*") || part.equalsIgnoreCase("x") ? null : new BigInteger(part);
    }

    private static IllegalArgumentException invalid(String range, String token) {
        return new IllegalArgumentException("not a valid npm range " + Digits.quote(range) + ": cannot read '"
                + token + "'");
    }

    /** The desugared form (without includePrerelease), e.g. {@code >=1.2.3 <2.0.0-0||>=3.0.0}. */
    public String desugared() {
        return sets.get(0).stream()
                .map(set -> set.stream().map(Comparator::toString).collect(Collectors.joining(" ")))
                .collect(Collectors.joining("||"));
    }

    /** The text this range was parsed from. */
    @Override
    public String toString() {
        return text;
    }
}
