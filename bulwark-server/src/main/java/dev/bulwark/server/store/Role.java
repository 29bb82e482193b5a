package dev.bulwark.server.store;

import java.util.Locale;

/** What a token may do; each role includes the ones before it. */
public enum Role {
    /** GET anything. */
    READ,
    /** Also submit scans, audit results, decisions, registry notifications. */
    SCAN,
    /** Also manage tokens. */
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** From a user's word; IllegalArgumentException names the valid ones. */
    public static Role parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown role '" + s + "' (valid: read, scan, admin)");
        }
    }
}
