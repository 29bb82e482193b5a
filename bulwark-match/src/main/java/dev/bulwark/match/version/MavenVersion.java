package dev.bulwark.match.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.maven.artifact.versioning.ComparableVersion;

/**
 * A Maven version: parsed by Maven's own {@link ComparableVersion} (maven-artifact), ordered as Maven orders it —
 * {@code 1.0-alpha-1 < 1.0-beta < 1.0-milestone < 1.0-rc < 1.0-SNAPSHOT < 1.0 = 1.0.0 = 1.0-ga < 1.0-sp < 1.0.1},
 * unknown qualifiers after the known ones, alphabetically — but as a total order.
 *
 * <p>Why not ComparableVersion's {@code compareTo} itself: it is not transitive. At one position it compares items
 * of different kinds by kind alone (a number beats a sub-list, a sub-list beats a qualifier), while against a
 * missing item it compares by value ({@code 1-alpha < 1 < 1-sp}); the two rules contradict each other, so
 * {@code 1-alpha < 1 < 1.M-1 < 1-alpha} (maven-artifact 3.9.11), and range checks on such versions could disagree
 * with themselves. Here every item is first placed on its side of "missing" (below it, like {@code alpha}, or above
 * it, like {@code sp} or a number), and only items on the same side are ordered by kind as Maven does. The result
 * agrees with Maven wherever Maven's two rules do not contradict each other (property-tested on release-shaped
 * versions), and is transitive everywhere.
 *
 * <p>The item tree is ComparableVersion's own, so parsing, aliases ({@code cr = rc}, {@code ga = final = ""},
 * {@code m1 = milestone-1}) and normalisation stay Maven's.
 *
 * <p>Maven accepts any string as a version; this class only refuses the empty string and strings with whitespace or
 * control characters, which no repository serves.
 */
public final class MavenVersion implements Comparable<MavenVersion> {
    /** Maven's known qualifiers in order; "" is the release. Unknown ones come after, alphabetically. */
    private static final List<String> QUALIFIERS = List.of("alpha", "beta", "milestone", "rc", "snapshot", "", "sp");
    private static final int RELEASE = QUALIFIERS.indexOf("");

    /**
     * Where an item stands, lowest first. Below "missing": qualifiers before the release, then (still below, because
     * what follows them is) a release qualifier, a sub-list and a zero. Above: the same kinds in Maven's kind order,
     * then positive numbers. {@code MISSING} itself is never stored: trailing items that equal it are dropped.
     */
    private enum Band { QUALIFIER_BELOW, RELEASE_BELOW, LIST_BELOW, ZERO_BELOW, MISSING, RELEASE_ABOVE, QUALIFIER_ABOVE,
        LIST_ABOVE, ZERO_ABOVE, NUMBER }

    private record Token(Band band, String qualifier, BigInteger number) {}

    private final String text;
    private final String canonical;
    private final List<Token> tokens;

    private MavenVersion(String text) {
        this.text = text;
        ComparableVersion parsed = new ComparableVersion(text);
        this.canonical = parsed.getCanonical();
        this.tokens = tokens(parsed);
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

    /** Compares two version strings. */
    public static int compare(String a, String b) {
        return CACHE.parse(a).compareTo(CACHE.parse(b));
    }

    private static final ParseCache<MavenVersion> CACHE = new ParseCache<>(MavenVersion::parse);

    /** ComparableVersion's canonical form ("1.0.0" → "1"). */
    public String canonical() {
        return canonical;
    }

    @Override
    public int compareTo(MavenVersion o) {
        int n = Math.max(tokens.size(), o.tokens.size());
        for (int i = 0; i < n; i++) {
            int c = compare(i < tokens.size() ? tokens.get(i) : null, i < o.tokens.size() ? o.tokens.get(i) : null);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int compare(Token a, Token b) {
        Band ba = a == null ? Band.MISSING : a.band();
        Band bb = b == null ? Band.MISSING : b.band();
        if (ba != bb) {
            return Integer.signum(ba.compareTo(bb));
        }
        return switch (ba) {
            case QUALIFIER_BELOW, QUALIFIER_ABOVE -> compareQualifiers(a.qualifier(), b.qualifier());
            case NUMBER -> a.number().compareTo(b.number());
            default -> 0;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MavenVersion v && compareTo(v) == 0;
    }

    /** Equal versions have equal tokens (bands, qualifiers and numbers): the token list is the equality key. */
    @Override
    public int hashCode() {
        return tokens.hashCode();
    }

    /** The text this version was parsed from. */
    @Override
    public String toString() {
        return text;
    }

    /**
     * Maven's parsed item tree as tokens: each sub-list is the last item of its parent (a '-' or a digit/letter
     * change starts one, and it runs to the end), so the tree is a chain and a sub-list's marker can sit in line;
     * every other item is a number or a qualifier. Then each item's band from its own value and, for an item equal
     * to "missing", from the first item after it that is not.
     */
    private static List<Token> tokens(ComparableVersion version) {
        List<Object> items = new ArrayList<>(); // BigInteger, String, or LIST
        flatten(mavenItems(version), items);
        Token[] out = new Token[items.size()];
        int after = 0; // the sign against "missing" of the first item after this one that is not equal to it
        int kept = 0;
        for (int i = items.size() - 1; i >= 0; i--) {
            Object item = items.get(i);
            int own = sign(item);
            Band band;
            if (item instanceof BigInteger) {
                band = own > 0 ? Band.NUMBER : after < 0 ? Band.ZERO_BELOW : after > 0 ? Band.ZERO_ABOVE : Band.MISSING;
            } else if (item instanceof String) {
                band = own < 0 ? Band.QUALIFIER_BELOW : own > 0 ? Band.QUALIFIER_ABOVE
                        : after < 0 ? Band.RELEASE_BELOW : after > 0 ? Band.RELEASE_ABOVE : Band.MISSING;
            } else {
                band = after < 0 ? Band.LIST_BELOW : after > 0 ? Band.LIST_ABOVE : Band.MISSING;
            }
            if (band != Band.MISSING) {
                out[i] = new Token(band, item instanceof String q ? q : null, item instanceof BigInteger n ? n : null);
                kept = Math.max(kept, i + 1);
            }
            if (own != 0) {
                after = own;
            }
        }
        // only trailing items can equal "missing" (everything after them does too), and those are not kept
        return List.of(java.util.Arrays.copyOf(out, kept));
    }

    private static void flatten(List<?> list, List<Object> into) {
        for (Object item : list) {
            if (item instanceof List<?> sub) {
                into.add(LIST);
                flatten(sub, into);
            } else {
                String s = item.toString(); // IntItem, LongItem, BigIntegerItem: the number; StringItem: the qualifier
                boolean number = !s.isEmpty() && s.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                        && !item.getClass().getSimpleName().equals("StringItem");
                into.add(number ? new BigInteger(s) : s);
            }
        }
    }

    private static final Object LIST = new Object();

    /**
     * ComparableVersion's item tree. Its canonical string cannot stand in: a list whose first item is a sub-list
     * prints like the sub-list's items ("0-GA1" prints as "1"), and Maven orders the two differently.
     */
    private static List<?> mavenItems(ComparableVersion version) {
        try {
            return (List<?>) ITEMS.get(version);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read ComparableVersion's items", e);
        }
    }

    private static final java.lang.reflect.Field ITEMS;

    static {
        try {
            ITEMS = ComparableVersion.class.getDeclaredField("items");
            ITEMS.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("maven-artifact's ComparableVersion has no readable 'items': " + e);
        }
    }

    private static int sign(Object item) {
        if (item instanceof BigInteger n) {
            return n.signum();
        }
        if (item instanceof String q) {
            return Integer.signum(rank(q) - RELEASE);
        }
        return 0;
    }

    /** The qualifier's place among the known ones; unknown ones after all of them. */
    private static int rank(String q) {
        int i = QUALIFIERS.indexOf(q);
        return i >= 0 ? i : QUALIFIERS.size();
    }

    private static int compareQualifiers(String a, String b) {
        int c = Integer.compare(rank(a), rank(b));
        return c != 0 ? c : rank(a) == QUALIFIERS.size() ? Integer.signum(a.compareTo(b)) : 0;
    }
}
