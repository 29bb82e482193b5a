package dev.bulwark.model;

import java.time.Instant;
import java.util.List;

/**
 * One vulnerability record from one source, normalised (OSV's model, which every feed maps onto).
 *
 * @param id        the source's id ("GO-2021-0113", "CVE-2024-1234", "GHSA-...", "DSA-5000-1")
 * @param source    the feed it came from ("osv-go", "debian", "alpine", "nodejs", "rustsec", "nvd"...)
 * @param aliases   other ids of the same vulnerability (CVE ids first)
 * @param summary   one line
 * @param published when it was published, or null
 * @param modified  when it last changed, or null
 * @param withdrawn when it was withdrawn (such records are skipped by matching), or null
 * @param severity  the source's overall rating
 * @param cvss      scores, if any
 * @param affected  what it affects
 * @param references URLs
 */
public record Advisory(String id, String source, List<String> aliases, String summary, Instant published, Instant modified,
                       Instant withdrawn, Severity severity, List<Cvss> cvss, List<AffectedPackage> affected,
                       List<String> references) {
    public Advisory {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        cvss = cvss == null ? List.of() : List.copyOf(cvss);
        affected = affected == null ? List.of() : List.copyOf(affected);
        references = references == null ? List.of() : List.copyOf(references);
        severity = severity == null ? Severity.UNKNOWN : severity;
    }
}
