package dev.bulwark.match.version;

import java.util.Comparator;

/**
 * A total order on one ecosystem's version strings. Implementations are stateless and thread-safe.
 *
 * <p>Sealed so that every scheme a matcher can meet is known here: the standard ones are the {@link Scheme}
 * constants; {@link Versions} finds the one for an ecosystem.
 */
public sealed interface VersionScheme permits Scheme {

    /**
     * Compares two versions of this scheme.
     *
     * @return negative, zero or positive as {@code a} sorts before, with or after {@code b}
     * @throws IllegalArgumentException if either side is not a valid version of this scheme
     */
    int compare(String a, String b);

    /** True when {@code version} is a well-formed version of this scheme (false for null). */
    boolean isValid(String version);

    /** Short lower-case name: "dpkg", "rpm", "apk", "semver", "maven", "pep440", "go", "gem". */
    String id();

    /** This scheme as a comparator; it throws {@link IllegalArgumentException} on invalid versions. */
    default Comparator<String> comparator() {
        return this::compare;
    }
}
