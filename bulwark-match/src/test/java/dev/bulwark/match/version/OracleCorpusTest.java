package dev.bulwark.match.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays what the reference implementations said (apk-tools, Python packaging, RubyGems, node-semver, Go's x/mod): see
 * src/test/oracle/README.md for how the corpora were made. Every disagreement is listed, not just the first.
 */
class OracleCorpusTest {

    @Test
    void pep440AgreesWithPythonPackaging() throws IOException {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String[] f : corpus("pep440.tsv")) {
            checked++;
            switch (f[0]) {
                case "cmp" -> expect(wrong, f, () -> Integer.signum(Pep440Version.compare(f[1], f[2])),
                        Integer.parseInt(f[3]));
                case "normal" -> expect(wrong, f, () -> Pep440Version.parse(f[1]).normalized(), f[2]);
                case "invalid" -> expect(wrong, f, () -> Pep440Version.isValid(f[1]), false);
                default -> throw new IllegalStateException("unknown line kind " + f[0]);
            }
        }
        assertThat(checked).isGreaterThan(400);
        assertThat(wrong).isEmpty();
    }

    @Test
    void gemAgreesWithRubyGems() throws IOException {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String[] f : corpus("gem.tsv")) {
            checked++;
            switch (f[0]) {
                case "cmp" -> expect(wrong, f, () -> Integer.signum(GemVersion.compare(f[1], f[2])),
                        Integer.parseInt(f[3]));
                case "invalid" -> expect(wrong, f, () -> GemVersion.isValid(f[1]), false);
                default -> throw new IllegalStateException("unknown line kind " + f[0]);
            }
        }
        assertThat(checked).isGreaterThan(300);
        assertThat(wrong).isEmpty();
    }

    @Test
    void npmRangeAgreesWithNodeSemver() throws IOException {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String[] f : corpus("npm-range.tsv")) {
            checked++;
            switch (f[0]) {
                case "sat" -> {
                    expect(wrong, f, () -> NpmRange.satisfies(f[2], f[1]), f[3].equals("1"));
                    expect(wrong, f, () -> NpmRange.satisfies(f[2], f[1], true), f[4].equals("1"));
                }
                case "invalid" -> expect(wrong, f, () -> NpmRange.isValid(f[1]), false);
                default -> throw new IllegalStateException("unknown line kind " + f[0]);
            }
        }
        assertThat(checked).isGreaterThan(400);
        assertThat(wrong).isEmpty();
    }

    @Test
    void apkAgreesWithApkTools() throws IOException {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String[] f : corpus("apk.tsv")) {
            checked++;
            switch (f[0]) {
                case "cmp" -> expect(wrong, f, () -> Integer.signum(ApkVersion.compare(f[1], f[2])),
                        Integer.parseInt(f[3]));
                case "valid" -> expect(wrong, f, () -> ApkVersion.isValid(f[1]), f[2].equals("1"));
                default -> throw new IllegalStateException("unknown line kind " + f[0]);
            }
        }
        assertThat(checked).isGreaterThan(500);
        assertThat(wrong).isEmpty();
    }

    @Test
    void goAgreesWithXMod() throws IOException {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String[] f : corpus("go.tsv")) {
            checked++;
            switch (f[0]) {
                case "cmp" -> expect(wrong, f, () -> Integer.signum(GoVersion.compare(f[1], f[2])),
                        Integer.parseInt(f[3]));
                case "pseudo" -> expect(wrong, f, () -> GoVersion.parse(f[1]).isPseudo(), f[2].equals("1"));
                case "valid" -> expect(wrong, f, () -> GoVersion.isValid(f[1]), f[2].equals("1"));
                default -> throw new IllegalStateException("unknown line kind " + f[0]);
            }
        }
        assertThat(checked).isGreaterThan(300);
        assertThat(wrong).isEmpty();
    }

    private static <T> void expect(List<String> wrong, String[] line, java.util.function.Supplier<T> actual,
                                   T expected) {
        Object got;
        try {
            got = actual.get();
        } catch (IllegalArgumentException e) {
            got = e.getMessage();
        }
        if (!expected.equals(got)) {
            wrong.add(String.join(" | ", line) + " → expected " + expected + ", got " + got);
        }
    }

    /** The corpus lines split on tabs (fields keep their spaces: some versions have them on purpose). */
    private static List<String[]> corpus(String name) throws IOException {
        try (InputStream in = OracleCorpusTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#"))
                    .map(l -> l.split("\t", -1))
                    .toList();
        }
    }
}
