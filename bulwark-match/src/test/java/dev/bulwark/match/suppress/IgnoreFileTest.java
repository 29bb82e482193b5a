package dev.bulwark.match.suppress;

import dev.bulwark.model.Finding;
import dev.bulwark.model.Suppression;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static dev.bulwark.match.suppress.Fixtures.*;
import static dev.bulwark.match.suppress.OpenVexTest.src;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ignore files: Trivy's text form and its YAML form. */
class IgnoreFileTest {
    static final LocalDate TODAY = LocalDate.of(2024, 6, 1);
    static final Path TEXT = resource("trivyignore");
    static final Path YAML = resource("trivyignore.yaml");

    static final Finding BASH_CVE = finding("CVE-2022-3715", BASH);
    static final Finding PERL_CVE = finding("CVE-2023-31484", PERL);
    static final Finding GO_TEXT = finding("CVE-2021-38561", X_TEXT, "GO-2021-0113", "GHSA-ppp9-7jff-5vj2");
    static final Finding LOONEY = finding("CVE-2023-4911", LIBC);
    static final Finding GCC = finding("CVE-2023-4039", LIBGCC);

    @Test
    void textFormWithCommentsAsReasons() throws SuppressionException {
        Suppressions s = Suppressions.load(List.of(TEXT), List.of(), TODAY);
        Suppressions.Result r = s.apply(List.of(BASH_CVE, PERL_CVE, GO_TEXT, LOONEY, GCC));
        assertThat(r.kept()).containsExactly(PERL_CVE, LOONEY, GCC);
        assertThat(r.suppressed()).extracting(Suppression::finding).containsExactly(BASH_CVE, GO_TEXT);
        Suppression bash = r.suppressed().get(0);
        assertThat(bash.by()).isEqualTo("ignorefile");
        assertThat(bash.where()).isEqualTo(TEXT + ":3");
        assertThat(bash.reason()).isEqualTo("Accepted by the platform security review of 2024-04-02 (SEC-1182): bash is"
                + " present but no script runs with untrusted input.");
        Suppression go = r.suppressed().get(1);
        assertThat(go.where()).isEqualTo(TEXT + ":8");
        assertThat(go.reason()).as("an inline comment wins over the block above").isEqualTo("golang.org/x/text: constant language tags only");
    }

    @Test
    void expiredAndMalformedLinesAreWarningsNamingFileAndLine() throws SuppressionException {
        Suppressions s = Suppressions.load(List.of(TEXT), List.of(), TODAY);
        assertThat(s.warnings()).containsExactly(
                TEXT + ":6: CVE-2023-31484 expired on 2024-01-31; entry not applied",
                TEXT + ":12: 'exp:2024-13-45' is not an expiry date (exp:YYYY-MM-DD); entry CVE-2023-4911 not applied",
                TEXT + ":13: unexpected 'libgcc-s1' after CVE-2023-4039 (a line holds one id and an optional exp:YYYY-MM-DD); entry not applied");
        assertThat(s.ignoreEntries()).isEqualTo(3);
    }

    @Test
    void expiryIsExclusiveOfItsDay() throws SuppressionException {
        assertThat(Suppressions.load(List.of(TEXT), List.of(), LocalDate.of(2024, 1, 30)).apply(List.of(PERL_CVE)).kept()).isEmpty();
        assertThat(Suppressions.load(List.of(TEXT), List.of(), LocalDate.of(2024, 1, 31)).apply(List.of(PERL_CVE)).kept())
                .containsExactly(PERL_CVE);
    }

    @Test
    void idsCompareCaseInsensitivelyAndCrlfIsFine() throws SuppressionException {
        Suppressions s = Suppressions.parse(List.of(src(".trivyignore", "cve-2022-3715\r\n\r\n")), List.of(), TODAY);
        assertThat(s.apply(List.of(BASH_CVE)).kept()).isEmpty();
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void yamlFormWithPathGlobs() throws SuppressionException {
        Suppressions s = Suppressions.load(List.of(YAML), List.of(), TODAY);
        Finding inImage = finding("CVE-2022-40897", SETUPTOOLS);
        Finding inVenv = finding("CVE-2022-40897", SETUPTOOLS_VENV);
        Suppressions.Result r = s.apply(List.of(inImage, inVenv));
        assertThat(r.kept()).containsExactly(inVenv);
        Suppression sup = r.suppressed().get(0);
        assertThat(sup.finding()).isSameAs(inImage);
        assertThat(sup.where()).isEqualTo(YAML + ": entry 1");
        assertThat(sup.reason()).isEqualTo("setuptools is only used at build time");
    }

    @Test
    void yamlFormWithPurlsWithoutVersion() throws SuppressionException {
        Suppressions s = Suppressions.load(List.of(YAML), List.of(), TODAY);
        Finding libssl = finding("CVE-2024-0727", LIBSSL3);
        Finding openssl = finding("CVE-2024-0727", OPENSSL);
        Suppressions.Result r = s.apply(List.of(libssl, openssl));
        assertThat(r.kept()).containsExactly(openssl);
        assertThat(r.suppressed().get(0).where()).isEqualTo(YAML + ": entry 3");
    }

    @Test
    void yamlWarningsForExpiredEntriesAndMisspeltFields() throws SuppressionException {
        Suppressions s = Suppressions.load(List.of(YAML), List.of(), TODAY);
        assertThat(s.warnings()).containsExactly(
                YAML + ": entry 2 (line 7): CVE-2023-5752 expired on 2024-02-01; entry not applied",
                YAML + ": entry 4 (line 16): unknown field 'purl' (fields: id, paths, purls, statement, expired_at); entry not applied");
        Finding pip = finding("CVE-2023-5752", PIP);
        Finding zlib = finding("CVE-2023-45853", ZLIB);
        assertThat(s.apply(List.of(pip, zlib)).kept()).containsExactly(pip, zlib);
        assertThat(Suppressions.load(List.of(YAML), List.of(), LocalDate.of(2024, 1, 15)).apply(List.of(pip)).kept()).isEmpty();
    }

    @Test
    void formIsToldByContentNotName() throws SuppressionException {
        String yaml = "vulnerabilities:\n  - id: CVE-2022-3715\n    statement: bash is fine\n";
        Suppressions s = Suppressions.parse(List.of(src(".trivyignore", yaml)), List.of(), TODAY);
        assertThat(s.apply(List.of(BASH_CVE)).suppressed()).extracting(Suppression::where).containsExactly(".trivyignore: entry 1");
        Suppressions t = Suppressions.parse(List.of(src("ignore.yaml", "# only ids\nCVE-2022-3715\n")), List.of(), TODAY);
        assertThat(t.apply(List.of(BASH_CVE)).suppressed()).extracting(Suppression::where).containsExactly("ignore.yaml:2");
        String json = "{\"vulnerabilities\": [{\"id\": \"CVE-2022-3715\"}]}";
        assertThat(Suppressions.parse(List.of(src("ignore.json", json)), List.of(), TODAY).apply(List.of(BASH_CVE)).kept()).isEmpty();
    }

    @Test
    void aVexDocumentGivenAsIgnoreFileIsRefusedWithAHint() {
        assertThatThrownBy(() -> Suppressions.load(List.of(resource("payments-api.openvex.json")), List.of(), TODAY))
                .isInstanceOf(SuppressionException.class)
                .hasMessage("is a VEX document, not an ignore file: pass it with --vex");
    }

    @Test
    void yamlEntriesOfWrongShapeAreWarnings() throws SuppressionException {
        String yaml = """
                vulnerabilities:
                  - CVE-2022-3715
                  - id: 42
                  - id: CVE-2022-3715
                    paths: {usr: lib}
                  - id: CVE-2022-3715
                    purls: ["debian/bash"]
                  - id: CVE-2022-3715
                    expired_at: next week
                  - id: CVE-2022-3715
                    statement: [a, b]
                  - id: CVE-2022-3715
                    purls: pkg:deb/debian/bash
                vulnerabilites:
                  - id: CVE-2023-31484
                """;
        Suppressions s = Suppressions.parse(List.of(src("i.yaml", yaml)), List.of(), TODAY);
        assertThat(s.warnings()).containsExactly(
                "i.yaml: unknown section 'vulnerabilites' ignored (expected vulnerabilities)",
                "i.yaml: entry 1 (line 2): an entry must be a mapping with an 'id'; not applied",
                "i.yaml: entry 2 (line 3): entry has no 'id' string; not applied",
                "i.yaml: entry 3 (line 4): CVE-2022-3715: 'paths' and 'purls' must be lists of strings; entry not applied",
                "i.yaml: entry 4 (line 6): CVE-2022-3715: 'debian/bash' is not a package URL (no pkg: scheme); entry not applied",
                "i.yaml: entry 5 (line 8): CVE-2022-3715: expired_at 'next week' is not a date (YYYY-MM-DD); entry not applied",
                "i.yaml: entry 6 (line 10): CVE-2022-3715: 'statement' must be text; entry not applied");
        assertThat(s.ignoreEntries()).as("a lone purl string is a list of one").isEqualTo(1);
        assertThat(s.apply(List.of(BASH_CVE)).kept()).isEmpty();
    }

    @Test
    void emptyAndCommentOnlyFilesSuppressNothing() throws SuppressionException {
        Suppressions s = Suppressions.parse(List.of(src("a", ""), src("b", "# nothing yet\n\n"), src("c.yaml", "vulnerabilities:\n")),
                List.of(), TODAY);
        assertThat(s.isEmpty()).isTrue();
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void yamlTopLevelMustBeAMapping() {
        assertThatThrownBy(() -> Suppressions.parse(List.of(src("l.yaml", "- id: CVE-2022-3715\n")), List.of(), TODAY))
                .isInstanceOf(SuppressionException.class)
                .hasMessageContaining("must be a mapping with a 'vulnerabilities' list");
        assertThatThrownBy(() -> Suppressions.parse(List.of(src("v.yaml", "vulnerabilities: CVE-2022-3715\n")), List.of(), TODAY))
                .isInstanceOf(SuppressionException.class).hasMessage("'vulnerabilities' must be a list of entries");
    }
    @Test
    void misspeltYamlFormIsNotReadAsIds() throws SuppressionException {
        String text = "vulnerabilites:\n  - id: CVE-2022-3715\n";
        Suppressions s = Suppressions.parse(List.of(src("typo.yaml", text)), List.of(), TODAY);
        assertThat(s.isEmpty()).isTrue();
        assertThat(s.warnings()).containsExactly(
                "typo.yaml:1: looks like YAML, but the file is read as one id a line (the YAML form starts with 'vulnerabilities:'); not applied",
                "typo.yaml:2: looks like YAML, but the file is read as one id a line (the YAML form starts with 'vulnerabilities:'); not applied");
    }

    @Test
    void yamlSyntaxErrorsNameLineAndProblem() {
        String yaml = "vulnerabilities:\n  - id: CVE-2022-3715\n   paths: [a\n";
        assertThatThrownBy(() -> Suppressions.parse(List.of(src("bad.yaml", yaml)), List.of(), TODAY))
                .isInstanceOf(SuppressionException.class)
                .satisfies(e -> assertThat(((SuppressionException) e).oneLine()).isEqualTo(
                        "bad.yaml:3:4: not valid YAML: while parsing a block collection: expected <block end>, but found '<block mapping start>'"));
    }
}
