package dev.bulwark.model;

import java.util.List;
import java.util.Map;

/**
 * One package an advisory affects.
 *
 * @param ecosystem OSV ecosystem name, with the release for distributions ("Debian:12", "Alpine:v3.20", "npm",
 *                  "PyPI", "Maven", "Go", "crates.io", "RubyGems", "NuGet", "Packagist")
 * @param name      the package name as the ecosystem writes it (for distributions: the SOURCE package)
 * @param ranges    affected ranges
 * @param versions  explicitly listed affected versions (OSV "versions")
 * @param status    for distribution advisories: "fixed", "unfixed" (no fix yet), "wont-fix" (will not be fixed),
 *                  "not-affected"; null when the ranges say it all
 * @param severity  the distribution's own rating for this package, when it gives one
 * @param extra     source-specific facts kept for reports (e.g. Debian urgency, Alpine repository)
 */
public record AffectedPackage(String ecosystem, String name, List<AffectedRange> ranges, List<String> versions,
                              String status, Severity severity, Map<String, String> extra) {
    public AffectedPackage {
        ranges = ranges == null ? List.of() : List.copyOf(ranges);
        versions = versions == null ? List.of() : List.copyOf(versions);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        severity = severity == null ? Severity.UNKNOWN : severity;
    }
}
