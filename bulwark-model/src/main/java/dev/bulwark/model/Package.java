package dev.bulwark.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One installed package.
 *
 * @param type      ecosystem
 * @param name      the ecosystem's own name ("libssl3", "org.apache.commons:commons-lang3", "@babel/core")
 * @param version   the installed version as the ecosystem writes it (dpkg: with epoch and revision)
 * @param purl      package URL
 * @param source    the source package it was built from (OS packages: matching is by source), or null
 * @param licenses  licences as SPDX ids or expressions; LicenseRef-... for unknown texts
 * @param layer     diffID of the layer that added this version; null for an unpacked root filesystem
 * @param paths     files that identify or make up the package inside the image (absolute, "/"-separated)
 * @param properties further facts: architecture, sha1, go version, vendor, ...
 */
public record Package(PackageType type, String name, String version, String purl, SourcePackage source,
                      List<String> licenses, Digest layer, List<String> paths, Map<String, String> properties) {
    public Package {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        version = version == null ? "" : version;
        licenses = licenses == null ? List.of() : List.copyOf(licenses);
        paths = paths == null ? List.of() : List.copyOf(paths);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public Package withLayer(Digest d) {
        return new Package(type, name, version, purl, source, licenses, d, paths, properties);
    }

    public Package withPaths(List<String> p) {
        return new Package(type, name, version, purl, source, licenses, layer, p, properties);
    }

    /** The source package name for matching; the package's own name when it has no separate source. */
    public String sourceName() {
        return source != null ? source.name() : name;
    }

    /** The source version for matching; the package's own version when the source has none. */
    public String sourceVersion() {
        return source != null && source.version() != null && !source.version().isEmpty() ? source.version() : version;
    }

    /** Identity within an inventory: type, name, version, architecture (multiarch dpkg) and first path. */
    public String key() {
        return type.purlType() + "|" + name + "|" + version + "|" + properties.getOrDefault("arch", "") + "|"
                + (paths.isEmpty() ? "" : paths.get(0));
    }
}
