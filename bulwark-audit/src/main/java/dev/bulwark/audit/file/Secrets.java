package dev.bulwark.audit.file;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognising secrets: variable names that say they hold one ({@code DB_PASSWORD}, {@code apiKey},
 * {@code GITHUB_TOKEN}; not {@code PASSWORD_FILE}, {@code GPG_KEY} or {@code PWD}) and values that have the shape
 * of a well-known credential (cloud keys, tokens of code hosts and SaaS APIs, private keys, JWTs, passwords in
 * URLs). Secret values are never repeated in evidence: {@link #redact(String)} shows only their shape.
 */
final class Secrets {
    private static final Set<String> SECRET_TOKENS = Set.of("PASSWORD", "PASSWD", "PASSPHRASE", "PASS", "PWD",
            "SECRET", "SECRETS", "TOKEN", "APIKEY", "CREDENTIAL", "CREDENTIALS", "PRIVATEKEY", "AUTHTOKEN");
    /** Words that make "KEY" mean a secret key. */
    private static final Set<String> KEY_QUALIFIERS = Set.of("API", "ACCESS", "PRIVATE", "SECRET", "SIGNING",
            "ENCRYPTION", "AUTH", "MASTER", "SSH", "CLIENT", "APP", "SERVICE", "ACCOUNT", "LICENSE", "HMAC", "JWT");
    /** A last word that makes the variable a reference to a secret, or a property of one, not the secret. */
    private static final Set<String> REFERENCE_SUFFIXES = Set.of("FILE", "PATH", "DIR", "NAME", "ID", "ENDPOINT",
            "TTL", "EXPIRY", "EXPIRES", "EXPIRATION", "LENGTH", "TYPE", "HEADER", "LOCATION", "MOUNT", "REF", "ARN",
            "REGION", "ENABLED", "DISABLED", "SIZE", "TIMEOUT", "POLICY", "VERSION", "HOST", "PORT", "USER",
            "USERNAME", "URL", "URI", "ALGORITHM", "ALG", "FORMAT", "PREFIX", "KEYRING", "STORE", "PROVIDER", "MODE");

    /** Words that make the variable a switch about a secret ({@code MYSQL_RANDOM_ROOT_PASSWORD=yes}), not one. */
    private static final Set<String> SWITCH_WORDS = Set.of("ALLOW", "EMPTY", "RANDOM", "SKIP", "REQUIRE",
            "REQUIRED", "USE", "ENABLE", "DISABLE", "GENERATE", "MIN", "MAX", "RESET", "ROTATE", "NO");

    /** A recognised credential shape. */
    record Match(String kind, int start, int end) {
    }

    private record Shape(String kind, Pattern pattern) {
    }

    private static final List<Shape> SHAPES = List.of(
            new Shape("a private key", Pattern.compile("-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----")),
            new Shape("an AWS access key id", Pattern.compile("\\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\\b")),
            new Shape("a GitHub token", Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\\b")),
            new Shape("a GitLab token", Pattern.compile("\\bglpat-[A-Za-z0-9_-]{20,}")),
            new Shape("a Slack token", Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}")),
            new Shape("a Stripe live key", Pattern.compile("\\b[sr]k_live_[0-9A-Za-z]{20,}")),
            new Shape("a Google API key", Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}")),
            new Shape("an npm token", Pattern.compile("\\bnpm_[A-Za-z0-9]{36}\\b")),
            new Shape("an npm auth token", Pattern.compile("_auth(?:Token)?\\s*=\\s*(?!\\$)[A-Za-z0-9+/=_-]{16,}")),
            new Shape("a JSON Web Token", Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}")),
            new Shape("a password in a URL",
                    Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^\\s/:@'\"$]{1,100}:(?![$*<{%])[^\\s/@'\"$]{1,200}@[A-Za-z0-9.\\[-]")));

    private Secrets() {
    }

    /** Whether a variable of this name holds a secret by its name. */
    static boolean isSecretName(String name) {
        List<String> t = tokens(name);
        if (t.isEmpty()) return false;
        String all = String.join("_", t);
        if (all.equals("PWD") || all.equals("OLDPWD")) return false;
        if (t.contains("PUBLIC") || t.stream().anyMatch(SWITCH_WORDS::contains)) return false;
        if (REFERENCE_SUFFIXES.contains(t.get(t.size() - 1))) return false;
        for (int i = 0; i < t.size(); i++) {
            String w = t.get(i);
            if (SECRET_TOKENS.contains(w)) return true;
            if (w.equals("KEY") && i > 0 && KEY_QUALIFIERS.contains(t.get(i - 1))) return true;
            if (w.endsWith("KEY") && KEY_QUALIFIERS.contains(w.substring(0, w.length() - 3))) return true;
        }
        return false;
    }

    /** Upper-case words of a name: split at _, -, . and lower-to-upper case changes. */
    static List<String> tokens(String name) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_' || c == '-' || c == '.' || c == ' ') {
                flush(sb, out);
                continue;
            }
            if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(name.charAt(i - 1))) flush(sb, out);
            sb.append(c);
        }
        flush(sb, out);
        return out;
    }

    private static void flush(StringBuilder sb, List<String> out) {
        if (!sb.isEmpty()) out.add(sb.toString().toUpperCase(Locale.ROOT));
        sb.setLength(0);
    }

    /** Credential shapes in a text, in order. */
    static List<Match> find(String text) {
        List<Match> out = new ArrayList<>();
        if (text == null || text.isEmpty()) return out;
        for (Shape s : SHAPES) {
            Matcher m = s.pattern().matcher(text);
            while (m.find()) out.add(new Match(s.kind(), m.start(), m.end()));
        }
        out.sort((a, b) -> Integer.compare(a.start(), b.start()));
        return out;
    }

    /** Whether a value is only a reference to another variable ({@code $X}, {@code ${X}}) or empty. */
    static boolean isReferenceOrEmpty(String value) {
        String v = value == null ? "" : value.strip();
        return v.isEmpty() || v.matches("\\$\\{?[A-Za-z_][A-Za-z0-9_]*(?::?[-=?+][^}]*)?}?");
    }

    /** The shape of a secret value, never the value: "(12 characters, not shown)". */
    static String redact(String value) {
        return "(" + (value == null ? 0 : value.length()) + " characters, not shown)";
    }
}
