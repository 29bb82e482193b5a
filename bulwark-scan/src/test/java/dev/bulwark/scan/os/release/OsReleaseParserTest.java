package dev.bulwark.scan.os.release;

import dev.bulwark.model.OsRelease;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import dev.bulwark.scan.os.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class OsReleaseParserTest {
    /** Each distribution's os-release as shipped: ID, VERSION_ID, codename, ID_LIKE, distroless. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            debian-12           | debian              | 12       | bookworm | -                  | false
            debian-8            | debian              | 8        | jessie   | -                  | false
            debian-sid          | debian              | -        | trixie   | -                  | false
            distroless-12       | debian              | 12       | bookworm | -                  | true
            ubuntu-22.04        | ubuntu              | 22.04    | jammy    | debian             | false
            ubuntu-14.04        | ubuntu              | 14.04    | trusty   | debian             | false
            alpine-3.20         | alpine              | 3.20.3   | -        | -                  | false
            rhel-9              | rhel                | 9.4      | -        | fedora             | false
            centos-7            | centos              | 7        | -        | rhel fedora        | false
            rocky-9             | rocky               | 9.3      | -        | rhel centos fedora | false
            almalinux-9         | almalinux           | 9.3      | -        | rhel centos fedora | false
            ol-8                | ol                  | 8.9      | -        | fedora             | false
            fedora-39           | fedora              | 39       | -        | -                  | false
            amzn-2              | amzn                | 2        | -        | centos rhel fedora | false
            amzn-2023           | amzn                | 2023     | -        | fedora             | false
            sles-15             | sles                | 15.5     | -        | suse               | false
            opensuse-leap-15    | opensuse-leap       | 15.5     | -        | suse opensuse      | false
            opensuse-42         | opensuse-leap       | 42.3     | -        | suse               | false
            opensuse-tumbleweed | opensuse-tumbleweed | 20240410 | -        | opensuse suse      | false
            """)
    void distributions(String file, String id, String versionId, String codename, String idLike, boolean distroless) {
        OsRelease r = OsReleaseParser.osRelease(Fixtures.text("release/" + file));
        assertThat(r).isNotNull();
        assertThat(r.id()).isEqualTo(id);
        assertThat(r.versionId()).isEqualTo(versionId);
        assertThat(r.codename()).isEqualTo(codename);
        assertThat(r.idLike()).isEqualTo(idLike);
        assertThat(r.distroless()).isEqualTo(distroless);
        assertThat(r.prettyName()).isNotBlank();
    }

    @Test
    void prettyNames() {
        assertThat(OsReleaseParser.osRelease(Fixtures.text("release/distroless-12")).prettyName()).isEqualTo("Distroless");
        assertThat(OsReleaseParser.osRelease(Fixtures.text("release/rhel-9")).prettyName()).isEqualTo("Red Hat Enterprise Linux 9.4 (Plow)");
        assertThat(OsReleaseParser.osRelease("ID=foo\nNAME=Foo\nVERSION='1 (x)'\n").prettyName()).isEqualTo("Foo 1 (x)");
    }

    @Test
    void shellQuoting() {
        var kv = KeyValues.parse("""
                # a comment
                A="double \\"quoted\\" \\$HOME \\\\ \\n kept"
                B='single $HOME \\ "x"'
                C=un\\ quoted\\"
                D="joined"'parts'unquoted
                E=value # trailing comment
                F=a#b
                G="multi
                line"
                H=after
                  I = not an assignment
                J="unterminated
                K=still parsed
                export L=exported
                M=two   words\t
                N=
                9X=bad key
                """);
        assertThat(kv).containsEntry("A", "double \"quoted\" $HOME \\ \\n kept")
                .containsEntry("B", "single $HOME \\ \"x\"")
                .containsEntry("C", "un quoted\"")
                .containsEntry("D", "joinedpartsunquoted")
                .containsEntry("E", "value")
                .containsEntry("F", "a#b")
                .containsEntry("G", "multi\nline")
                .containsEntry("H", "after")
                .containsEntry("J", "unterminated")
                .containsEntry("K", "still parsed")
                .containsEntry("L", "exported")
                .containsEntry("M", "two words")
                .containsEntry("N", "")
                .doesNotContainKeys("I", "9X");
    }

    @Test
    void crlfLineEnds() {
        OsRelease r = OsReleaseParser.osRelease("ID=\"alpine\"\r\nVERSION_ID=3.19.1\r\n");
        assertThat(r.id() + " " + r.versionId()).isEqualTo("alpine 3.19.1");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            /etc/redhat-release  | Red Hat Enterprise Linux Server release 7.9 (Maipo) | rhel      | 7.9     | Maipo
            /etc/redhat-release  | Red Hat Enterprise Linux release 8.9 (Ootpa)        | rhel      | 8.9     | Ootpa
            /etc/centos-release  | CentOS Linux release 7.9.2009 (Core)                | centos    | 7       | Core
            /etc/centos-release  | CentOS Stream release 9                             | centos    | 9       | -
            /etc/redhat-release  | Rocky Linux release 9.3 (Blue Onyx)                 | rocky     | 9.3     | Blue Onyx
            /etc/redhat-release  | AlmaLinux release 9.3 (Shamrock Pampas Cat)         | almalinux | 9.3     | Shamrock Pampas Cat
            /etc/redhat-release  | Fedora release 39 (Thirty Nine)                     | fedora    | 39      | Thirty Nine
            /etc/system-release  | Amazon Linux release 2 (Karoo)                      | amzn      | 2       | Karoo
            /etc/system-release  | Amazon Linux release 2023.3.20240117 (Amazon Linux) | amzn      | 2023    | Amazon Linux
            /etc/system-release  | Amazon Linux AMI release 2018.03                    | amzn      | 2018.03 | -
            /etc/system-release  | Oracle Linux Server release 8.9                     | ol        | 8.9     | -
            /etc/alpine-release  | 3.20.3                                              | alpine    | 3.20.3  | -
            /etc/alpine-release  | 3.21.0_alpha20240807                                | alpine    | 3.21.0_alpha20240807 | -
            /etc/debian_version  | 12.7                                                | debian    | 12      | -
            /etc/debian_version  | 6.0.10                                              | debian    | 6       | -
            /etc/debian_version  | trixie/sid                                          | debian    | -       | trixie
            """)
    void olderReleaseFiles(String path, String line, String id, String versionId, String codename) throws Exception {
        OsRelease r = new OsReleaseAnalyzer().analyze(TestFiles.text(path, line + "\n")).os();
        assertThat(r.id()).isEqualTo(id);
        assertThat(r.versionId()).isEqualTo(versionId);
        assertThat(r.codename()).isEqualTo(codename);
        assertThat(r.distroless()).isFalse();
    }

    @Test
    void lsbRelease() throws Exception {
        OsRelease r = new OsReleaseAnalyzer().analyze(TestFiles.text("/etc/lsb-release", """
                DISTRIB_ID=Ubuntu
                DISTRIB_RELEASE=22.04
                DISTRIB_CODENAME=jammy
                DISTRIB_DESCRIPTION="Ubuntu 22.04.4 LTS"
                """)).os();
        assertThat(r).isEqualTo(new OsRelease("ubuntu", "22.04", "jammy", "Ubuntu 22.04.4 LTS", "debian", false));
    }

    @Test
    void filesThatNameNothingAreWarnings() throws Exception {
        OsReleaseAnalyzer a = new OsReleaseAnalyzer();
        for (String[] f : new String[][]{{"/etc/os-release", "NAME=x\n"}, {"/etc/alpine-release", "\n"},
                {"/etc/debian_version", "hello world\n"}, {"/etc/redhat-release", "release 9\n"}, {"/etc/lsb-release", ""}}) {
            FileResult r = a.analyze(TestFiles.text(f[0], f[1]));
            assertThat(r.os()).as(f[0]).isNull();
            assertThat(r.warnings()).singleElement().asString().startsWith(f[0] + ": ");
        }
        FileResult big = a.analyze(TestFiles.of("/etc/os-release", new byte[(64 << 10) + 1], 0644));
        assertThat(big.warnings()).singleElement().asString().contains("limit");
    }

    @Test
    void requiredPaths() {
        OsReleaseAnalyzer a = new OsReleaseAnalyzer();
        for (String p : new String[]{"/etc/os-release", "/usr/lib/os-release", "/etc/alpine-release", "/etc/debian_version",
                "/etc/redhat-release", "/etc/centos-release", "/etc/system-release", "/etc/lsb-release"})
            assertThat(a.required(p, 100, 0644)).as(p).isTrue();
        assertThat(a.required("/home/x/etc/os-release", 100, 0644)).isFalse();
        assertThat(a.required("/etc/os-release.d", 100, 0644)).isFalse();
    }
}
