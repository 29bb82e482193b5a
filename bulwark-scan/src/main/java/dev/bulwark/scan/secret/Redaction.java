package dev.bulwark.scan.secret;

/**
 * How a secret is shown: never whole. The characters that only name the kind of secret (a known prefix such as
 * "ghp_") and at most four more stay readable, so a user can tell which key it is; the rest becomes a fixed mask,
 * whose length says nothing about the secret's. At most a third of the secret is ever shown, so a short password
 * shows little or nothing.
 */
public final class Redaction {
    public static final String MASK = "********";

    private Redaction() {
    }

    /** The number of leading characters of {@code secret} that {@link #redact} shows. */
    public static int shown(String secret, int knownPrefix) {
        int want = Math.max(0, knownPrefix) + 4;
        return Math.max(0, Math.min(want, secret.length() / 3));
    }

    public static String redact(String secret, int knownPrefix) {
        if (secret == null || secret.isEmpty()) return MASK;
        StringBuilder b = new StringBuilder(MASK.length() + 16);
        int n = shown(secret, knownPrefix);
        for (int i = 0; i < n; i++) {
            char c = secret.charAt(i);
            // control characters would let a hostile file write to the terminal
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.append(MASK).toString();
    }
}
