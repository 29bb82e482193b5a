package dev.bulwark.match.version;

import dev.bulwark.model.AffectedRange;
import dev.bulwark.model.PackageType;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Finds the version scheme for an OSV ecosystem, a package type or an OSV range. */
public final class Versions {
    /** OSV ecosystem names (without their ":release" suffix), lower-cased, to schemes. */
    private static final Map<String, Scheme> BY_ECOSYSTEM = Map.ofEntries(
            Map.entry("debian", Scheme.DPKG),
            Map.entry("ubuntu", Scheme.DPKG),
            Map.entry("alpine", Scheme.APK),
            Map.entry("wolfi", Scheme.APK),
            Map.entry("chainguard", Scheme.APK),
            Map.entry("red hat", Scheme.RPM),
            Map.entry("rocky linux", Scheme.RPM),
            Map.entry("almalinux", Scheme.RPM),
            Map.entry("suse", Scheme.RPM),
            Map.entry("opensuse", Scheme.RPM),
            Map.entry("mageia", Scheme.RPM),
            Map.entry("openeuler", Scheme.RPM),
            Map.entry("photon os", Scheme.RPM),
            Map.entry("npm", Scheme.SEMVER),
            Map.entry("crates.io", Scheme.SEMVER),
            Map.entry("maven", Scheme.MAVEN),
            Map.entry("pypi", Scheme.PEP440),
            Map.entry("go", Scheme.GO),
            Map.entry("rubygems", Scheme.GEM));

    private Versions() {
    }

    /**
     * The scheme for an OSV ecosystem such as {@code "Debian:12"}, {@code "Alpine:v3.20"}, {@code "npm"} or
     * {@code "PyPI"}; the release after the first colon is ignored and case does not matter.
     *
     * @return empty for an ecosystem without a scheme here (NuGet, Packagist, Hex…)
     */
    public static Optional<VersionScheme> forEcosystem(String osvEcosystem) {
        Objects.requireNonNull(osvEcosystem, "osvEcosystem");
        int colon = osvEcosystem.indexOf(':');
        String name = (colon < 0 ? osvEcosystem : osvEcosystem.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        return Optional.ofNullable(BY_ECOSYSTEM.get(name));
    }

    /** The scheme for a package type; every type has one (Cargo uses SemVer). */
    public static VersionScheme forPackageType(PackageType type) {
        return switch (type) {
            case DEB -> Scheme.DPKG;
            case RPM -> Scheme.RPM;
            case APK -> Scheme.APK;
            case MAVEN -> Scheme.MAVEN;
            case NPM, CARGO -> Scheme.SEMVER;
            case PYPI -> Scheme.PEP440;
            case GOLANG -> Scheme.GO;
            case GEM -> Scheme.GEM;
        };
    }

    /**
     * The scheme that orders the events of an OSV range: SemVer for SEMVER ranges, the ecosystem's own for
     * ECOSYSTEM ranges, none for GIT ranges (commits have no order without the repository). OSV's
     * {@code introduced: "0"} is a sentinel for "the beginning", not a version: callers handle it before comparing.
     */
    public static Optional<VersionScheme> forRange(AffectedRange.Type type, String osvEcosystem) {
        return switch (type) {
            case SEMVER -> Optional.of(Scheme.SEMVER);
            case ECOSYSTEM -> forEcosystem(osvEcosystem);
            case GIT -> Optional.empty();
        };
    }
}
