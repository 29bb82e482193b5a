package dev.bulwark.vulndb.feed;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * CVSS v2 base scores from a vector such as {@code AV:N/AC:L/Au:N/C:P/I:P/A:P} (7.5), with the equations of the
 * CVSS v2 guide (section 3.2.1). Old NVD and OSV records still carry v2 vectors, often as their only score.
 */
public final class CvssV2 {
    private static final Map<String, Map<String, Double>> WEIGHTS = Map.of(
            "AV", Map.of("L", 0.395, "A", 0.646, "N", 1.0),
            "AC", Map.of("H", 0.35, "M", 0.61, "L", 0.71),
            "Au", Map.of("M", 0.45, "S", 0.56, "N", 0.704),
            "C", Map.of("N", 0.0, "P", 0.275, "C", 0.660),
            "I", Map.of("N", 0.0, "P", 0.275, "C", 0.660),
            "A", Map.of("N", 0.0, "P", 0.275, "C", 0.660));

    // Temporal and environmental metrics, which may follow the base metrics.
    private static final Map<String, Set<String>> OTHER_METRICS = Map.of(
            "E", Set.of("U", "POC", "F", "H", "ND"), "RL", Set.of("OF", "TF", "W", "U", "ND"),
            "RC", Set.of("UC", "UR", "C", "ND"), "CDP", Set.of("N", "L", "LM", "MH", "H", "ND"),
            "TD", Set.of("N", "L", "M", "H", "ND"), "CR", Set.of("L", "M", "H", "ND"),
            "IR", Set.of("L", "M", "H", "ND"), "AR", Set.of("L", "M", "H", "ND"));

    private CvssV2() {
    }

    /** True when {@code vector} is a complete, well-formed CVSS v2 vector. */
    public static boolean isValid(String vector) {
        try {
            baseScore(vector);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The base score of a v2 vector; surrounding parentheses (as NVD once wrote them) are accepted.
     *
     * @throws IllegalArgumentException when the vector is malformed or lacks a base metric
     */
    public static double baseScore(String vector) {
        Map<String, Double> w = parse(vector);
        double impact = 10.41 * (1 - (1 - w.get("C")) * (1 - w.get("I")) * (1 - w.get("A")));
        double exploitability = 20 * w.get("AV") * w.get("AC") * w.get("Au");
        double f = impact == 0 ? 0 : 1.176;
        double score = (0.6 * impact + 0.4 * exploitability - 1.5) * f;
        // "round to one decimal": first drop floating point noise far below the rounding digit
        return new BigDecimal(score).setScale(6, RoundingMode.HALF_UP).setScale(1, RoundingMode.HALF_UP).doubleValue();
    }

    private static Map<String, Double> parse(String vector) {
        if (vector == null) throw new IllegalArgumentException("no CVSS v2 vector");
        String v = vector.startsWith("(") && vector.endsWith(")") ? vector.substring(1, vector.length() - 1) : vector;
        Map<String, Double> base = new HashMap<>();
        Map<String, String> seen = new HashMap<>();
        for (String part : v.split("/", -1)) {
            int colon = part.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("'" + vector + "' has a malformed metric '" + part + "'");
            String metric = part.substring(0, colon), value = part.substring(colon + 1);
            if (seen.put(metric, value) != null) {
                throw new IllegalArgumentException("'" + vector + "' repeats metric " + metric);
            }
            Map<String, Double> weights = WEIGHTS.get(metric);
            if (weights != null && weights.containsKey(value)) {
                base.put(metric, weights.get(value));
            } else if (!OTHER_METRICS.getOrDefault(metric, Set.of()).contains(value)) {
                throw new IllegalArgumentException("'" + vector + "' has an unknown metric or value '" + part + "'");
            }
        }
        if (base.size() != WEIGHTS.size()) {
            throw new IllegalArgumentException("'" + vector + "' lacks base metrics (needs AV, AC, Au, C, I, A)");
        }
        return base;
    }
}
