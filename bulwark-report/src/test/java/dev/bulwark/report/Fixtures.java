package dev.bulwark.report;

import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.OsRelease;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.Platform;
import dev.bulwark.model.SourcePackage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Inventories shaped like what the scanner produces for real images. */
final class Fixtures {
    static final Instant SCANNED = Instant.parse("2024-05-02T09:15:30.123456789Z");
    static final Instant CREATED = Instant.parse("2024-05-02T09:16:00Z");
    static final Digest BASE_LAYER = sha("base layer");
    static final Digest APP_LAYER = sha("app layer");
    static final Digest IMAGE_ID = sha("config");
    static final Digest MANIFEST = sha("manifest");

    private Fixtures() {
    }

    static Digest sha(String s) {
        return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    static ReportOptions options() {
        return ReportOptions.defaults().withTool("bulwark", "1.2.3").withCreated(CREATED);
    }

    /** A Debian bookworm image with a Java and a Node application on top, as pulled from a local registry. */
    static Inventory debianApp() {
        ImageInfo image = new ImageInfo("registry:localhost:5000/team/app:1.0", "registry", IMAGE_ID, MANIFEST,
                List.of("localhost:5000/team/app:1.0"), List.of("localhost:5000/team/app@" + MANIFEST),
                new Platform("linux", "amd64", null), "2024-05-01T10:00:00Z",
                List.of(new LayerInfo(0, BASE_LAYER, sha("base blob"), 29_150_000, "application/vnd.oci.image.layer.v1.tar+gzip",
                                "/bin/sh -c #(nop) ADD file:1b0b5 in / "),
                        new LayerInfo(1, APP_LAYER, sha("app blob"), 41_000_123, "application/vnd.oci.image.layer.v1.tar+gzip",
                                "COPY app /app # buildkit")),
                Map.of("user", "app", "entrypoint", "java -jar /app/app.jar", "envNames", "PATH,JAVA_HOME"));
        OsRelease os = new OsRelease("debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)", null, false);
        List<Package> packages = List.of(
                deb("libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2", List.of("Apache-2.0")),
                deb("libc6", "2.36-9+deb12u4", "glibc", "2.36-9+deb12u4", List.of("LGPL-2.1-or-later", "GPL-2.0-or-later")),
                deb("bash", "5.2.15-2+b2", "bash", "5.2.15-2", List.of("GPL-3.0-or-later")),
                deb("libgcc-s1", "12.2.0-14", "gcc-12", "12.2.0-14", List.of("GPL-2+ with exception")),
                deb("tzdata", "2024a-0+deb12u1", null, null, List.of()),
                new Package(PackageType.MAVEN, "org.apache.commons:commons-lang3", "3.14.0",
                        "pkg:maven/org.apache.commons/commons-lang3@3.14.0", null, List.of("Apache-2.0"), APP_LAYER,
                        List.of("/app/lib/commons-lang3-3.14.0.jar"), Map.of("sha1", "1ed471194b02f2c6cb734a0cd6f6f107c673afae")),
                new Package(PackageType.NPM, "@babel/core", "7.24.5", "pkg:npm/%40babel/core@7.24.5", null, List.of("MIT"),
                        APP_LAYER, List.of("/app/node_modules/@babel/core/package.json"), Map.of()),
                new Package(PackageType.NPM, "@a-rather-long-scope-name/an-extremely-long-package-name-for-truncation",
                        "1.0.0-alpha.1+build.20240501.abcdef0123456789abcdef",
                        "pkg:npm/%40a-rather-long-scope-name/an-extremely-long-package-name-for-truncation@1.0.0-alpha.1%2Bbuild.20240501.abcdef0123456789abcdef",
                        null, List.of("(MIT OR Apache-2.0)", "BSD-3-Clause"), APP_LAYER,
                        List.of("/app/node_modules/@a-rather-long-scope-name/an-extremely-long-package-name-for-truncation/package.json"),
                        Map.of()),
                new Package(PackageType.PYPI, "cryptography", "42.0.5", "pkg:pypi/cryptography@42.0.5", null,
                        List.of("Apache-2.0 OR BSD-3-Clause"), APP_LAYER,
                        List.of("/usr/lib/python3/dist-packages/cryptography-42.0.5.dist-info/METADATA"), Map.of()));
        List<String> warnings = List.of(
                "/usr/lib/python3/dist-packages/broken-1.0.dist-info/METADATA: cannot parse: unexpected end of headers at line 12, so the package was skipped",
                "layer " + APP_LAYER.shortHex() + ": symlink loop at /app/current");
        return new Inventory(image, os, packages, warnings, SCANNED, "bulwark");
    }

    /** An unpacked root filesystem: no image ID, no digests, no layers, no os-release. */
    static Inventory rootfs() {
        ImageInfo image = new ImageInfo("rootfs:/srv/chroot", "rootfs", null, null, List.of(), List.of(), null, null,
                List.of(new LayerInfo(0, null, null, -1, null, null)), Map.of());
        return new Inventory(image, null,
                List.of(new Package(PackageType.APK, "musl", "1.2.5-r0", "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64", null,
                        List.of("MIT"), null, List.of("/lib/apk/db/installed"), Map.of())),
                List.of(), SCANNED, "bulwark");
    }

    static Package deb(String name, String version, String source, String sourceVersion, List<String> licenses) {
        String purl = "pkg:deb/debian/" + name + "@" + version.replace("+", "%2B") + "?arch=amd64&distro=debian-12"
                + (source != null && !source.equals(name) ? "&upstream=" + source : "");
        return new Package(PackageType.DEB, name, version, purl, source == null ? null : new SourcePackage(source, sourceVersion),
                licenses, BASE_LAYER, List.of("/var/lib/dpkg/status"), Map.of("architecture", "amd64"));
    }
}
