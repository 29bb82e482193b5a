package dev.bulwark.scan.os.rpm;

import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import dev.bulwark.scan.os.Fixtures;
import dev.bulwark.scan.os.SizedInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The same packages in every database format: what `rpm -qa` said when the fixtures were made. */
class RpmAnalyzerTest {
    private final RpmAnalyzer rpm = new RpmAnalyzer();

    static byte[] database(String format) {
        return format.equals("ndb") ? NdbWriter.write(RpmFixtures.blobs()) : Fixtures.bytes("rpm/" + format);
    }

    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({
            "rpmdb.sqlite,   /var/lib/rpm/rpmdb.sqlite",
            "rpmdb.sqlite,   /usr/lib/sysimage/rpm/rpmdb.sqlite",
            "Packages,       /var/lib/rpm/Packages",
            "Packages-be512, /var/lib/rpm/Packages",
            "ndb,            /usr/lib/sysimage/rpm/Packages.db"})
    void everyFormatListsWhatRpmListed(String format, String path) throws Exception {
        FileResult r = rpm.analyze(TestFiles.of(path, database(format), 0644));
        assertThat(r.warnings()).isEmpty();
        Set<String> actual = new TreeSet<>();
        for (Package p : r.packages())
            actual.add(p.name() + " " + p.version() + " " + p.properties().get("arch") + " " + p.sourceName());
        assertThat(actual).isEqualTo(RpmFixtures.expectedPackages());
        Map<String, Set<String>> owned = new TreeMap<>();
        r.ownedFiles().forEach((k, v) -> owned.put(k, new TreeSet<>(v)));
        assertThat(owned).isEqualTo(RpmFixtures.expectedFiles());
        assertThat(r.packages()).allSatisfy(p -> assertThat(p.paths()).containsExactly(path));
    }

    @Test
    void packageDetails() throws Exception {
        FileResult r = rpm.analyze(TestFiles.of("/var/lib/rpm/Packages", Fixtures.bytes("rpm/Packages"), 0644));
        Map<String, Package> byName = new TreeMap<>();
        r.packages().forEach(p -> byName.put(p.name(), p));
        Package libs = byName.get("bulwark-beta-libs");
        assertThat(libs.version()).isEqualTo("2:0.9-1.fc40");
        assertThat(libs.source().name()).isEqualTo("bulwark-beta");
        assertThat(libs.source().version()).isEqualTo("2:0.9-1.fc40");
        assertThat(libs.purl()).isEqualTo("pkg:rpm/bulwark/bulwark-beta-libs@0.9-1.fc40?arch=x86_64&epoch=2");
        assertThat(libs.properties()).containsEntry("epoch", "2").containsEntry("release", "1.fc40")
                .containsEntry("vendor", "Bulwark Test Vendor").containsEntry("sourceRpm", "bulwark-beta-0.9-1.fc40.src.rpm")
                .containsEntry("description", "Bulwark rpm fixture: the library subpackage");
        assertThat(libs.licenses()).containsExactly("LGPL-2.0-or-later");
        assertThat(byName.get("bulwark-alpha").purl()).isEqualTo("pkg:rpm/fedora/bulwark-alpha@1.2.3-4.el9?arch=noarch");
        assertThat(byName.get("bulwark-many").purl()).startsWith("pkg:rpm/redhat/"); // no vendor
        assertThat(byName.get("bulwark-alpha").licenses()).containsExactly("MIT");
        assertThat(byName).doesNotContainKey("gpg-pubkey");
        assertThat(r.ownedFiles()).doesNotContainKey("bulwark-empty");
        assertThat(r.packages()).allSatisfy(p -> assertThat(p.layer()).isNull());
    }

    @Test
    void checksummedBerkeleyDbPages() throws Exception {
        FileResult r = rpm.analyze(TestFiles.of("/var/lib/rpm/Packages", Fixtures.bytes("rpm/Packages-chksum"), 0644));
        assertThat(r.warnings()).isEmpty();
        assertThat(r.packages()).extracting(Package::name).containsExactly("bulwark-alpha");
        assertThat(r.ownedFiles().get("bulwark-alpha")).containsExactly("/usr/share/bulwark/alpha.txt");
    }

    @Test
    void sourceRpmNames() {
        assertThat(RpmPackages.source("openssl-3.0.7-27.el9.src.rpm", "1", "openssl-libs", "1:3.0.7-27.el9"))
                .isEqualTo(new dev.bulwark.model.SourcePackage("openssl", "1:3.0.7-27.el9"));
        assertThat(RpmPackages.source("gcc-toolset-12-12.0-6.el9.src.rpm", null, "x", "1-1"))
                .isEqualTo(new dev.bulwark.model.SourcePackage("gcc-toolset-12", "12.0-6.el9"));
        assertThat(RpmPackages.source("kernel-5.14.0-362.8.1.el9_3.nosrc.rpm", null, "x", "1-1").name()).isEqualTo("kernel");
        assertThat(RpmPackages.source(null, null, "x", "1-1")).isEqualTo(new dev.bulwark.model.SourcePackage("x", "1-1"));
        assertThat(RpmPackages.source("garbage", null, "x", "1-1")).isEqualTo(new dev.bulwark.model.SourcePackage("x", "1-1"));
    }

    @Test
    void vendorNamespaces() {
        assertThat(RpmPackages.namespace("Red Hat, Inc.")).isEqualTo("redhat");
        assertThat(RpmPackages.namespace("CentOS")).isEqualTo("centos");
        assertThat(RpmPackages.namespace("Rocky Enterprise Software Foundation")).isEqualTo("rocky");
        assertThat(RpmPackages.namespace("AlmaLinux")).isEqualTo("almalinux");
        assertThat(RpmPackages.namespace("Amazon Linux")).isEqualTo("amazon");
        assertThat(RpmPackages.namespace("SUSE LLC <https://www.suse.com/>")).isEqualTo("suse");
        assertThat(RpmPackages.namespace("openSUSE")).isEqualTo("opensuse");
        assertThat(RpmPackages.namespace("Oracle America")).isEqualTo("oracle");
        assertThat(RpmPackages.namespace("  ~Acme Corp")).isEqualTo("acme");
        assertThat(RpmPackages.namespace(null)).isEqualTo("redhat");
        assertThat(RpmPackages.namespace("~~")).isEqualTo("redhat");
    }

    @Test
    void notADatabase() throws Exception {
        for (String path : new String[]{"/var/lib/rpm/Packages", "/var/lib/rpm/rpmdb.sqlite", "/var/lib/rpm/Packages.db"}) {
            FileResult r = rpm.analyze(TestFiles.text(path, "hello, this is not a database at all"));
            assertThat(r.packages()).isEmpty();
            assertThat(r.warnings()).singleElement().asString().startsWith(path + ": ").contains("not an rpm database");
            assertThat(rpm.analyze(TestFiles.of(path, new byte[0], 0644)).warnings()).hasSize(1);
        }
        FileResult huge = rpm.analyze(new SizedInput("/var/lib/rpm/Packages", RpmAnalyzer.MAX_DB + 1));
        assertThat(huge.warnings()).singleElement().asString().contains("limit");
    }

    @Test
    void anSqliteDatabaseWithoutPackagesTable() throws Exception {
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile("other", ".sqlite");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + tmp); var st = c.createStatement()) {
            st.execute("CREATE TABLE Other(x)");
        }
        try {
            FileResult r = rpm.analyze(TestFiles.real("/var/lib/rpm/rpmdb.sqlite", tmp));
            assertThat(r.warnings()).singleElement().asString().contains("not a readable rpm sqlite database");
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }

    @Test
    void requiredPaths() {
        for (String p : new String[]{"/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite", "/var/lib/rpm/Packages",
                "/usr/lib/sysimage/rpm/Packages", "/var/lib/rpm/Packages.db", "/usr/lib/sysimage/rpm/Packages.db"})
            assertThat(rpm.required(p, 1, 0644)).as(p).isTrue();
        for (String p : new String[]{"/var/lib/rpm/Name", "/var/lib/rpm/rpmdb.sqlite-wal", "/var/lib/rpm/Index.db", "/root/Packages"})
            assertThat(rpm.required(p, 1, 0644)).as(p).isFalse();
    }
}
