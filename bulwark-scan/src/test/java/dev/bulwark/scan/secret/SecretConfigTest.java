package dev.bulwark.scan.secret;

import dev.bulwark.scan.ScanException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretConfigTest {
    @TempDir
    Path tmp;

    private SecretConfig load(String yaml) throws Exception {
        Path f = tmp.resolve("secrets.yaml");
        Files.writeString(f, yaml);
        return SecretConfig.load(f);
    }

    private static java.util.List<SecretDetector.Hit> scan(SecretConfig c, String path, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new SecretDetector(c.rules(), c.allow()).scan(path, b, b.length);
    }

    @Test
    void addsRulesDisablesRulesAndAllowsPathsAndValues() throws Exception {
        SecretConfig c = load("""
                rules:
                  - id: acme-key
                    title: ACME API key
                    severity: high
                    keywords: [ACME_]
                    regex: 'acme_([A-Za-z0-9]{32})'
                    secretGroup: 1
                    entropy: 3.0
                disable: [jwt]
                allow:
                  paths: ['^/opt/fixtures/']
                  values: ['^TEST']
                maxFileSize: 4096
                """);
        assertThat(c.ruleIds()).contains("acme-key", "private-key").doesNotContain("jwt");
        assertThat(c.maxFileSize()).isEqualTo(4096);
        String key = new Tokens(7).random(32, Tokens.ALNUM);
        assertThat(scan(c, "/app/a.conf", "x\nkey=acme_" + key)).singleElement().satisfies(h -> {
            assertThat(h.rule().id()).isEqualTo("acme-key");
            assertThat(h.secret()).isEqualTo(key);
            assertThat(h.line()).isEqualTo(2);
        });
        assertThat(scan(c, "/app/a.conf", "key=acme_TEST" + key.substring(4))).as("allowed value").isEmpty();
        assertThat(c.allow().path("/opt/fixtures/a.conf")).isTrue();
        assertThat(scan(c, "/app/s.txt", new Tokens(1).jwt())).as("jwt disabled").isEmpty();
        assertThat(new SecretAnalyzer(c).options()).isNotEqualTo(new SecretAnalyzer().options());
        assertThat(new SecretAnalyzer(c).required("/app/big", 5000, 0644)).isFalse();
    }

    @Test
    void badConfigsSayWhatAndWhereInOneLine() throws Exception {
        String[][] cases = {
                {"rules: [ {id: x, regex: '('} ]", "rule 'x': regex: bad regex"},
                {"rules: [ {id: x} ]", "rule 'x': regex is missing"},
                {"rules: [ {id: 'bad id!', regex: a} ]", "must be 1-64 letters"},
                {"rules: [ {id: x, regex: a, secretGroup: 2} ]", "secretGroup 2 but the regex has 0 groups"},
                {"rules: [ {id: x, regex: a, severity: awful} ]", "unknown severity 'awful'"},
                {"rules: [ {id: private-key, regex: a} ]", "duplicate id 'private-key'"},
                {"disable: [nope]", "disable: unknown rule 'nope'"},
                {"colour: blue", "not a valid secret config"},
                {"rules: {id: x}", "not a valid secret config"},
                {"maxFileSize: -1", "maxFileSize must be"},
                {"allow: {paths: ['[']}", "allow.paths: bad regex"},
                {"rules:\n  - id: x\n    regex: 'a'\n  bad indentation: [", "not a valid secret config"},
        };
        for (String[] c : cases) {
            Path f = tmp.resolve("c.yaml");
            Files.writeString(f, c[0]);
            assertThatThrownBy(() -> SecretConfig.load(f)).as(c[0]).isInstanceOf(ScanException.class)
                    .satisfies(e -> {
                        String line = ((ScanException) e).oneLine();
                        assertThat(line).startsWith(f.toString()).contains(c[1]).doesNotContain("\n");
                    });
        }
        assertThatThrownBy(() -> SecretConfig.load(tmp.resolve("missing.yaml"))).isInstanceOf(ScanException.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> SecretConfig.load(tmp)).isInstanceOf(ScanException.class).hasMessageContaining("directory");
    }

    @Test
    void anEmptyFileMeansTheDefaults() throws Exception {
        assertThat(load("").ruleIds()).isEqualTo(SecretConfig.defaults().ruleIds());
    }

    @Property(tries = 300)
    void fuzzedConfigsAreParsedOrRefusedWithAScanException(@ForAll @Size(max = 300) byte[] junk) {
        try {
            SecretConfig c = SecretConfig.parse(junk, "fuzz.yaml");
            assertThat(c.ruleIds()).isNotEmpty();
        } catch (ScanException e) {
            assertThat(e.oneLine()).startsWith("fuzz.yaml").doesNotContain("\n");
        }
    }
}
