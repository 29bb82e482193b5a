package dev.bulwark.vulndb.feed;

import java.time.LocalDate;
import java.util.List;

/**
 * One entry of CISA's Known Exploited Vulnerabilities catalog: a CVE that is exploited in the wild. Matching uses
 * it to flag findings, not to find them.
 *
 * @param cveId                      "CVE-2021-44228"
 * @param vendorProject              "Apache"
 * @param product                    "Log4j2"
 * @param vulnerabilityName          CISA's title
 * @param dateAdded                  when it entered the catalog
 * @param shortDescription           CISA's description
 * @param requiredAction             what US federal agencies must do
 * @param dueDate                    by when they must do it
 * @param knownRansomwareCampaignUse true for the catalog's "Known", false for "Unknown" (CISA lacks confirmation)
 * @param notes                      free text with reference URLs, or empty
 * @param cwes                       "CWE-502"...
 */
public record KevEntry(String cveId, String vendorProject, String product, String vulnerabilityName, LocalDate dateAdded,
                       String shortDescription, String requiredAction, LocalDate dueDate,
                       boolean knownRansomwareCampaignUse, String notes, List<String> cwes) {
    public KevEntry {
        cwes = cwes == null ? List.of() : List.copyOf(cwes);
        notes = notes == null ? "" : notes;
    }
}
