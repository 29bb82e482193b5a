package dev.bulwark.vulndb.feed;

import java.time.Instant;

/**
 * FIRST's Exploit Prediction Scoring System score for one CVE on one day.
 *
 * @param cve          "CVE-2021-44228"
 * @param epss         probability of exploitation activity in the next 30 days, 0 to 1
 * @param percentile   share of all scored CVEs with an equal or lower score, 0 to 1
 * @param modelVersion from the file's comment line ("v2023.03.01"), or null
 * @param scoreDate    from the file's comment line, or null
 */
public record EpssScore(String cve, double epss, double percentile, String modelVersion, Instant scoreDate) {
}
