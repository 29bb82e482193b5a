package dev.bulwark.audit.file;

import java.util.Map;

/**
 * Variable expansion: Dockerfile words ({@code $VAR}, {@code ${VAR}}, {@code ${VAR:-word}}, {@code ${VAR:+word}},
 * quotes removed, the escape character) against the ARG and ENV values in scope, and Compose interpolation
 * ({@code $$}, {@code ${VAR:-default}}, {@code ${VAR:?error}}) with an unknown environment, so that defaults
 * decide. Results are bounded: expansions that would grow past {@link #MAX_LENGTH} characters or nest deeper
 * than {@link #MAX_DEPTH} stop and are marked incomplete.
 */
final class Vars {
    static final int MAX_LENGTH = 1 << 16;
    static final int MAX_DEPTH = 16;

    /**
     * @param value    the expansion
     * @param complete false when a variable had no value (it then expanded to nothing) or a limit was hit
     */
    record Expanded(String value, boolean complete) {
    }

    private final Map<String, String> env;
    private final boolean docker;
    private final char escape;
    private boolean complete = true;

    private Vars(Map<String, String> env, boolean docker, char escape) {
        this.env = env;
        this.docker = docker;
        this.escape = escape;
    }

    static Expanded dockerfile(String word, Map<String, String> env, char escape) {
        Vars v = new Vars(env, true, escape);
        String s = v.run(word, 0);
        return new Expanded(s, v.complete);
    }

    static Expanded compose(String s) {
        if (s.indexOf('$') < 0) return new Expanded(s, true);
        Vars v = new Vars(Map.of(), false, '\0');
        String out = v.run(s, 0);
        return new Expanded(out, v.complete);
    }

    private String run(String s, int depth) {
        if (depth > MAX_DEPTH) {
            complete = false;
            return "";
        }
        StringBuilder sb = new StringBuilder();
        boolean inDouble = false;
        int i = 0;
        int len = s.length();
        while (i < len) {
            if (sb.length() > MAX_LENGTH) {
                complete = false;
                sb.setLength(MAX_LENGTH);
                return sb.toString();
            }
            char c = s.charAt(i);
            if (docker && c == escape && i + 1 < len) {
                sb.append(s.charAt(i + 1));
                i += 2;
                continue;
            }
            if (docker && c == '\'' && !inDouble) {
                int j = s.indexOf('\'', i + 1);
                if (j < 0) j = len;
                sb.append(s, i + 1, j);
                i = Math.min(len, j + 1);
                continue;
            }
            if (docker && c == '"') {
                inDouble = !inDouble;
                i++;
                continue;
            }
            if (c == '$' && i + 1 < len) {
                char d = s.charAt(i + 1);
                if (!docker && d == '$') {
                    sb.append('$');
                    i += 2;
                    continue;
                }
                if (d == '{') {
                    int close = matchBrace(s, i + 2);
                    if (close < 0) {
                        complete = false;
                        sb.append(s, i, len);
                        break;
                    }
                    append(sb, braced(s.substring(i + 2, close), depth));
                    i = close + 1;
                    continue;
                }
                if (Character.isLetter(d) || d == '_') {
                    int j = i + 1;
                    while (j < len && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
                    append(sb, lookup(s.substring(i + 1, j)));
                    i = j;
                    continue;
                }
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }

    private void append(StringBuilder sb, String v) {
        if (v == null) {
            complete = false;
            return;
        }
        if (sb.length() + v.length() > MAX_LENGTH) {
            complete = false;
            sb.append(v, 0, Math.max(0, MAX_LENGTH - sb.length()));
            return;
        }
        sb.append(v);
    }

    private String lookup(String name) {
        return docker ? env.get(name) : null;
    }

    /** {@code NAME}, {@code NAME:-word}, {@code NAME-word}, {@code NAME:+word}, {@code NAME+word}, {@code NAME:?msg}. */
    private String braced(String inner, int depth) {
        int k = 0;
        while (k < inner.length() && (Character.isLetterOrDigit(inner.charAt(k)) || inner.charAt(k) == '_')) k++;
        String name = inner.substring(0, k);
        String op = inner.substring(k);
        String value = lookup(name);
        if (op.isEmpty()) return value;
        boolean colon = op.startsWith(":");
        String o = colon ? op.substring(1) : op;
        if (o.isEmpty()) {
            complete = false;
            return value == null ? "" : value;
        }
        boolean set = value != null && (!colon || !value.isEmpty());
        String word = o.substring(1);
        return switch (o.charAt(0)) {
            case '-', '=' -> set ? value : run(word, depth + 1);
            case '+' -> set ? run(word, depth + 1) : "";
            case '?' -> {
                if (!set) complete = false;
                yield set ? value : "";
            }
            default -> {
                complete = false;
                yield value == null ? "" : value;
            }
        };
    }

    private static int matchBrace(String s, int from) {
        int depth = 1;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                depth++;
                i++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
