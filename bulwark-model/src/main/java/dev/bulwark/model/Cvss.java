package dev.bulwark.model;

/**
 * A CVSS score.
 *
 * @param version "2.0", "3.0", "3.1" or "4.0"
 * @param vector  the vector string ("CVSS:3.1/AV:N/...")
 * @param score   base score, or NaN when only the vector is known
 * @param source  who scored it ("nvd", "ghsa", the distribution)
 */
public record Cvss(String version, String vector, double score, String source) {
    public Severity severity() {
        return Double.isNaN(score) ? Severity.UNKNOWN : Severity.ofCvssScore(score);
    }
}
