package dev.bulwark.model;

import java.util.List;
import java.util.Objects;

/**
 * One vulnerability of one installed package.
 *
 * @param id             the vulnerability's primary id: the CVE when one is known, else the source's id
 *                       ("GO-2021-0113", "GHSA-...")
 * @param aliases        its other ids, merged from every advisory that names the same vulnerability
 * @param pkg            the package (type, name, version, purl, layer, paths)
 * @param fixedVersions  versions that fix it for this package, in the package's own scheme; empty when none
 * @param status         whether a fix exists
 * @param severity       the distribution's rating for OS packages when it gives one, else CVSS (NVD first),
 *                       else the advisory's own
 * @param severitySource who rated it ("debian", "nvd", "ghsa"...)
 * @param cvss           the CVSS score the severity came from, or the best one known; null when none
 * @param knownExploited listed in CISA's Known Exploited Vulnerabilities catalog
 * @param epss           EPSS probability of exploitation in the next 30 days, or NaN when unknown
 * @param title          one line, or empty
 * @param dataSources    the advisories it was found in, as "source:id"
 * @param references     URLs
 */
public record Finding(String id, List<String> aliases, Package pkg, List<String> fixedVersions, FindingStatus status,
                      Severity severity, String severitySource, Cvss cvss, boolean knownExploited, double epss,
                      String title, List<String> dataSources, List<String> references) {
    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pkg, "pkg");
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        fixedVersions = fixedVersions == null ? List.of() : List.copyOf(fixedVersions);
        status = status == null ? FindingStatus.AFFECTED : status;
        severity = severity == null ? Severity.UNKNOWN : severity;
        severitySource = severitySource == null ? "" : severitySource;
        title = title == null ? "" : title;
        dataSources = dataSources == null ? List.of() : List.copyOf(dataSources);
        references = references == null ? List.of() : List.copyOf(references);
    }

    /** True when {@code name} is this finding's id or one of its aliases. */
    public boolean isKnownAs(String name) {
        return id.equals(name) || aliases.contains(name);
    }

    /** The first fixed version, or empty. */
    public String firstFixedVersion() {
        return fixedVersions.isEmpty() ? "" : fixedVersions.get(0);
    }
}
