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
 * @param secrets     the inventory's secrets left after the severity filter (empty when secrets were not asked for)
 * @param hygiene     the inventory's hygiene problems left after the severity filter (empty when not asked for)
 */
public record ScanReport(Inventory inventory, List<Finding> findings, List<Suppression> suppressed, VulnDbInfo db,
                         List<String> warnings, List<SecretFinding> secrets, List<HygieneFinding> hygiene) {
    public ScanReport {
        Objects.requireNonNull(inventory, "inventory");
        findings = findings == null ? List.of() : List.copyOf(findings);
        suppressed = suppressed == null ? List.of() : List.copyOf(suppressed);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        hygiene = hygiene == null ? List.of() : List.copyOf(hygiene);
    }

    /** A report of vulnerabilities only. */
    public ScanReport(Inventory inventory, List<Finding> findings, List<Suppression> suppressed, VulnDbInfo db, List<String> warnings) {
        this(inventory, findings, suppressed, db, warnings, List.of(), List.of());
    }

    /** Whether anything at all was found: vulnerabilities, secrets or hygiene problems. */
    public boolean hasFindings() {
        return !findings.isEmpty() || !secrets.isEmpty() || !hygiene.isEmpty();
    }
}
