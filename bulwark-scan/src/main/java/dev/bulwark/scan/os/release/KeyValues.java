package dev.bulwark.scan.os.release;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The os-release / lsb-release syntax: KEY=value lines, values unquoted or in single or double quotes with shell
 * escapes ($, `, ", \ and newline after a backslash inside double quotes); comments and blank lines ignored.
 */
final class KeyValues {
    private KeyValues() {
    }

    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq <= 0) continue;
            String key = line.substring(0, eq).strip();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) continue;
            out.put(key, unquote(line.substring(eq + 1)));
        }
        return out;
    }

    static String unquote(String v) {
        StringBuilder b = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (quote == 0) {
                if (c == '"' || c == '\'') quote = c;
                else if (c == '\\' && i + 1 < v.length()) b.append(v.charAt(++i));
                else if (c == '#' && (i == 0 || Character.isWhitespace(v.charAt(i - 1)))) break;
                else if (!Character.isWhitespace(c)) b.append(c);
                else break;
            } else if (c == quote) {
                quote = 0;
            } else if (quote == '"' && c == '\\' && i + 1 < v.length() && "$`\"\\".indexOf(v.charAt(i + 1)) >= 0) {
                b.append(v.charAt(++i));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
