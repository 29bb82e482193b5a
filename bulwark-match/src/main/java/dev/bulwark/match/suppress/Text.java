package dev.bulwark.match.suppress;

/** Small string helpers for messages. */
final class Text {
    private Text() {
    }

    /** At most 80 characters, control characters shown as '?', so a hostile value cannot flood or garble a line. */
    static String abbreviate(String s) {
        return abbreviate(s, 80);
    }

    static String abbreviate(String s, int max) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(Math.min(s.length(), max + 1));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return s.length() > max ? b + "…" : b.toString();
    }

    /** Collapses whitespace runs and trims; keeps the reason of a suppression on one line. */
    static String oneLine(String s) {
        if (s == null) return "";
        String t = s.replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
        return t.length() > 500 ? t.substring(0, 500) + "…" : t;
    }
}
