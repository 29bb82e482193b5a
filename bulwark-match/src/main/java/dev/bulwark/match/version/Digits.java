package dev.bulwark.match.version;

/** Helpers for runs of ASCII digits: versions carry dates and build numbers far beyond {@code long}. */
final class Digits {
    private Digits() {
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** True for a non-empty string of ASCII digits only. */
    static boolean allDigits(CharSequence s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares {@code a[aFrom, aTo)} and {@code b[bFrom, bTo)}, two runs of digits, as numbers: leading zeros
     * are skipped, then the longer run is larger, then the first differing digit decides. An empty run is 0.
     */
    static int compare(CharSequence a, int aFrom, int aTo, CharSequence b, int bFrom, int bTo) {
        while (aFrom < aTo && a.charAt(aFrom) == '0') {
            aFrom++;
        }
        while (bFrom < bTo && b.charAt(bFrom) == '0') {
            bFrom++;
        }
        int byLength = Integer.compare(aTo - aFrom, bTo - bFrom);
        if (byLength != 0) {
            return byLength;
        }
        for (; aFrom < aTo; aFrom++, bFrom++) {
            int c = Character.compare(a.charAt(aFrom), b.charAt(bFrom));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Compares two whole digit strings as numbers. */
    static int compare(String a, String b) {
        return compare(a, 0, a.length(), b, 0, b.length());
    }

    /** The digit string without its leading zeros ("0" for zero or an empty run): a canonical form for hashing. */
    static String strip(String digits) {
        int i = 0;
        while (i < digits.length() && digits.charAt(i) == '0') {
            i++;
        }
        return i == digits.length() ? "0" : digits.substring(i);
    }

    /** Quotes a version for an error message, shortening very long input. */
    static String quote(String s) {
        return "'" + (s.length() > 200 ? s.substring(0, 200) + "…" : s) + "'";
    }
}
