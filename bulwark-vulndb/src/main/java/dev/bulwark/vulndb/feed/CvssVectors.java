package dev.bulwark.vulndb.feed;

import dev.bulwark.model.Cvss;

/**
 * Turns a vector string from any feed into a {@link Cvss}: finds the version, normalises the prefix, and computes
 * the base score for v2 and v3.x. v4.0 vectors are kept with a NaN score: their score comes from the
 * specification's macro-vector lookup table, which this module does not carry (yet).
 */
final class CvssVectors {
    private CvssVectors() {
    }

    /**
     * @param vector      as the feed wrote it ("CVSS:3.1/AV:N/...", "3.0/AV:N/..." as security-wg's core files do,
     *                    "AV:N/AC:L/Au:N/..." for v2)
     * @param givenScore  the feed's own base score, or NaN; used only when this class cannot compute one
     * @param source      who scored it
     * @param problems    receives one line when the vector is malformed (the vector is then kept with NaN)
     */
    static Cvss of(String vector, double givenScore, String source, java.util.function.Consumer<String> problems) {
        String v = vector.strip();
        if (v.startsWith("3.0/") || v.startsWith("3.1/")) v = "CVSS:" + v; // security-wg core: "3.0/AV:N/..."
        String version;
        double score;
        try {
            if (v.startsWith("CVSS:3.0/") || v.startsWith("CVSS:3.1/")) {
                version = v.substring(5, 8);
                score = CvssV3.baseScore(v);
            } else if (v.startsWith("CVSS:4.0/")) {
                version = "4.0";
                score = givenScore;
            } else if (v.startsWith("CVSS:2.0/") || v.startsWith("AV:") || v.startsWith("(AV:")) {
                version = "2.0";
                if (v.startsWith("CVSS:2.0/")) v = v.substring("CVSS:2.0/".length());
                score = CvssV2.baseScore(v);
            } else {
                problems.accept("unrecognised CVSS vector '" + vector + "'");
                return new Cvss("unknown", vector, givenScore, source);
            }
        } catch (IllegalArgumentException e) {
            problems.accept("invalid CVSS vector: " + e.getMessage());
            version = v.startsWith("CVSS:3.") ? v.substring(5, Math.min(8, v.length())) : "2.0";
            return new Cvss(version, vector, givenScore, source);
        }
        return new Cvss(version, v, score, source);
    }
}
