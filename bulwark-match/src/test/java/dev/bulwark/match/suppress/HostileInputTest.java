package dev.bulwark.match.suppress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static dev.bulwark.match.suppress.Fixtures.*;
import static dev.bulwark.match.suppress.OpenVexTest.src;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad and hostile input: one clear message naming the file, never a stack trace or a hang. */
class HostileInputTest {
    static final LocalDate TODAY = LocalDate.of(2024, 6, 1);

    static SuppressionException vexError(String name, String content) {
        try {
            Suppressions.parse(List.of(), List.of(src(name, content)), TODAY);
        } catch (SuppressionException e) {
            assertThat(e.oneLine()).doesNotContain("\n").doesNotContain("Exception").doesNotContain("com.fasterxml");
            return e;
        }
        throw new AssertionError("expected a SuppressionException for " + name);
    }

    @Test
    void truncatedJsonNamesFileLineAndColumn() throws IOException {
        String full = Files.readString(resource("payments-api.openvex.json"));
        SuppressionException e = vexError("vex.json", full.substring(0, full.indexOf("CVE-2023-5678") + 5));
        assertThat(e.where()).startsWith("vex.json:44:");
        assertThat(e.getMessage()).contains("not valid JSON").contains("(truncated?)");
        assertThat(e.oneLine()).startsWith("vex.json:44:");
    }

    @Test
    void truncatedCycloneDx() throws IOException {
        String full = Files.readString(resource("payments-api.vex.cdx.json"));
        SuppressionException e = vexError("bom.json", full.substring(0, full.length() / 2));
        assertThat(e.getMessage()).contains("truncated");
    }

    @Test
    void hugeFileIsRefusedBeforeReading(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("big.json");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(Suppressions.MAX_FILE_BYTES + 1);
        }
        assertThatThrownBy(() -> Suppressions.load(List.of(), List.of(big), TODAY))
                .isInstanceOf(SuppressionException.class)
                .satisfies(e -> assertThat(((SuppressionException) e).oneLine())
                        .isEqualTo(big + ": is 16777217 bytes, larger than the 16 MiB an ignore file or VEX document may have"));
        assertThatThrownBy(() -> Suppressions.load(List.of(big), List.of(), TODAY)).isInstanceOf(SuppressionException.class);
    }

    @Test
    void fileAtTheLimitIsRead(@TempDir Path dir) throws IOException, SuppressionException {
        Path p = dir.resolve("padded.trivyignore");
        byte[] bytes = new byte[(int) Suppressions.MAX_FILE_BYTES];
        java.util.Arrays.fill(bytes, (byte) '\n');
        byte[] id = "CVE-2022-3715\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, bytes, 0, id.length);
        Files.write(p, bytes);
        assertThat(Suppressions.load(List.of(p), List.of(), TODAY).ignoreEntries()).isEqualTo(1);
    }

    @Test
    void endlessDeviceIsCutOffAtTheLimit() {
        Path zero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(zero));
        assertThatThrownBy(() -> Suppressions.load(List.of(), List.of(zero), TODAY))
                .isInstanceOf(SuppressionException.class).hasMessageContaining("larger than the 16 MiB");
    }

    @Test
    void missingFileAndDirectory(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> Suppressions.load(List.of(), List.of(missing), TODAY))
                .isInstanceOf(SuppressionException.class).hasMessage("no such file")
                .satisfies(e -> assertThat(((SuppressionException) e).where()).isEqualTo(missing.toString()));
        assertThatThrownBy(() -> Suppressions.load(List.of(dir), List.of(), TODAY))
                .isInstanceOf(SuppressionException.class).hasMessage("is a directory, not a file");
    }

    @Test
    void wrongTopLevelTypes() {
        assertThat(vexError("a.json", "[]").getMessage()).isEqualTo("a VEX document must be a JSON object");
        assertThat(vexError("b.json", "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": \"all\"}").getMessage())
                .isEqualTo("an OpenVEX document needs a 'statements' list");
        assertThat(vexError("c.json", "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"vulnerabilities\": {}}").getMessage())
                .isEqualTo("'vulnerabilities' must be a list");
        assertThat(vexError("d.json", "{\"hello\": \"world\"}").getMessage()).startsWith("is neither an OpenVEX document");
        assertThat(vexError("e.json", "{\"document\": {\"csaf_version\": \"2.0\"}}").getMessage()).contains("CSAF");
    }

    @Test
    void wrongTypesInsideStatementsAreWarnings() throws SuppressionException {
        String json = """
                {"@context": "https://openvex.dev/ns/v0.2.0", "timestamp": 5,
                 "statements": [
                   "CVE-2024-0727",
                   {"vulnerability": 42, "products": [{"@id": "pkg:deb/debian/libssl3"}], "status": "fixed"},
                   {"vulnerability": {"name": "CVE-2024-0727", "aliases": 7}, "products": "pkg:deb/debian/libssl3", "status": "fixed"},
                   {"vulnerability": {"name": "CVE-2024-0727"}, "products": [{"@id": "pkg:deb/debian/libssl3"}], "status": ["fixed"]},
                   {"vulnerability": {"name": "CVE-2024-0727"}, "products": [{"@id": "libssl3"}, 17], "status": "fixed"},
                   {"vulnerability": {"name": "CVE-2024-0727"}, "products": [{"@id": "pkg:oci/app", "subcomponents": [{"@id": "x"}]}], "status": "fixed"},
                   {"vulnerability": {"name": "CVE-2024-0727"}, "timestamp": "yesterday", "products": [{"@id": "pkg:deb/debian/libssl3@%zz"}], "status": "fixed"}
                 ]}
                """;
        Suppressions s = Suppressions.parse(List.of(), List.of(src("w.json", json)), TODAY);
        assertThat(s.isEmpty()).isTrue();
        assertThat(s.warnings()).containsExactly(
                "w.json: timestamp '5' is not a date-time; ignored",
                "w.json: statement 1 (line 3): a statement must be an object; not applied",
                "w.json: statement 2 (line 4): names no vulnerability (vulnerability.name); not applied",
                "w.json: statement 3 (line 5): CVE-2024-0727: 'products' must be a list; not applied",
                "w.json: statement 4 (line 6): CVE-2024-0727: status '' is not one of not_affected, affected, fixed, under_investigation; not applied",
                "w.json: statement 5 (line 7): CVE-2024-0727: product 1 has no package URL (@id or identifiers.purl); skipped",
                "w.json: statement 5 (line 7): CVE-2024-0727: product 2 has no package URL (@id or identifiers.purl); skipped",
                "w.json: statement 5 (line 7): CVE-2024-0727: names no product with a package URL; not applied",
                "w.json: statement 6 (line 8): CVE-2024-0727: product 1 subcomponent 1 has no package URL; skipped",
                "w.json: statement 6 (line 8): CVE-2024-0727: product 1 has no usable subcomponent; skipped",
                "w.json: statement 6 (line 8): CVE-2024-0727: names no product with a package URL; not applied",
                "w.json: statement 7 (line 9): CVE-2024-0727: product 1: malformed percent escape in 'pkg:deb/debian/libssl3@%zz'",
                "w.json: statement 7 (line 9): CVE-2024-0727: product 1 has no package URL (@id or identifiers.purl); skipped",
                "w.json: statement 7 (line 9): CVE-2024-0727: names no product with a package URL; not applied");
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "{\"statements\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertThat(vexError("deep.json", deep).getMessage()).contains("nested deeper than");
        String deepYaml = "vulnerabilities:\n" + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
        assertThatThrownBy(() -> Suppressions.parse(List.of(src("deep.yaml", deepYaml)), List.of(), TODAY))
                .isInstanceOf(SuppressionException.class);
    }

    @Test
    void duplicateKeysAreRefused() {
        String json = "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [{\"vulnerability\": {\"name\": \"CVE-2024-0727\"},"
                + " \"status\": \"affected\", \"status\": \"not_affected\"}]}";
        SuppressionException e = vexError("dup.json", json);
        assertThat(e.getMessage()).contains("duplicate").contains("status");
        assertThatThrownBy(() -> Suppressions.parse(List.of(src("dup.yaml",
                "vulnerabilities:\n  - id: CVE-2022-3715\n    id: CVE-2021-44228\n")), List.of(), TODAY))
                .isInstanceOf(SuppressionException.class);
    }

    @Test
    void trailingContentIsRefused() {
        assertThat(vexError("t.json", "{\"statements\": []} {\"statements\": []}").getMessage())
                .contains("more content after the end of the document");
    }

    /** Jackson reads YAML aliases without expanding them: the "billion laughs" cannot grow, the file is refused. */
    @Test
    void yamlAliasBombIsRefused() {
        StringBuilder y = new StringBuilder("---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            y.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*").append(p)
                    .append(",*").append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p).append("]\n");
        }
        y.append("vulnerabilities: *j\n");
        assertThatThrownBy(() -> Suppressions.parse(List.of(src("lol.yaml", y.toString())), List.of(), TODAY))
                .isInstanceOf(SuppressionException.class);
    }

    @Test
    void binaryAndNonUtf8AreRefused() {
        byte[] gz = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> Suppressions.parse(List.of(new Suppressions.Source("x.gz", gz)), List.of(), TODAY))
                .isInstanceOf(SuppressionException.class).hasMessage("is a binary file, not text");
        byte[] latin1 = "CVE-2022-3715 # r\u00e9vis\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Suppressions.parse(List.of(new Suppressions.Source("l1", latin1)), List.of(), TODAY))
                .isInstanceOf(SuppressionException.class).hasMessage("is not UTF-8 text");
    }

    @Test
    void utf8ByteOrderMarkIsAccepted() throws SuppressionException {
        byte[] bom = "\uFEFFCVE-2022-3715\n".getBytes(StandardCharsets.UTF_8);
        assertThat(Suppressions.parse(List.of(new Suppressions.Source("b", bom)), List.of(), TODAY)
                .apply(List.of(finding("CVE-2022-3715", BASH))).kept()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CVE-2022-3715\n", "vulnerabilities:\n  - id: CVE-2022-3715\n", ""})
    void ignoreFilesGivenAsVexAreRefusedWithAHint(String content) {
        SuppressionException e = vexError("ignore", content);
        assertThat(e.getMessage()).satisfiesAnyOf(m -> assertThat(m).contains("--ignorefile"), m -> assertThat(m).contains("empty"));
    }

    @Test
    void dsseEnvelopeOfSomethingElse() {
        assertThat(vexError("env.json", "{\"payloadType\": \"text/plain\", \"payload\": \"aGk=\"}").getMessage())
                .contains("not of an in-toto statement");
        assertThat(vexError("env.json", "{\"payloadType\": \"application/vnd.in-toto+json\", \"payload\": \"%%%\"}").getMessage())
                .isEqualTo("the envelope's payload is not base64");
        assertThat(vexError("st.json", "{\"_type\": \"https://in-toto.io/Statement/v1\", \"predicateType\": \"https://slsa.dev/provenance/v1\", \"predicate\": {}}")
                .getMessage()).contains("not of a VEX document");
    }

    @Test
    void warningsAreCappedPerFile() throws SuppressionException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 10_000; i++) b.append("CVE-2022-").append(i).append(" junk\n");
        Suppressions s = Suppressions.parse(List.of(src("many", b.toString())), List.of(), TODAY);
        assertThat(s.warnings()).hasSize(Warnings.MAX_PER_FILE + 1);
        assertThat(s.warnings().get(Warnings.MAX_PER_FILE)).isEqualTo("many: 9950 more warnings not shown");
    }

    @Test
    void controlCharactersInValuesDoNotReachMessages() throws SuppressionException {
        String json = "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"},"
                + " \"status\": \"\\u001b[31mbad\\u001b[0m\", \"products\": [{\"@id\": \"pkg:deb/debian/x\"}]}]}";
        Suppressions s = Suppressions.parse(List.of(), List.of(src("esc.json", json)), TODAY);
        assertThat(s.warnings()).hasSize(1);
        assertThat(s.warnings().get(0)).doesNotContain("\u001b").contains("?[31mbad?[0m");
    }

    @Test
    void longPurlsAndGlobsAreRefused() throws SuppressionException {
        String yaml = "vulnerabilities:\n  - id: CVE-2022-3715\n    purls: [\"pkg:deb/debian/" + "a".repeat(5000) + "\"]\n"
                + "  - id: CVE-2022-3715\n    paths: [\"" + "*a".repeat(1000) + "\"]\n";
        Suppressions s = Suppressions.parse(List.of(src("long.yaml", yaml)), List.of(), TODAY);
        assertThat(s.isEmpty()).isTrue();
        assertThat(s.warnings()).hasSize(2);
    }
}
