package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.image.testenv.TestComponents;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * `bulwark test` as users run it: its own process, the real runc, the real SBOM, vulnerability matching against
 * Debian's own advisories, the secret scanner and the CIS image checks of the private dockerd.
 */
class ImageTestCliIT {
    static Path base;
    static Path store;
    static Path db;
    static String fixture;

    record Out(int code, String out, String err) {}

    @BeforeAll
    static void setUp() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) throw new AssertionError("runc needs root here");
        TestComponents.requireTool("runc");
        TestComponents.requireDocker();
        fixture = "docker-archive:" + fixtureArchive();
        base = Files.createTempDirectory("bulwark-imagetest-cli-it-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        store = base.resolve("rootfs");
        db = base.resolve("db");
        Out imported = run(List.of("db", "import", "-q", "--db", db.toString(), TestComponents.path("DEBIAN_ADVISORIES_JSON").toString()));
        assertThat(imported.code()).as(imported.err()).isZero();
    }

    /** bulwark-test/imagetest:1 as scripts/testimages-imagetest.sh saved it (its manifest.env beside the other test images). */
    static Path fixtureArchive() throws Exception {
        Path manifest = TestComponents.work().resolve("images/imagetest/manifest.env");
        if (!Files.isRegularFile(manifest)) throw TestComponents.missing("image-test fixture", manifest + " does not exist (scripts/testimages-imagetest.sh)");
        for (String line : Files.readAllLines(manifest)) {
            if (line.startsWith("IMAGETEST_DOCKER_ARCHIVE=")) return TestComponents.require(Path.of(line.substring(line.indexOf('=') + 1)), "image-test fixture");
        }
        throw TestComponents.missing("image-test fixture", manifest + " has no IMAGETEST_DOCKER_ARCHIVE");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (base == null) return;
        try (Stream<Path> s = Files.walk(base)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    static Out run(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.bulwark.cli.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("DOCKER_HOST", TestComponents.dockerHost());
        pb.environment().put("BULWARK_CACHE_DIR", base.resolve("cache").toString());
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bulwark still running after 600 s: " + args);
        }
        return new Out(p.exitValue(), out, err.get());
    }

    static Out test(String target, Path spec, String... more) throws Exception {
        List<String> a = new ArrayList<>(List.of("test", "-q", "--rootfs-dir", store.toString(), "--db", db.toString()));
        a.addAll(List.of(more));
        a.addAll(List.of(target, "--spec", spec.toString()));
        return run(a);
    }

    static Path example(String name) {
        return TestComponents.root().resolve("examples/imagetest").resolve(name);
    }

    static Path write(String name, String yaml) throws Exception {
        return Files.writeString(base.resolve(name), yaml);
    }

    @Test
    void theExamplePassesAndItsJunitReportSaysSo() throws Exception {
        Path xml = base.resolve("report.xml");
        Out r = test(fixture, example("app.yaml"), "-f", "junit", "-o", xml.toString());
        assertThat(r.code()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).isEmpty();
        var f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document d = f.newDocumentBuilder().parse(xml.toFile());
        Element root = d.getDocumentElement();
        assertThat(root.getAttribute("tests")).isEqualTo("29");
        assertThat(root.getAttribute("failures")).isEqualTo("0");
        assertThat(root.getAttribute("errors")).isEqualTo("0");
        assertThat(d.getElementsByTagName("testcase").getLength()).isEqualTo(29);
        assertThat(d.getElementsByTagName("testsuite").getLength()).isEqualTo(4);
    }

    @Test
    void theFailingExampleReportsEveryFailureWithExpectedAndFound() throws Exception {
        Out r = test(fixture, example("app-failing.yaml"));
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.out().lines().filter(l -> l.startsWith("FAIL ")).count()).isEqualTo(13);
        assertThat(r.out()).contains("13 tests: 0 passed, 13 failed, 0 errors")
                .contains("exitCode: expected 0").contains("found    4")
                .contains("timeout: expected an end within 2s")
                .contains("licences: expected no package under GPL-*").containsPattern("found    \\d+ package\\(s\\): .*\\(GPL-");

        Out json = test(fixture, example("app-failing.yaml"), "-f", "json");
        assertThat(json.code()).isEqualTo(1);
        JsonNode n = new ObjectMapper().readTree(json.out());
        assertThat(n.path("summary").path("fail").asInt()).isEqualTo(13);
        for (JsonNode t : n.path("results")) {
            assertThat(t.path("status").asText()).isEqualTo("FAIL");
            for (JsonNode m : t.path("mismatches")) assertThat(m.path("expected").asText()).isNotEqualTo(m.path("found").asText());
        }
    }

    @Test
    void gatesPassOnTheFixtureAndFailWhereThePromiseIsBroken() throws Exception {
        Path gates = write("gates.yaml", """
                schemaVersion: 1
                gates:
                  severity: HIGH
                  noSecrets: true
                  audit: cis-image
                """);
        Out ok = test(fixture, gates);
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("3 tests: 3 passed");

        // the outdated bookworm: Debian's advisories rate its open vulnerabilities HIGH; the engine's image has no USER, no HEALTHCHECK
        Out vuln = test("rootfs:" + TestComponents.path("BASE_ROOTFS_DIR"), write("vuln.yaml", "schemaVersion: 1\ngates:\n  severity: HIGH\n"), "-f", "json");
        assertThat(vuln.code()).as(vuln.err()).isEqualTo(1);
        JsonNode v = new ObjectMapper().readTree(vuln.out()).path("results").get(0);
        assertThat(v.path("status").asText()).isEqualTo("FAIL");
        assertThat(v.path("mismatches").get(0).path("expected").asText()).isEqualTo("none at or above HIGH");
        assertThat(v.path("mismatches").get(0).path("found").asText()).matches("\\d+: HIGH CVE-\\d+-\\d+ in .*");
        Out critical = test("rootfs:" + TestComponents.path("BASE_ROOTFS_DIR"), write("crit.yaml", "schemaVersion: 1\ngates:\n  severity: CRITICAL\n"));
        assertThat(critical.code()).as(critical.out()).isZero();

        Out audit = test("docker-archive:" + TestComponents.bookwormDockerArchive(), write("audit.yaml", "schemaVersion: 1\ngates:\n  audit: [\"4.1\", \"4.6\"]\n"));
        assertThat(audit.code()).isEqualTo(1);
        assertThat(audit.out()).contains("4.1: expected PASS").contains("found    FAIL: image Config.User=(empty)")
                .contains("4.6: expected PASS").contains("found    FAIL: no HEALTHCHECK in the image config");

        Path secretsTar = TestComponents.require(TestComponents.work().resolve("images/secrets/secrets.tar"), "secrets image (scripts/testimages-secrets.sh)");
        Out secrets = test("docker-archive:" + secretsTar, write("secrets.yaml", "schemaVersion: 1\ngates:\n  noSecrets: true\n"));
        assertThat(secrets.code()).isEqualTo(1);
        assertThat(secrets.out()).contains("secrets: expected none").contains("private-key").contains("(deleted by a later layer)");
    }

    @Test
    void aTestThatCannotBeCarriedOutIsAnErrorNotAPass() throws Exception {
        Out r = test(fixture, write("unknown-audit.yaml", "schemaVersion: 1\ngates:\n  audit: cis-everything\n"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("ERROR   gate").contains("unknown audit profile or check 'cis-everything'");
    }

    @Test
    void aMalformedSpecIsOneLineWithItsLineAndNothingIsWritten() throws Exception {
        Path spec = write("bad.yaml", "schemaVersion: 1\nfileTests:\n  - path: /srv/app/hello.sh\n    mdoe: \"0755\"\n");
        Path out = base.resolve("never.xml");
        Out r = test(fixture, spec, "-o", out.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err().strip()).isEqualTo("bulwark: " + spec + ":4: unknown key 'mdoe' in fileTests[0] (known: contains, exists, linkTarget,"
                + " mode, name, noSetuid, notContains, owner, path, size, type)");
        assertThat(r.out()).isEmpty();
        assertThat(out).doesNotExist();

        Out yaml = test(fixture, write("broken.yaml", "schemaVersion: 1\nfileTests: [\n"));
        assertThat(yaml.code()).isEqualTo(3);
        assertThat(yaml.err()).startsWith("bulwark: " + base.resolve("broken.yaml") + ":3: not valid YAML").doesNotContain("\tat ");

        Out type = test(fixture, write("type.yaml", "schemaVersion: 1\ncommandTests:\n  - run: /bin/true\n"));
        assertThat(type.err().strip()).isEqualTo("bulwark: " + base.resolve("type.yaml") + ":3: commandTests[0].run: expected a list, found a string '/bin/true'");
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        assertThat(run(List.of("test", fixture)).code()).isEqualTo(2);
        Out fmt = test(fixture, example("app.yaml"), "-f", "xml");
        assertThat(fmt.code()).isEqualTo(2);
        assertThat(fmt.err()).contains("--format xml: one of table, json, junit");
        Out missing = test(fixture, base.resolve("nope.yaml"));
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err().strip()).isEqualTo("bulwark: " + base.resolve("nope.yaml") + ": no such file");
    }
}
