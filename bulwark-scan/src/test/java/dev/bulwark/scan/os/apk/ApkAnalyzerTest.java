package dev.bulwark.scan.os.apk;

import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import dev.bulwark.scan.os.Fixtures;
import dev.bulwark.scan.os.SizedInput;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixture is an Alpine 3.20 base image's /lib/apk/db/installed, synthesised in apk's own format (the package
 * set, versions, origins, licences and file lists of alpine:3.20; checksums made up).
 */
class ApkAnalyzerTest {
    private final ApkAnalyzer apk = new ApkAnalyzer();

    @Test
    void alpineBaseImage() throws Exception {
        FileResult r = apk.analyze(TestFiles.of("/lib/apk/db/installed", Fixtures.bytes("apk/installed"), 0644));
        assertThat(r.warnings()).isEmpty();
        assertThat(r.packages()).extracting(p -> p.name() + " " + p.version() + " " + p.sourceName())
                .containsExactly("alpine-baselayout-data 3.6.5-r0 alpine-baselayout", "alpine-baselayout 3.6.5-r0 alpine-baselayout",
                        "alpine-keys 2.4-r1 alpine-keys", "musl 1.2.5-r0 musl", "busybox 1.36.1-r29 busybox",
                        "busybox-binsh 1.36.1-r29 busybox", "ca-certificates-bundle 20240705-r0 ca-certificates",
                        "libcrypto3 3.3.2-r0 openssl", "libssl3 3.3.2-r0 openssl", "musl-utils 1.2.5-r0 musl",
                        "scanelf 1.3.7-r2 pax-utils", "ssl_client 1.36.1-r29 busybox", "zlib 1.3.1-r1 zlib",
                        "apk-tools 2.14.4-r0 apk-tools");
        Package crypto = r.packages().stream().filter(p -> p.name().equals("libcrypto3")).findFirst().orElseThrow();
        assertThat(crypto.purl()).isEqualTo("pkg:apk/alpine/libcrypto3@3.3.2-r0?arch=x86_64");
        assertThat(crypto.sourceVersion()).isEqualTo("3.3.2-r0");
        assertThat(crypto.licenses()).containsExactly("Apache-2.0");
        assertThat(crypto.paths()).containsExactly("/lib/apk/db/installed");
        assertThat(crypto.properties()).containsEntry("arch", "x86_64").containsEntry("description", "Crypto library from openssl")
                .containsEntry("maintainer", "Ariadne Conill <ariadne@dereferenced.org>");
        assertThat(r.ownedFiles().get("libcrypto3")).containsExactly("/etc/ssl/ct_log_list.cnf", "/etc/ssl/openssl.cnf",
                "/lib/libcrypto.so.3", "/usr/lib/engines-3/afalg.so", "/usr/lib/engines-3/capi.so",
                "/usr/lib/engines-3/loader_attic.so", "/usr/lib/engines-3/padlock.so", "/usr/lib/ossl-modules/legacy.so");
        assertThat(r.ownedFiles().get("busybox-binsh")).containsExactly("/bin/sh");
        assertThat(r.ownedFiles()).doesNotContainKey("alpine-baselayout-dataX").hasSize(14);
        Package utils = r.packages().stream().filter(p -> p.name().equals("musl-utils")).findFirst().orElseThrow();
        assertThat(utils.licenses()).hasSize(1).first().asString().contains("MIT").contains("BSD-2-Clause").contains("GPL-2.0-or-later");
    }

    @Test
    void oldSpaceSeparatedLicences() {
        assertThat(ApkDatabaseParser.licenses("MIT BSD")).containsExactly("MIT", "BSD-3-Clause");
        assertThat(ApkDatabaseParser.licenses("Apache License 2.0")).containsExactly("Apache-2.0");
        assertThat(ApkDatabaseParser.licenses("MIT AND Zlib")).singleElement().asString().contains("MIT").contains("Zlib");
        assertThat(ApkDatabaseParser.licenses("")).isEmpty();
    }

    @Test
    void damagedStanzas() throws Exception {
        FileResult r = apk.analyze(TestFiles.text("/lib/apk/db/installed", """
                P:no-version
                A:x86_64

                V:1.0-r0
                L:MIT

                garbage line without a colon
                P:ok
                V:2.0-r1
                R:file-at-the-root
                F:usr/bin
                R:tool
                """));
        assertThat(r.packages()).extracting(Package::name).containsExactly("ok");
        assertThat(r.packages().get(0).properties()).doesNotContainKey("arch");
        assertThat(r.packages().get(0).purl()).isEqualTo("pkg:apk/alpine/ok@2.0-r1");
        assertThat(r.ownedFiles().get("ok")).containsExactly("/file-at-the-root", "/usr/bin/tool");
        assertThat(r.warnings()).hasSize(3).allSatisfy(w -> assertThat(w).startsWith("/lib/apk/db/installed: "));
    }

    @Test
    void limits() throws Exception {
        FileResult r = apk.analyze(new SizedInput("/lib/apk/db/installed", ApkAnalyzer.MAX + 1));
        assertThat(r.warnings()).singleElement().asString().contains("limit");
        assertThat(apk.required("/lib/apk/db/installed", 1, 0644)).isTrue();
        assertThat(apk.required("/lib/apk/db/scripts.tar", 1, 0644)).isFalse();
        assertThat(List.of(apk.packageDatabase())).containsExactly(true);
    }
}
