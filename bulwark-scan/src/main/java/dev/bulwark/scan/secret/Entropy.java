package dev.bulwark.scan.secret;

/** Shannon entropy of a string's characters: random tokens score high, words and placeholders low. */
final class Entropy {
    private Entropy() {
    }

    /** Bits per character. */
    static double of(CharSequence s) {
        int n = s.length();
        if (n == 0) return 0;
        java.util.HashMap<Character, Integer> counts = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) counts.merge(s.charAt(i), 1, Integer::sum);
        double h = 0;
        for (int c : counts.values()) {
            double p = (double) c / n;
            h -= p * (Math.log(p) / Math.log(2));
        }
        return h;
    }
}
