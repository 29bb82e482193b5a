package dev.bulwark.model;

import java.util.Locale;

/** Severity levels, ordered from least to most severe. */
public enum Severity {
    UNKNOWN, NEGLIGIBLE, LOW, MEDIUM, HIGH, CRITICAL;

    /** Parses the names distributions and feeds use ("moderate" and "important" included); unknown → UNKNOWN. */
    public static Severity parse(String s) {
        if (s == null) return UNKNOWN;
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "negligible", "unimportant", "none", "info", "informational" -> NEGLIGIBLE;
            case "low", "minor" -> LOW;
            case "medium", "moderate" -> MEDIUM;
            case "high", "important" -> HIGH;
            case "critical" -> CRITICAL;
            default -> UNKNOWN;
        };
    }

    /** The CVSS v3/v4 qualitative rating of a base score. */
    public static Severity ofCvssScore(double score) {
        if (score <= 0.0) return NEGLIGIBLE;
        if (score < 4.0) return LOW;
        if (score < 7.0) return MEDIUM;
        if (score < 9.0) return HIGH;
        return CRITICAL;
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}
