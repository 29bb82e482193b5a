package dev.bulwark.vulndb;

import dev.bulwark.model.Cvss;
import java.time.LocalDate;
import java.util.List;

/**
 * What the DB knows of one vulnerability id beyond the advisories that name packages: NVD's scores, CISA KEV and
 * EPSS.
 *
 * @param id             a CVE id
 * @param nvdCvss        NVD's CVSS scores (primary first), empty when NVD was not imported or has none
 * @param kev            listed in CISA's Known Exploited Vulnerabilities catalog
 * @param kevDateAdded   when it was listed, or null
 * @param ransomware     CISA knows of its use in ransomware campaigns
 * @param epss           EPSS probability, NaN when unknown
 * @param epssPercentile EPSS percentile, NaN when unknown
 */
public record Enrichment(String id, List<Cvss> nvdCvss, boolean kev, LocalDate kevDateAdded, boolean ransomware,
                         double epss, double epssPercentile) {
    public Enrichment {
        nvdCvss = nvdCvss == null ? List.of() : List.copyOf(nvdCvss);
    }

    public static Enrichment none(String id) {
        return new Enrichment(id, List.of(), false, null, false, Double.NaN, Double.NaN);
    }
}
