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

    @Test
    void apkInstalledDatabase() throws Exception {
        FileResult r = new dev.bulwark.scan.os.apk.ApkAnalyzer().analyze(TestFiles.text("/lib/apk/db/installed", """
                C:Q1kcSKQLl0Q4jDiZNMZ4Fw6yyRtqc=
                P:libcrypto3
                V:3.3.2-r1
                A:x86_64
                S:1753678
                I:4603904
                T:Crypto library from openssl
                U:https://www.openssl.org/
                L:Apache-2.0
                o:openssl
                m:Ariadne Conill <ariadne@dereferenced.org>
                t:1726656577
                c:ea2ba5a1c3bd37ae6cfc3a7b8c7d5a1f7d8c27f7
                D:so:libc.musl-x86_64.so.1
                p:so:libcrypto.so.3=3
                F:lib
                R:libcrypto.so.3
                a:0:0:755
                Z:Q1TDR+yPeeWQYNQ8JDgwyT1bH8hAc=
                F:usr/lib/engines-3
                R:afalg.so

                P:musl
                V:1.2.5-r0
                A:x86_64
                L:MIT
                o:musl
                F:lib
                R:ld-musl-x86_64.so.1

                """));
        assertThat(r.packages()).extracting(p -> p.name() + "@" + p.version()).containsExactly("libcrypto3@3.3.2-r1", "musl@1.2.5-r0");
        Package crypto = r.packages().get(0);
        assertThat(crypto.sourceName()).isEqualTo("openssl");
        assertThat(crypto.licenses()).containsExactly("Apache-2.0");
        assertThat(crypto.purl()).isEqualTo("pkg:apk/alpine/libcrypto3@3.3.2-r1?arch=x86_64");
        assertThat(r.ownedFiles().get("libcrypto3")).containsExactly("/lib/libcrypto.so.3", "/usr/lib/engines-3/afalg.so");
    }

    @Property(tries = 300)
    void garbageNeverThrows(@ForAll byte[] data) throws Exception {
        for (String path : List.of("/var/lib/dpkg/status", "/var/lib/dpkg/info/x.list", "/usr/share/doc/x/copyright", "/etc/os-release", "/etc/redhat-release")) {
            (path.contains("dpkg") || path.contains("doc") ? dpkg : os).analyze(TestFiles.of(path, data, 0644));
        }
        new dev.bulwark.scan.os.apk.ApkAnalyzer().analyze(TestFiles.of("/lib/apk/db/installed", data, 0644));
    }
}
