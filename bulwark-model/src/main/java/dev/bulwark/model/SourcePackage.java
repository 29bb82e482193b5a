package dev.bulwark.model;

/** The source package an OS binary package was built from (Debian Source, rpm sourcerpm, apk origin). */
public record SourcePackage(String name, String version) {
}
