package dev.bulwark.model;

/** Package ecosystems, named by their package-url type. */
public enum PackageType {
    DEB("deb", true), APK("apk", true), RPM("rpm", true),
    MAVEN("maven", false), NPM("npm", false), PYPI("pypi", false), GOLANG("golang", false),
    CARGO("cargo", false), GEM("gem", false);

    private final String purlType;
    private final boolean os;

    PackageType(String purlType, boolean os) {
        this.purlType = purlType;
        this.os = os;
    }

    public String purlType() {
        return purlType;
    }

    /** True for distribution packages (matched by source package against the distribution's advisories). */
    public boolean isOsPackage() {
        return os;
    }
}
