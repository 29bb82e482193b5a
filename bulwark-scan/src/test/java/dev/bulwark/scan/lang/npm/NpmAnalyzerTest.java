package dev.bulwark.scan.lang.npm;

import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lockfiles written by the real tools (see src/test/resources/lang/npm/generate.sh): npm 6 and 11, yarn 1 and 4,
 * pnpm 7, 8 and 9, for one small app; each tool's list of what it installed is the expected result.
 */
class NpmAnalyzerTest {
    private final NpmAnalyzer npm = new NpmAnalyzer();

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = NpmAnalyzerTest.class.getResourceAsStream("/lang/npm/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static Set<String> expected(String name) throws IOException {
        return Arrays.stream(new String(fixture(name), StandardCharsets.UTF_8).split("\n"))
                .filter(s -> !s.isBlank()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> nameAtVersion(FileResult r) {
        return r.packages().stream().map(p -> p.name() + "@" + p.version()).collect(Collectors.toCollection(TreeSet::new));
    }

    @ParameterizedTest
    @CsvSource({
            "package-lock-v1.json, package-lock.json, expected-npm6.txt, true",
            "package-lock-v2.json, package-lock.json, expected-npm.txt, true",
            "package-lock-v3.json, package-lock.json, expected-npm.txt, true",
            "yarn-v1.lock, yarn.lock, expected-yarn-v1.txt, false",
            "yarn-berry.lock, yarn.lock, expected-yarn-berry.txt, false",
            "pnpm7-lock.yaml, pnpm-lock.yaml, expected-pnpm7.txt, true",
            "pnpm8-lock.yaml, pnpm-lock.yaml, expected-pnpm8.txt, true",
            "pnpm9-lock.yaml, pnpm-lock.yaml, expected-pnpm9.txt, false"})
    void lockfilesListWhatTheirToolInstalled(String fixture, String fileName, String expected, boolean marksDev) throws Exception {
        String path = "/srv/app/" + fileName;
        assertThat(npm.required(path, 10_000, 0644)).isTrue();
        FileResult r = npm.analyze(TestFiles.of(path, fixture(fixture), 0644));
        assertThat(r.warnings()).isEmpty();
        assertThat(nameAtVersion(r)).isEqualTo(expected(expected));
        assertThat(r.packages()).allSatisfy(p -> {
            assertThat(p.properties()).containsEntry("source", "lockfile");
            assertThat(p.paths()).containsExactly(path);
        });
        // "sw" is an alias of string-width: the package is string-width's
        Package sw = r.packages().stream().filter(p -> p.name().equals("string-width")).findFirst().orElseThrow();
        assertThat(sw.purl()).isEqualTo("pkg:npm/string-width@4.2.3");
        Package frame = r.packages().stream().filter(p -> p.name().equals("@babel/code-frame")).findFirst().orElseThrow();
        assertThat(frame.purl()).isEqualTo("pkg:npm/%40babel/code-frame@7.12.13");
        assertThat(frame.properties()).doesNotContainKey("dev");
        if (marksDev) {
            assertThat(r.packages()).filteredOn(p -> "true".equals(p.properties().get("dev"))).extracting(Package::name).containsExactly("ms");
        }
    }

    @Test
    void lockfileV3CarriesLicences() throws Exception {
        FileResult r = npm.analyze(TestFiles.of("/a/package-lock.json", fixture("package-lock-v3.json"), 0644));
        assertThat(r.packages()).allSatisfy(p -> assertThat(p.licenses()).containsExactly(p.name().equals("picocolors") ? "ISC" : "MIT"));
    }

    @Test
    void whichPackageJsonFilesAreRead() {
        assertThat(npm.required("/app/node_modules/@babel/core/package.json", 100, 0644)).isTrue();
        assertThat(npm.required("/app/node_modules/a/node_modules/b/package.json", 100, 0644)).isTrue();
        assertThat(npm.required("/app/node_modules/.pnpm/ms@2.1.3/node_modules/ms/package.json", 100, 0644)).isTrue();
        assertThat(npm.required("/app/node_modules/express/lib/package.json", 100, 0644)).as("a file inside a package").isFalse();
        assertThat(npm.required("/app/node_modules/@babel/package.json", 100, 0644)).isFalse();
        assertThat(npm.required("/app/package.json", 100, 0644)).as("the app's own").isTrue();
        assertThat(npm.required("/app/node_modules/.package-lock.json", 100, 0644)).as("npm's hidden lockfile").isFalse();
        assertThat(npm.required("/app/node_modules/x/yarn.lock", 100, 0644)).isFalse();
    }

    @Test
    void installedPackageJsonWithEveryLicenceSpelling() throws Exception {
        Package core = npm.analyze(TestFiles.text("/app/node_modules/@babel/core/package.json",
                "{\"name\":\"@babel/core\",\"version\":\"7.26.0\",\"license\":\"MIT\"}")).packages().get(0);
        assertThat(core.purl()).isEqualTo("pkg:npm/%40babel/core@7.26.0");
        assertThat(core.licenses()).containsExactly("MIT");
        assertThat(core.properties()).isEmpty();
        assertThat(npm.analyze(TestFiles.text("/n/node_modules/a/package.json",
                "{\"name\":\"a\",\"version\":\"1.0.0\",\"license\":{\"type\":\"BSD-3-Clause\",\"url\":\"x\"}}")).packages().get(0).licenses())
                .containsExactly("BSD-3-Clause");
        assertThat(npm.analyze(TestFiles.text("/n/node_modules/b/package.json",
                "{\"name\":\"b\",\"version\":\"1.0.0\",\"licenses\":[{\"type\":\"MIT\"},{\"type\":\"Apache 2.0\"}]}")).packages().get(0).licenses())
                .containsExactly("MIT", "Apache-2.0");
        assertThat(npm.analyze(TestFiles.text("/n/node_modules/c/package.json",
                "{\"name\":\"c\",\"version\":\"1.0.0\",\"license\":\"(MIT OR Apache-2.0)\"}")).packages().get(0).licenses())
                .containsExactly("MIT OR Apache-2.0");
        assertThat(npm.analyze(TestFiles.text("/n/node_modules/d/package.json",
                "{\"name\":\"d\",\"version\":\"1.0.0\",\"license\":\"UNLICENSED\"}")).packages().get(0).licenses())
                .as("npm's word for proprietary, not the Unlicense").containsExactly("LicenseRef-UNLICENSED");
    }

    @Test
    void theAppsOwnPackageJsonOnlyWithNameAndVersion() throws Exception {
        Package app = npm.analyze(TestFiles.text("/srv/app/package.json", "{\"name\":\"shop\",\"version\":\"2.0.1\",\"private\":true}"))
                .packages().get(0);
        assertThat(app.properties()).containsExactly(java.util.Map.entry("role", "application"));
        assertThat(npm.analyze(TestFiles.text("/srv/app/package.json", "{\"name\":\"shop\",\"private\":true}"))).isNull();
        assertThat(npm.analyze(TestFiles.text("/srv/app/dist/package.json", "{\"type\":\"module\"}"))).isNull();
    }

    @Test
    void brokenFilesAreWarnings() throws Exception {
        assertThat(npm.analyze(TestFiles.text("/a/package-lock.json", "{\"packages\": ")).warnings()).singleElement()
                .asString().startsWith("/a/package-lock.json: malformed JSON");
        assertThat(npm.analyze(TestFiles.text("/a/pnpm-lock.yaml", "packages: [\n  - : :")).warnings()).hasSize(1);
        assertThat(npm.analyze(TestFiles.text("/a/node_modules/x/package.json", "[1]")).warnings()).hasSize(1);
        // YAML aliases that would expand exponentially ("billion laughs") are not expanded
        StringBuilder laughs = new StringBuilder("lockfileVersion: '9.0'\na: &a [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 0; i < 20; i++) laughs.append((char) ('b' + i)).append(": &").append((char) ('b' + i)).append(" [*")
                .append((char) ('a' + i)).append(", *").append((char) ('a' + i)).append(", *").append((char) ('a' + i)).append("]\n");
        assertThat(npm.analyze(TestFiles.text("/a/pnpm-lock.yaml", laughs.toString())).packages()).isEmpty();
    }

    @Property(tries = 300)
    void garbageNeverThrows(@ForAll @Size(max = 3000) byte[] data) throws Exception {
        for (String path : List.of("/n/node_modules/x/package.json", "/app/package-lock.json", "/app/yarn.lock", "/app/pnpm-lock.yaml")) {
            npm.analyze(TestFiles.of(path, data, 0644));
        }
    }

    @org.junit.jupiter.api.Test
    void bytesThatLookLikeUtf32OfNoEndiannessAreAWarning() throws Exception {
        // 00 00 xx 00: Jackson's encoding sniffer says "Unsupported UCS-4 endianness (2143)" (a CharConversionException,
        // an IOException): the file is malformed, the layer is not unreadable
        var r = npm.analyze(TestFiles.of("/n/node_modules/x/package.json", new byte[]{0, 0, '{', 0, '}'}, 0644));
        org.assertj.core.api.Assertions.assertThat(r.warnings()).singleElement().asString().contains("malformed JSON");
    }

    @Property(tries = 300)
    void textLikeGarbageNeverThrows(@ForAll @Size(max = 400) String text) throws Exception {
        for (String path : List.of("/n/node_modules/x/package.json", "/app/package-lock.json", "/app/yarn.lock", "/app/pnpm-lock.yaml")) {
            npm.analyze(TestFiles.text(path, "__metadata:\n" + text));
            npm.analyze(TestFiles.text(path, "{\"packages\":{\"node_modules/" + text + "\":{\"version\":\"1.0.0\"}}}"));
            npm.analyze(TestFiles.text(path, "lockfileVersion: '6.0'\npackages:\n  /" + text + ":\n    dev: true\n"));
        }
    }
}
