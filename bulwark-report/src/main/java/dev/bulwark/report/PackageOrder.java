package dev.bulwark.report;

import dev.bulwark.model.Package;

import java.util.Comparator;
import java.util.List;

/** The one package order every report uses: OS packages first, then by ecosystem, name, version and path. */
final class PackageOrder {
    static final Comparator<Package> ORDER = Comparator
            .comparing((Package p) -> !p.type().isOsPackage())
            .thenComparing(Package::type)
            .thenComparing(Package::name)
            .thenComparing(Package::version)
            .thenComparing(p -> p.paths().isEmpty() ? "" : p.paths().get(0))
            .thenComparing(p -> p.purl() == null ? "" : p.purl());

    private PackageOrder() {
    }

    static List<Package> sorted(List<Package> packages) {
        return packages.stream().sorted(ORDER).toList();
    }
}
