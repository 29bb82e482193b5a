package dev.bulwark.scan.os.dpkg;

import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import dev.bulwark.scan.os.Fixtures;
import dev.bulwark.scan.os.SizedInput;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DpkgAnalyzerTest {
    private final DpkgAnalyzer dpkg = new DpkgAnalyzer();

    private static Package named(FileResult r, String name, String arch) {
        return r.packages().stream().filter(p -> p.name().equals(name) && arch.equals(p.properties().get("arch"))).findFirst().orElseThrow();
    }

    @Test
    void statusKeepsInstalledPackagesWithTheirSources() throws Exception {
        FileResult r = dpkg.analyze(TestFiles.of("/var/lib/dpkg/status", Fixtures.bytes("dpkg/status"), 0644));
        assertThat(r.packages()).extracting(p -> p.name() + ":" + p.properties().get("arch") + "=" + p.version() + " from " + p.sourceName() + "=" + p.sourceVersion())
                .containsExactly(
                        "bash:amd64=5.2.15-2+b8 from bash=5.2.15-2",       // binNMU: the source version differs
                        "cpp:amd64=4:12.2.0-3 from gcc-defaults=1.203",     // an epoch, and a source of another name and version
                        "zlib1g:amd64=1:1.2.13.dfsg-1 from zlib=1:1.2.13.dfsg-1",
                        "libc6:amd64=2.36-9+deb12u14 from glibc=2.36-9+deb12u14",
                        "libc6:i386=2.36-9+deb12u14 from glibc=2.36-9+deb12u14", // multi-arch: one package per architecture
                        "tzdata:all=2025b-0+deb12u2 from tzdata=2025b-0+deb12u2",
                        "held-package:arm64=3.1-2 from held-source=3.1-2",
                        "lower-case-fields:amd64=0.1-1 from other-source=0.1-0.1");
        Package cpp = named(r, "cpp", "amd64");
        assertThat(cpp.purl()).isEqualTo("pkg:deb/debian/cpp@4%3A12.2.0-3?arch=amd64");
        assertThat(cpp.properties()).containsEntry("purlNamespaceFromOs", "true").containsEntry("epoch", "4")
                .containsEntry("maintainer", "Debian GCC Maintainers <debian-gcc@lists.debian.org>")
                .containsEntry("description", "GNU C preprocessor (cpp)");
        assertThat(cpp.paths()).containsExactly("/var/lib/dpkg/status");
        assertThat(cpp.layer()).isNull();
        assertThat(cpp.licenses()).isEmpty(); // licences come from the copyright files
        assertThat(named(r, "held-package", "arm64").properties().get("maintainer")).isEqualTo("Someone\nContinued <someone@example.invalid>");
        assertThat(r.warnings()).hasSize(2).anySatisfy(w -> assertThat(w).startsWith("/var/lib/dpkg/status: ").contains("broken-no-version"))
                .anySatisfy(w -> assertThat(w).contains("no-status-field").contains("no Status"));
    }

    @Test
    void distrolessStatusDirectoryHasNoStatusField() throws Exception {
        FileResult one = dpkg.analyze(TestFiles.of("/var/lib/dpkg/status.d/libssl3", Fixtures.bytes("dpkg/status.d-libssl3"), 0644));
        assertThat(one.packages()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("libssl3");
            assertThat(p.sourceName()).isEqualTo("openssl");
            assertThat(p.paths()).containsExactly("/var/lib/dpkg/status.d/libssl3");
        });
        FileResult two = dpkg.analyze(TestFiles.of("/var/lib/dpkg/status.d/base", Fixtures.bytes("dpkg/status.d-base"), 0644));
        assertThat(two.packages()).extracting(Package::name).containsExactly("base-files", "netbase");
        assertThat(two.warnings()).isEmpty();
    }

    @Test
    void fileListsAreKeyedByPackageWithoutArchitecture() throws Exception {
        FileResult r = dpkg.analyze(TestFiles.of("/var/lib/dpkg/info/libssl3:amd64.list", Fixtures.bytes("dpkg/libssl3-amd64.list"), 0644));
        assertThat(r.ownedFiles()).containsOnlyKeys("libssl3");
        assertThat(r.ownedFiles().get("libssl3")).hasSize(17).doesNotContain("/.")
                .contains("/usr/lib/x86_64-linux-gnu/libssl.so.3", "/usr/share/doc/libssl3/copyright");
        assertThat(r.packages()).isEmpty();
    }

    @Test
    void copyrightFiles() throws Exception {
        Map<String, List<String>> expected = Map.of(
                "zlib1g", List.of("Zlib"),                                // DEP-5
                "libxau6", List.of("HPND-sell-variant"),                  // free-form, the licence text itself
                "base-files", List.of("GPL-2.0-or-later"),                // "/usr/share/common-licenses/GPL" after "version 2 ... any later version"
                "libc6", List.of("LGPL-2.1-or-later", "GPL-2.0-or-later", "BSD-3-Clause"));
        for (var e : expected.entrySet()) {
            FileResult r = dpkg.analyze(TestFiles.of("/usr/share/doc/" + e.getKey() + "/copyright", Fixtures.bytes("dpkg/copyright-" + e.getKey()), 0644));
            assertThat(r.licenses()).as(e.getKey()).containsExactly(Map.entry(e.getKey(), e.getValue()));
        }
    }

    @Test
    void dep5Grouping() {
        assertThat(CopyrightParser.dep5Expression("GPL-1+ or Artistic, and Unicode")).isEqualTo("(GPL-1+ or Artistic) and Unicode");
        assertThat(CopyrightParser.dep5Expression("REGCOMP, and GPL-1+ or Artistic")).isEqualTo("REGCOMP and (GPL-1+ or Artistic)");
        assertThat(CopyrightParser.dep5Expression("MIT")).isEqualTo("MIT");
        assertThat(CopyrightParser.licenses("""
                Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
                Upstream-Name: x

                Files: *
                Copyright: 2020 Someone
                License: Apache-2.0

                Files: debian/*
                License: GPL-2+
                 This program is free software; you can redistribute it
                 .
                 License: not a field, a line of the licence text

                License: Apache-2.0
                 The text of the licence.
                """)).containsExactly("Apache-2.0", "GPL-2.0-or-later");
    }

    @Test
    void statusLimits() throws Exception {
        FileResult huge = dpkg.analyze(new SizedInput("/var/lib/dpkg/status", DpkgAnalyzer.MAX_STATUS + 1));
        assertThat(huge.packages()).isEmpty();
        assertThat(huge.warnings()).singleElement().asString().startsWith("/var/lib/dpkg/status: ").contains("limit");

        // A "line" of 3 MiB without a newline is cut, not buffered whole; fields stop growing at 64 KiB.
        StringBuilder s = new StringBuilder("Package: big\nStatus: install ok installed\nVersion: 1\nDescription: x\n");
        s.append(" ").append("y".repeat(3 << 20)).append("\n");
        for (int i = 0; i < 20_000; i++) s.append(" line ").append(i).append('\n');
        FileResult r = dpkg.analyze(TestFiles.of("/var/lib/dpkg/status", s.toString().getBytes(StandardCharsets.UTF_8), 0644));
        assertThat(r.packages()).extracting(Package::name).containsExactly("big");
        assertThat(r.warnings()).singleElement().asString().contains("cut");
    }

    @Test
    void crlfAndGarbage() throws Exception {
        String text = "Package: a\r\nStatus: install ok installed\r\nVersion: 1.0\r\n\r\nthis is not a field\r\n\r\nPackage: b\r\nStatus: install ok installed\r\nVersion: 2.0\r\n";
        FileResult r = dpkg.analyze(TestFiles.text("/var/lib/dpkg/status", text));
        assertThat(r.packages()).extracting(p -> p.name() + "=" + p.version()).containsExactly("a=1.0", "b=2.0");
        assertThat(r.warnings()).singleElement().asString().contains("1 lines are neither fields nor continuations");
    }

    @Test
    void requiredPaths() {
        for (String p : List.of("/var/lib/dpkg/status", "/var/lib/dpkg/status.d/libssl3", "/var/lib/dpkg/info/libc6:amd64.list",
                "/var/lib/dpkg/info/bash.list", "/usr/share/doc/bash/copyright"))
            assertThat(dpkg.required(p, 10, 0644)).as(p).isTrue();
        for (String p : List.of("/var/lib/dpkg/status-old", "/var/lib/dpkg/status.d/libssl3.md5sums", "/var/lib/dpkg/info/bash.md5sums",
                "/var/lib/dpkg/info/sub/x.list", "/usr/share/doc/bash/examples/copyright", "/usr/share/doc/copyright", "/var/lib/dpkg/status.d/"))
            assertThat(dpkg.required(p, 10, 0644)).as(p).isFalse();
        assertThat(dpkg.packageDatabase()).isTrue();
    }
}
