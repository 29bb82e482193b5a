package dev.bulwark.vulndb.feed;

import java.util.HashMap;
import java.util.Map;

/**
 * CVSS v3.0 and v3.1 base scores, computed from a vector string with the formulas of the CVSS v3.1 specification
 * (section 7.1 and appendix A, "Roundup").
 *
 * <p>The two versions share every base metric, weight and formula; v3.1 only redefined Roundup so that binary
 * floating point cannot push a score up by 0.1 (4.000000000000001 must round to 4.0, not 4.1). v3.0 vectors are
 * scored here with the v3.1 Roundup, which gives v3.0's intended result. Temporal and environmental metrics may
 * appear in the vector and are checked, but only the base score is computed.
 */
public final class CvssV3 {
    // Base metric weights (CVSS v3.1 specification, section 7.4).
    private static final Map<String, Map<Character, Double>> WEIGHTS = Map.of(
            "AV", Map.of('N', 0.85, 'A', 0.62, 'L', 0.55, 'P', 0.2),
            "AC", Map.of('L', 0.77, 'H', 0.44),
            "PR", Map.of('N', 0.85, 'L', 0.62, 'H', 0.27),
            "UI", Map.of('N', 0.85, 'R', 0.62),
            "S", Map.of('U', 0.0, 'C', 0.0),
            "C", Map.of('H', 0.56, 'L', 0.22, 'N', 0.0),
            "I", Map.of('H', 0.56, 'L', 0.22, 'N', 0.0),
            "A", Map.of('H', 0.56, 'L', 0.22, 'N', 0.0));

    // Temporal and environmental metrics a vector may carry, with their allowed values ("X" = not defined).
    private static final Map<String, String> OTHER_METRICS = Map.ofEntries(
            Map.entry("E", "XUPFH"), Map.entry("RL", "XOTWU"), Map.entry("RC", "XURC"),
            Map.entry("CR", "XLMH"), Map.entry("IR", "XLMH"), Map.entry("AR", "XLMH"),
            Map.entry("MAV", "XNALP"), Map.entry("MAC", "XLH"), Map.entry("MPR", "XNLH"), Map.entry("MUI", "XNR"),
            Map.entry("MS", "XUC"), Map.entry("MC", "XNLH"), Map.entry("MI", "XNLH"), Map.entry("MA", "XNLH"));

    private CvssV3() {
    }

    /** True when {@code vector} is a well-formed CVSS v3.0 or v3.1 vector with every base metric. */
    public static boolean isValid(String vector) {
        try {
            baseScore(vector);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The base score of a vector such as {@code CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H} (9.8).
     *
     * @throws IllegalArgumentException when the vector is not a complete, well-formed v3.0/v3.1 vector; the message
     *                                  quotes it and names the fault
     */
    public static double baseScore(String vector) {
        Map<String, Character> m = parse(vector);
        boolean changed = m.get("S") == 'C';
        double av = weight(m, "AV"), ac = weight(m, "AC"), ui = weight(m, "UI");
        // Privileges Required weighs more when the scope changes (specification table 16).
        double pr = switch (m.get("PR")) {
            case 'L' -> changed ? 0.68 : 0.62;
            case 'H' -> changed ? 0.50 : 0.27;
            default -> 0.85;
        };
        double iss = 1 - (1 - weight(m, "C")) * (1 - weight(m, "I")) * (1 - weight(m, "A"));
        double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
        double exploitability = 8.22 * av * ac * pr * ui;
        if (impact <= 0) return 0.0;
        return changed ? roundUp(Math.min(1.08 * (impact + exploitability), 10))
                : roundUp(Math.min(impact + exploitability, 10));
    }

    /**
     * CVSS v3.1 Roundup: the smallest number with one decimal place that is not below the input, computed on an
     * integer scaled by 100,000 so that floating point noise in the fifth decimal cannot round up.
     */
    static double roundUp(double value) {
        long scaled = Math.round(value * 100_000);
        if (scaled % 10_000 == 0) return scaled / 100_000.0;
        return (Math.floorDiv(scaled, 10_000) + 1) / 10.0;
    }

    private static double weight(Map<String, Character> m, String metric) {
        return WEIGHTS.get(metric).get(m.get(metric));
    }

    private static Map<String, Character> parse(String vector) {
        if (vector == null) throw new IllegalArgumentException("no CVSS v3 vector");
        if (!vector.startsWith("CVSS:3.0/") && !vector.startsWith("CVSS:3.1/")) {
            throw new IllegalArgumentException("'" + vector + "' does not start with CVSS:3.0/ or CVSS:3.1/");
        }
        Map<String, Character> base = new HashMap<>();
        Map<String, String> seen = new HashMap<>();
        for (String part : vector.substring("CVSS:3.x/".length()).split("/", -1)) {
            int colon = part.indexOf(':');
            if (colon <= 0 || colon != part.length() - 2) {
                throw new IllegalArgumentException("'" + vector + "' has a malformed metric '" + part + "'");
            }
            String metric = part.substring(0, colon);
            char value = part.charAt(colon + 1);
            if (seen.put(metric, part) != null) {
                throw new IllegalArgumentException("'" + vector + "' repeats metric " + metric);
            }
            Map<Character, Double> weights = WEIGHTS.get(metric);
            String other = OTHER_METRICS.get(metric);
            if (weights != null && weights.containsKey(value)) {
                base.put(metric, value);
            } else if (other == null || other.indexOf(value) < 0) {
                throw new IllegalArgumentException("'" + vector + "' has an unknown metric or value '" + part + "'");
            }
        }
        if (base.size() != WEIGHTS.size()) {
            throw new IllegalArgumentException("'" + vector + "' lacks base metrics (needs AV, AC, PR, UI, S, C, I, A)");
        }
        return base;
    }
}
