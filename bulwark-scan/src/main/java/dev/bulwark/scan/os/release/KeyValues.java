package dev.bulwark.scan.os.release;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shell-like KEY=value syntax of os-release(5) and lsb-release: values unquoted, in single quotes (literal) or
 * in double quotes (backslash escapes only {@code $ ` " \} and newline), with quoted and unquoted parts joined as the
 * shell joins them; a backslash outside quotes escapes any character; "#" starts a comment at the start of a word.
 * Unquoted words separated by blanks are joined with one space (what Python's platform module does) instead of being
 * refused as the shell would. An unterminated quote runs to the end of its line rather than swallowing the file.
 */
final class KeyValues {
    private KeyValues() {
    }

    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            i = skipBlanks(text, i);
            if (i >= n) break;
            char c = text.charAt(i);
            if (c == '\n' || c == '#') {
                i = lineEnd(text, i) + 1;
                continue;
            }
            if (text.startsWith("export", i) && i + 6 < n && (text.charAt(i + 6) == ' ' || text.charAt(i + 6) == '\t')) {
                i = skipBlanks(text, i + 6);
            }
            int keyEnd = i;
            while (keyEnd < n && isKeyChar(text.charAt(keyEnd), keyEnd == i)) keyEnd++;
            if (keyEnd == i || keyEnd >= n || text.charAt(keyEnd) != '=') {
                i = lineEnd(text, i) + 1; // not an assignment: ignored, like systemd does
                continue;
            }
            String key = text.substring(i, keyEnd);
            StringBuilder value = new StringBuilder();
            i = value(text, keyEnd + 1, value);
            out.put(key, value.toString());
        }
        return out;
    }

    /** Reads one value from {@code i} into {@code out}; returns the index after its line. */
    private static int value(String s, int i, StringBuilder out) {
        int n = s.length();
        boolean inWord = false, blank = false;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\n') return i + 1;
            if (c == ' ' || c == '\t' || c == '\r') {
                blank |= inWord; // only between words: leading and trailing blanks are dropped
                inWord = false;
                i++;
                continue;
            }
            if (c == '#' && !inWord) return lineEnd(s, i) + 1; // a comment starts a word, never inside one
            if (blank) out.append(' ');
            blank = false;
            inWord = true;
            if (c == '\'') {
                int close = s.indexOf('\'', i + 1);
                int eol = lineEnd(s, i);
                if (close < 0) close = eol; // unterminated: the rest of the line
                out.append(s, i + 1, Math.min(close, n));
                i = close + 1;
                if (close == eol) return i;
            } else if (c == '"') {
                i = doubleQuoted(s, i + 1, out);
            } else if (c == '\\') {
                if (i + 1 < n && s.charAt(i + 1) != '\n') out.append(s.charAt(i + 1));
                i += 2; // backslash-newline continues the value on the next line
            } else {
                out.append(c);
                i++;
            }
        }
        return n;
    }

    /** From just after an opening double quote; returns the index after the closing one. */
    private static int doubleQuoted(String s, int i, StringBuilder out) {
        int n = s.length();
        int start = out.length();
        for (int j = i; j < n; j++) {
            char c = s.charAt(j);
            if (c == '"') return j + 1;
            if (c == '\\' && j + 1 < n && "$`\"\\\n".indexOf(s.charAt(j + 1)) >= 0) {
                if (s.charAt(j + 1) != '\n') out.append(s.charAt(j + 1));
                j++;
            } else {
                out.append(c);
            }
        }
        // Unterminated: keep only what was on the opening line, so later keys still parse.
        int eol = lineEnd(s, i);
        out.setLength(start);
        out.append(s, i, eol);
        return eol;
    }

    private static boolean isKeyChar(char c, boolean first) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\r')) i++;
        return i;
    }

    private static int lineEnd(String s, int i) {
        int nl = s.indexOf('\n', i);
        return nl < 0 ? s.length() : nl;
    }
}
