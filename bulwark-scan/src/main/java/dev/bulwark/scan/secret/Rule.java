package dev.bulwark.scan.secret;

import dev.bulwark.model.Severity;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One kind of secret. A rule is tried on a file only when one of its keywords occurs in it (case-insensitive), so
 * most files cost one pass of the keyword automaton and no regex at all; a rule without keywords is tried on every
 * file its {@code paths} admit.
 *
 * @param id           stable id ("github-pat")
 * @param title        what a match is, one line
 * @param severity     how bad a leak is
 * @param keywords     lower-case literals, one of which every match contains
 * @param regex        what a secret looks like
 * @param secretGroup  the regex group holding the secret itself (0: the whole match)
 * @param minEntropy   Shannon entropy (bits per character) the secret must reach: placeholders and words fall short
 * @param knownPrefix  characters at the start of every secret that say only what kind it is ("ghp_", "AKIA"): shown
 *                     unmasked by the redaction, on top of the few characters it always shows
 * @param paths        when not null, the rule applies only to files whose path this finds
 * @param check        a structural check of the secret beyond the regex (checksum, decodable parts)
 * @param anchors      case-sensitive literals at which every match starts, or empty: the regex is then tried only
 *                     at their occurrences (found with {@code String.indexOf}, which the JVM vectorises) instead of
 *                     at every position of the file
 */
public record Rule(String id, String title, Severity severity, List<String> keywords, Pattern regex, int secretGroup,
                   double minEntropy, int knownPrefix, Pattern paths, Check check, List<String> anchors) {
    /** How far past an anchor a match may reach (a PGP key block, a Docker config's "auths" object). */
    static final int ANCHOR_WINDOW = 64 << 10;

    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(regex, "regex");
        keywords = keywords == null ? List.of() : keywords.stream().map(k -> k.toLowerCase(java.util.Locale.ROOT)).toList();
        severity = severity == null ? Severity.UNKNOWN : severity;
        title = title == null ? id : title;
        check = check == null ? Check.NONE : check;
        anchors = anchors == null ? List.of() : List.copyOf(anchors);
    }

    /** A rule tried at every position of the files its keywords admit (users' rules). */
    public Rule(String id, String title, Severity severity, List<String> keywords, Pattern regex, int secretGroup,
                double minEntropy, int knownPrefix, Pattern paths, Check check) {
        this(id, title, severity, keywords, regex, secretGroup, minEntropy, knownPrefix, paths, check, List.of());
    }

    Rule anchoredAt(String... literals) {
        return new Rule(id, title, severity, keywords, regex, secretGroup, minEntropy, knownPrefix, paths, check, List.of(literals));
    }

    /** Structural checks a match must pass, beyond its regex. */
    public enum Check {
        NONE,
        /** GitHub- and npm-style tokens: the last six characters are the CRC32 of the 30 before them, in base62. */
        CRC32_BASE62,
        /** JWTs: the header decodes (base64url) to a JSON object naming an "alg". */
        JWT_HEADER,
        /** Docker config "auth": base64 of "user:password". */
        BASIC_AUTH,
        /** A private key's body: enough base64 characters to be a key, not a "..." placeholder in documentation. */
        KEY_BODY
    }
}
