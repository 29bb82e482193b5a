package dev.bulwark.match.version;

import java.util.Comparator;
import java.util.function.Predicate;

/** The standard version schemes; each delegates to the class that parses and orders its versions. */
public enum Scheme implements VersionScheme {
    /** Debian and derivatives: {@link DpkgVersion}. */
    DPKG("dpkg", DpkgVersion::compare, DpkgVersion::isValid),
    /** Red Hat family, SUSE: {@link RpmVersion}. */
    RPM("rpm", RpmVersion::compare, RpmVersion::isValid),
    /** Alpine, Wolfi: {@link ApkVersion}. */
    APK("apk", ApkVersion::compare, ApkVersion::isValid),
    /** Semantic Versioning 2.0.0 (npm, crates.io, OSV SEMVER ranges): {@link SemVer}. */
    SEMVER("semver", SemVer::compare, SemVer::isValid),
    /** Maven: {@link MavenVersion}. */
    MAVEN("maven", MavenVersion::compare, MavenVersion::isValid),
    /** Python packages: {@link Pep440Version}. */
    PEP440("pep440", Pep440Version::compare, Pep440Version::isValid),
    /** Go modules: {@link GoVersion}. */
    GO("go", GoVersion::compare, GoVersion::isValid),
    /** RubyGems: {@link GemVersion}. */
    GEM("gem", GemVersion::compare, GemVersion::isValid);

    private final String id;
    private final Comparator<String> order;
    private final Predicate<String> valid;

    Scheme(String id, Comparator<String> order, Predicate<String> valid) {
        this.id = id;
        this.order = order;
        this.valid = valid;
    }

    @Override
    public int compare(String a, String b) {
        return order.compare(a, b);
    }

    @Override
    public boolean isValid(String version) {
        return valid.test(version);
    }

    @Override
    public String id() {
        return id;
    }
}
