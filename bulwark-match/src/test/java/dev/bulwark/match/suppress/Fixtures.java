package dev.bulwark.match.suppress;

import dev.bulwark.model.Digest;
import dev.bulwark.model.Finding;
import dev.bulwark.model.FindingStatus;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.Severity;
import dev.bulwark.model.SourcePackage;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Packages, findings and the image of the "payments-api" fixtures. */
final class Fixtures {
    static final Digest MANIFEST = Digest.parse("sha256:8c0993fa3b8b8977f92847a76b145fd0424e42f676c5eeb0a61fcd9ad5e6a038");
    static final Digest CONFIG = Digest.parse("sha256:7fbc050deec242ce07f04e612853773a68f517d13f227fb9dc11ba91ba4907fe");

    static final Package LIBSSL3 = deb("libssl3", "3.0.11-1~deb12u2", "openssl");
    static final Package OPENSSL = deb("openssl", "3.0.11-1~deb12u2", "openssl");
    static final Package ZLIB = deb("zlib1g", "1:1.2.13.dfsg-1", "zlib");
    static final Package LOGIN = deb("login", "1:4.13+dfsg1-1+b1", "shadow");
    static final Package NCURSES = deb("libncursesw6", "6.4-4", "ncurses");
    static final Package BASH = deb("bash", "5.2.15-2+b2", "bash");
    static final Package PERL = deb("perl-base", "5.36.0-7+deb12u1", "perl");
    static final Package LIBC = deb("libc6", "2.36-9+deb12u4", "glibc");
    static final Package LIBGCC = deb("libgcc-s1", "12.2.0-14", "gcc-12");
    static final Package X_TEXT = go("golang.org/x/text", "v0.3.6");
    static final Package X_TEXT_FIXED = go("golang.org/x/text", "v0.3.8");
    static final Package PAYMENTS_API = go("registry.example.com/shop/payments-api", "v1.4.2");
    static final Package JACKSON = maven("com.fasterxml.jackson.core", "jackson-databind", "2.13.2.2");
    static final Package JACKSON_NEWER = maven("com.fasterxml.jackson.core", "jackson-databind", "2.13.4");
    static final Package SNAKEYAML = maven("org.yaml", "snakeyaml", "1.30");
    static final Package SETUPTOOLS = pypi("setuptools", "65.5.1", "/usr/local/lib/python3.11/site-packages/setuptools-65.5.1.dist-info/METADATA");
    static final Package SETUPTOOLS_VENV = pypi("setuptools", "65.5.1", "/opt/venv/lib/python3.11/site-packages/setuptools-65.5.1.dist-info/METADATA");
    static final Package PIP = pypi("pip", "23.0.1", "/usr/local/lib/python3.11/site-packages/pip-23.0.1.dist-info/METADATA");

    private Fixtures() {
    }

    static Package deb(String name, String version, String source) {
        String purl = "pkg:deb/debian/" + name + "@" + version.replace(":", "%3A") + "?arch=amd64&distro=debian-12";
        return new Package(PackageType.DEB, name, version, purl, new SourcePackage(source, version), List.of(), null,
                List.of("/var/lib/dpkg/status"), Map.of("arch", "amd64"));
    }

    static Package go(String module, String version) {
        return new Package(PackageType.GOLANG, module, version, "pkg:golang/" + module + "@" + version, null, List.of(),
                null, List.of("/usr/local/bin/payments-api"), Map.of());
    }

    static Package maven(String group, String artifact, String version) {
        return new Package(PackageType.MAVEN, group + ":" + artifact, version,
                "pkg:maven/" + group + "/" + artifact + "@" + version, null, List.of(), null,
                List.of("/app/lib/" + artifact + "-" + version + ".jar"), Map.of());
    }

    static Package pypi(String name, String version, String path) {
        return new Package(PackageType.PYPI, name, version, "pkg:pypi/" + name + "@" + version, null, List.of(), null,
                List.of(path), Map.of());
    }

    static Finding finding(String id, Package pkg, String... aliases) {
        return new Finding(id, List.of(aliases), pkg, List.of(), FindingStatus.AFFECTED, Severity.HIGH, "nvd", null,
                false, Double.NaN, "", List.of(), List.of());
    }

    /** The image the fixtures describe, as a scan of registry.example.com/shop/payments-api:1.4.2 would see it. */
    static ImageInfo image() {
        return new ImageInfo("registry:registry.example.com/shop/payments-api:1.4.2", "registry", CONFIG, MANIFEST,
                List.of("registry.example.com/shop/payments-api:1.4.2"),
                List.of("registry.example.com/shop/payments-api@" + MANIFEST), null, null, List.of(), Map.of());
    }

    static ScanTarget target(Package... packages) {
        return ScanTarget.of(image(), List.of(packages));
    }

    static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/suppress/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }
}
