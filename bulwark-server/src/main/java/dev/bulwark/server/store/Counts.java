package dev.bulwark.server.store;

import dev.bulwark.model.Severity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Findings per severity in the API's five buckets. NEGLIGIBLE (Debian's "unimportant") counts as LOW: the
 * dashboard shows five levels and a negligible finding is still one below MEDIUM.
 */
public record Counts(int critical, int high, int medium, int low, int unknown) {
    public static final Counts ZERO = new Counts(0, 0, 0, 0, 0);

    /** The bucket number stored per finding: 4 CRITICAL ... 1 LOW, 0 UNKNOWN. */
    public static int bucket(Severity s) {
        return switch (s) {
            case CRITICAL -> 4;
            case HIGH -> 3;
            case MEDIUM -> 2;
            case LOW, NEGLIGIBLE -> 1;
            case UNKNOWN -> 0;
        };
    }

    public static final String[] NAMES = {"UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"};

    /** The bucket number of an API severity name; IllegalArgumentException names the valid ones. */
    public static int parseBucket(String name) {
        for (int i = 0; i < NAMES.length; i++) if (NAMES[i].equalsIgnoreCase(name.strip())) return i;
        throw new IllegalArgumentException("unknown severity '" + name + "' (valid: CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN)");
    }

    public Counts plus(int bucket) {
        return new Counts(critical + (bucket == 4 ? 1 : 0), high + (bucket == 3 ? 1 : 0), medium + (bucket == 2 ? 1 : 0),
                low + (bucket == 1 ? 1 : 0), unknown + (bucket == 0 ? 1 : 0));
    }

    public Counts plus(Counts o) {
        return new Counts(critical + o.critical, high + o.high, medium + o.medium, low + o.low, unknown + o.unknown);
    }

    public int total() {
        return critical + high + medium + low + unknown;
    }

    public Map<String, Integer> toMap() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("CRITICAL", critical);
        m.put("HIGH", high);
        m.put("MEDIUM", medium);
        m.put("LOW", low);
        m.put("UNKNOWN", unknown);
        return m;
    }
}
