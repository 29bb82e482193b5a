package dev.bulwark.match;

import dev.bulwark.model.OsRelease;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which OSV ecosystem and which name a package is looked up by. Distribution packages are looked up by their
 * source package in the ecosystem of their exact release ("Debian:12", "Alpine:v3.20", "Ubuntu:22.04"), because
 * distributions publish advisories per source package and per release; language packages by their ecosystem and
 * name, never by CPE.
 */
final class Ecosystems {
    private static final Map<String, String> DEBIAN_CODENAMES = Map.of(
            "buster", "10", "bullseye", "11", "bookworm", "12", "trixie", "13", "forky", "14");

    private Ecosystems() {
    }

    /**
     * The ecosystem a package's advisories are filed under, or null when the distribution is unknown or has no
     * OSV ecosystem Bulwark knows.
     */
    static String of(Package p, OsRelease os) {
        return switch (p.type()) {
            case MAVEN -> "Maven";
            case NPM -> "npm";
            case PYPI -> "PyPI";
            case GOLANG -> "Go";
            case CARGO -> "crates.io";
            case GEM -> "RubyGems";
            case DEB, APK, RPM -> distribution(os);
        };
    }

    /** "Debian:12", "Ubuntu:22.04", "Alpine:v3.20", "AlmaLinux:9"...; null when unknown. */
    static String distribution(OsRelease os) {
        if (os == null || os.id() == null) return null;
        String id = os.id().toLowerCase(Locale.ROOT);
        String v = os.versionId() == null ? "" : os.versionId().strip();
        return switch (id) {
            case "debian" -> {
                String major = v.isEmpty() ? DEBIAN_CODENAMES.get(os.codename() == null ? "" : os.codename()) : major(v);
                yield major == null ? null : "Debian:" + major;
            }
            case "ubuntu" -> v.isEmpty() ? null : "Ubuntu:" + v;
            case "alpine" -> {
                String[] parts = v.split("\\.");
                yield parts.length < 2 ? null : "Alpine:v" + parts[0] + "." + parts[1];
            }
            case "almalinux" -> v.isEmpty() ? null : "AlmaLinux:" + major(v);
            case "rocky" -> v.isEmpty() ? null : "Rocky Linux:" + major(v);
            case "wolfi" -> "Wolfi";
            case "chainguard" -> "Chainguard";
            default -> null;
        };
    }

    /** The names to look a package up by: distribution packages by source (rpm also by binary name). */
    static List<String> names(Package p) {
        if (p.type() == PackageType.RPM && !p.sourceName().equals(p.name())) return List.of(p.sourceName(), p.name());
        return List.of(p.type().isOsPackage() ? p.sourceName() : p.name());
    }

    /**
     * The version to compare: Debian and Ubuntu advisories name source versions (a binNMU "+b1" binary is the same
     * source), every other ecosystem the package's own.
     */
    static String version(Package p) {
        return p.type() == PackageType.DEB ? p.sourceVersion() : p.version();
    }

    private static String major(String v) {
        int dot = v.indexOf('.');
        return dot < 0 ? v : v.substring(0, dot);
    }
}
