package dev.bulwark.scan.os;

import dev.bulwark.model.OsRelease;
import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import dev.bulwark.scan.os.dpkg.DpkgAnalyzer;
import dev.bulwark.scan.os.release.OsReleaseAnalyzer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OsAnalyzersTest {
    private final OsReleaseAnalyzer os = new OsReleaseAnalyzer();
    private final DpkgAnalyzer dpkg = new DpkgAnalyzer();

    @Test
    void osReleaseQuotingAndDistroless() throws Exception {
        OsRelease r = os.analyze(TestFiles.text("/etc/os-release", """
                # comment
                PRETTY_NAME="Distroless"
                NAME='Debian GNU/Linux'
                ID=debian
                VERSION_ID="12"
                VERSION="Debian \\"12\\" (bookworm)"
                VERSION_CODENAME=bookworm
                """)).os();
        assertThat(r.id()).isEqualTo("debian");
        assertThat(r.versionId()).isEqualTo("12");
        assertThat(r.codename()).isEqualTo("bookworm");
        assertThat(r.distroless()).isTrue();
    }

    @Test
    void olderReleaseFiles() throws Exception {
        assertThat(os.analyze(TestFiles.text("/etc/redhat-release", "Rocky Linux release 9.3 (Blue Onyx)\n")).os())
                .satisfies(r -> assertThat(r.id() + " " + r.versionId()).isEqualTo("rocky 9.3"));
        assertThat(os.analyze(TestFiles.text("/etc/alpine-release", "3.20.3\n")).os().versionId()).isEqualTo("3.20.3");
        assertThat(os.analyze(TestFiles.text("/etc/debian_version", "12.7\n")).os().versionId()).isEqualTo("12");
        assertThat(os.required("/etc/os-release", 100, 0644)).isTrue();
        assertThat(os.required("/home/x/os-release", 100, 0644)).isFalse();
    }

    @Test
    void dpkgStatusKeepsInstalledPackagesWithTheirSources() throws Exception {
        FileResult r = dpkg.analyze(TestFiles.text("/var/lib/dpkg/status", """
                Package: zlib1g
                Status: install ok installed
                Architecture: amd64
                Source: zlib (1:1.2.13.dfsg-1)
                Version: 1:1.2.13.dfsg-1
                Description: compression library - runtime
                 zlib is a library implementing the deflate compression method found
                 in gzip and PKZIP.

                Package: removed-thing
                Status: deinstall ok config-files
                Version: 1.0

                Package: libc6
                Status: hold ok installed
                Version: 2.36-9+deb12u10
                Source: glibc

                Package: broken
                Status: install ok installed
                """));
        assertThat(r.packages()).extracting(Package::name).containsExactly("zlib1g", "libc6");
        Package z = r.packages().get(0);
        assertThat(z.source().name()).isEqualTo("zlib");
        assertThat(z.source().version()).isEqualTo("1:1.2.13.dfsg-1");
        assertThat(z.purl()).isEqualTo("pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64");
        assertThat(r.packages().get(1).sourceVersion()).isEqualTo("2.36-9+deb12u10");
        assertThat(r.warnings()).singleElement().asString().contains("broken");
    }

    @Test
    void dpkgFileListsAndCopyright() throws Exception {
        FileResult list = dpkg.analyze(TestFiles.text("/var/lib/dpkg/info/libssl3:amd64.list", "/.\n/usr\n/usr/lib/x86_64-linux-gnu/libssl.so.3\n"));
        assertThat(list.ownedFiles()).containsEntry("libssl3", List.of("/usr", "/usr/lib/x86_64-linux-gnu/libssl.so.3"));
        FileResult c = dpkg.analyze(TestFiles.text("/usr/share/doc/libssl3/copyright", """
                Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
                Files: *
                License: Apache-2.0

                Files: debian/*
                License: GPL-2+
                """));
        assertThat(c.licenses()).containsEntry("libssl3", List.of("Apache-2.0", "GPL-2.0-or-later"));
    }

    @Property(tries = 300)
    void garbageNeverThrows(@ForAll byte[] data) throws Exception {
        for (String path : List.of("/var/lib/dpkg/status", "/var/lib/dpkg/info/x.list", "/usr/share/doc/x/copyright", "/etc/os-release", "/etc/redhat-release")) {
            (path.contains("dpkg") || path.contains("doc") ? dpkg : os).analyze(TestFiles.of(path, data, 0644));
        }
    }
}
