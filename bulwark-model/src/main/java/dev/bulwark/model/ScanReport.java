package dev.bulwark.model;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@code bulwark scan}: what is inside, and what of it is vulnerable.
 *
 * @param inventory   the inventory that was matched
 * @param findings    vulnerabilities found, after filters and suppressions, sorted by severity (highest first),
 *                    then package, then id
 * @param suppressed  findings left out by an ignore file or a VEX document
 * @param db          the vulnerability data used
 * @param warnings    matching problems (unknown ecosystem, unparsable version, stale DB...)
 */
public record ScanReport(Inventory inventory, List<Finding> findings, List<Suppression> suppressed, VulnDbInfo db,
                         List<String> warnings) {
    public ScanReport {
        Objects.requireNonNull(inventory, "inventory");
        findings = findings == null ? List.of() : List.copyOf(findings);
        suppressed = suppressed == null ? List.of() : List.copyOf(suppressed);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
