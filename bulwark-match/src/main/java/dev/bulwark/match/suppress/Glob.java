package dev.bulwark.match.suppress;

import java.util.regex.Pattern;

/**
 * A path glob as ignore files write them: {@code *} matches within one path segment, {@code **} across segments
 * ({@code a/**}{@code /b} also matches {@code a/b}), {@code ?} one character other than '/', {@code [abc]},
 * {@code [a-z]} and {@code [!a]} one character of a class, and a backslash escapes the next character. Paths are
 * compared without a leading "/" or "./", so {@code usr/lib/**} and {@code /usr/lib/**} are the same pattern (Trivy
 * writes image paths without the leading slash; Bulwark's packages carry absolute paths).
 */
final class Glob {
    private final String text;
    private final Pattern pattern;

    private Glob(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    static Glob compile(String glob) {
        String g = normalise(glob);
        StringBuilder re = new StringBuilder(g.length() * 2);
        int i = 0;
        while (i < g.length()) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
                        boolean slashAfter = i + 2 < g.length() && g.charAt(i + 2) == '/';
                        boolean atSegmentStart = i == 0 || g.charAt(i - 1) == '/';
                        if (slashAfter && atSegmentStart) {
                            re.append("(?:.*/)?"); // "**/" : zero or more whole directories
                            i += 3;
                        } else {
                            re.append(".*");
                            i += 2;
                        }
                        continue;
                    }
                    re.append("[^/]*");
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = g.indexOf(']', i + 2 <= g.length() ? i + 2 : i + 1);
                    if (end < 0) {
                        re.append(Pattern.quote("["));
                    } else {
                        String body = g.substring(i + 1, end);
                        boolean negate = body.startsWith("!") || body.startsWith("^");
                        if (negate) body = body.substring(1);
                        StringBuilder cls = new StringBuilder();
                        for (int k = 0; k < body.length(); k++) {
                            char bc = body.charAt(k);
                            if (bc == '-' && k > 0 && k < body.length() - 1) cls.append('-');
                            else cls.append(quoteInClass(bc));
                        }
                        re.append(negate ? "[^/" : "[").append(cls).append(']');
                        i = end + 1;
                        continue;
                    }
                }
                case '\\' -> {
                    if (i + 1 < g.length()) {
                        re.append(Pattern.quote(String.valueOf(g.charAt(i + 1))));
                        i += 2;
                        continue;
                    }
                    re.append(Pattern.quote("\\"));
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
            i++;
        }
        return new Glob(glob, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    private static String quoteInClass(char c) {
        return switch (c) {
            case '\\', '[', ']', '^', '-', '&' -> "\\" + c;
            default -> String.valueOf(c);
        };
    }

    boolean matches(String path) {
        return path != null && pattern.matcher(normalise(path)).matches();
    }

    private static String normalise(String p) {
        String s = p.strip();
        while (s.startsWith("./")) s = s.substring(2);
        while (s.startsWith("/")) s = s.substring(1);
        return s;
    }

    @Override
    public String toString() {
        return text;
    }
}
