package dev.bulwark.harden.imagetest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.harden.run.Runner;
import dev.bulwark.harden.run.vm.MicroVm;
import dev.bulwark.harden.run.vm.VmKernel;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.image.testenv.TestComponents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Specs against the real test images, command tests under the real runc in a user namespace: the fixture image
 * keeps its promises, a spec that breaks each of them gets every failure reported with what was expected and found,
 * and the final filesystem is what the layers make of it (whiteouts, opaque directories, merged /usr links).
 */
class ImageTestIT {
    static Path base;
    static ImageTester.Options options;

    @BeforeAll
    static void setUp() throws Exception {
        if (!"root".equals(System.getProperty("user.name")))
            throw new AssertionError("runc with a user namespace needs root here; running as " + System.getProperty("user.name"));
        Path runc = TestComponents.requireTool("runc");
        base = Files.createTempDirectory("bulwark-imagetest-it-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        options = new ImageTester.Options(SourceOptions.defaults(), new ImageTester.RunSetup(runc, base.resolve("rootfs"), base.resolve("run"),
                Runner.idMap()), null);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (base != null) {
            try (var s = Files.walk(base)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    static Spec spec(String yaml) throws SpecException {
        return SpecParser.parse(yaml.getBytes(StandardCharsets.UTF_8), "it.yaml");
    }

    static Map<String, TestResult> byName(ImageTestReport r) {
        return r.results().stream().collect(Collectors.toMap(TestResult::name, Function.identity(), (a, b) -> {
            throw new AssertionError("two tests named " + a.name());
        }, java.util.LinkedHashMap::new));
    }

    /** The example spec without the tests that need the SBOM (the CLI's ImageTestCliIT runs it whole). */
    static String exampleWithoutSbom() throws Exception {
        String full = Files.readString(TestComponents.root().resolve("examples/imagetest/app.yaml"));
        return full.replace("  packageCopyright: true\n", "").replace("  forbidden: [\"AGPL-*\", \"SSPL-*\"]\n", "");
    }

    /** A regular expression matching {@code s} literally (for a single-quoted YAML scalar: backslashes as they are). */
    static String literal(String s) {
        return s.replaceAll("[^A-Za-z0-9_-]", "\\\\$0");
    }

    /** The same image's command tests in a container, in gVisor and in a micro-VM, each on its own kernel. */
    @Test
    void commandTestsRunAtTheIsolationLevelTheyAskFor() throws Exception {
        Path qemu = TestComponents.requireTool("qemu-system-x86_64");
        Path busybox = TestComponents.requireTool("busybox");
        Path kernel = TestComponents.require(TestComponents.work().resolve("vmkernel/root/boot"), "guest kernel (scripts/vmkernel.sh)").getParent();
        ImageTester.RunSetup c = options.run();
        ImageTester.Options levels = new ImageTester.Options(options.source(), new ImageTester.RunSetup(c.runc(), c.rootfsDir(), c.workDir(), c.idMap(),
                TestComponents.requireTool("runsc"), new MicroVm.Options(qemu, kernel, busybox, MicroVm.Accel.TCG)), null);
        String host = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        String guest = VmKernel.find(kernel).version();
        String yaml = "schemaVersion: 1\ncommandTests:\n"
                + "  - name: container\n    run: [/bin/sh, -c, \"uname -r; id -u; touch /srv/app/new 2>&1; exit 3\"]\n    exitCode: 3\n"
                + "    stdout: ['^" + literal(host) + "$', '^10001$', 'Read-only file system']\n"
                + "  - name: sandbox\n    isolation: sandbox\n    run: [/bin/sh, -c, \"uname -r; id -u; touch /srv/app/new 2>&1; exit 3\"]\n    exitCode: 3\n"
                + "    stdout: ['^4\\.4\\.0$', '^10001$', 'Read-only file system']\n"
                + "  - name: vm\n    isolation: vm\n    run: [/bin/sh, -c, \"uname -r; id -u; touch /srv/app/new 2>&1; exit 3\"]\n    exitCode: 3\n"
                + "    stdout: ['^" + literal(guest) + "$', '^10001$', 'Read-only file system']\n"
                + "  - name: vm, failing\n    isolation: vm\n    run: [/bin/sh, -c, \"echo guest\"]\n    stdout: \"^host$\"\n";
        ImageTestReport r = ImageTester.run(ImageTestImages.dockerArchive(), spec(yaml), ImageFacts.NONE, levels);
        Map<String, TestResult> by = byName(r);
        for (String n : List.of("container", "sandbox", "vm"))
            assertThat(by.get(n).status()).as(n + ": " + by.get(n)).isEqualTo(TestResult.Status.PASS);
        assertThat(by.get("vm, failing").status()).isEqualTo(TestResult.Status.FAIL);
        assertThat(by.get("vm, failing").output()).contains("guest");
        // without runsc and a VM set up, such tests are errors that say what is missing, not passes or skips
        ImageTestReport none = ImageTester.run(ImageTestImages.dockerArchive(), spec(yaml), ImageFacts.NONE, options);
        assertThat(byName(none).get("sandbox").status()).isEqualTo(TestResult.Status.ERROR);
        assertThat(byName(none).get("sandbox").message()).contains("no runsc was set up");
        assertThat(byName(none).get("vm").message()).contains("no VM was set up");
        assertThat(byName(none).get("container").status()).isEqualTo(TestResult.Status.PASS);
    }

    @Test
    void theFixtureKeepsEveryPromiseOfTheExample() throws Exception {
        Spec s = spec(exampleWithoutSbom());
        assertThat(s.licences().forbidden()).isNull();
        ImageTestReport r = ImageTester.run(ImageTestImages.dockerArchive(), s, ImageFacts.NONE, options);
        assertThat(r.results()).hasSize(s.size());
        for (TestResult t : r.results()) assertThat(t.status()).as(t.name() + ": " + t.summary() + "\n" + t.output()).isEqualTo(TestResult.Status.PASS);
        assertThat(r.imageId()).isEqualTo(ImageTestImages.imageId());
        try (var left = Files.list(base.resolve("run"))) {
            assertThat(left.toList()).as("bundles are removed after each run").isEmpty();
        }
    }

    @Test
    void brokenPromisesAreReportedWithExpectedAndFound() throws Exception {
        // without the SBOM test (the CLI's ImageTestCliIT runs the example whole)
        String yaml = Files.readString(TestComponents.root().resolve("examples/imagetest/app-failing.yaml")).replace("  forbidden: [\"GPL-*\"]\n", "");
        Spec s = spec(yaml);
        assertThat(s.licences().forbidden()).isNull();
        ImageTestReport r = ImageTester.run(ImageTestImages.dockerArchive(), s, ImageFacts.NONE, options);
        assertThat(r.passed()).isFalse();
        for (TestResult t : r.results()) {
            assertThat(t.status()).as(t.name() + " " + t.message()).isEqualTo(TestResult.Status.FAIL);
            assertThat(t.mismatches()).isNotEmpty();
        }
        Map<String, TestResult> m = byName(r);
        assertThat(m.get("wrong greeting").summary()).isEqualTo("stdout: expected a match of /^goodbye/, found 'hello, tester\\n'");
        assertThat(m.get("wrong greeting").output()).contains("hello, tester");
        assertThat(m.get("wrong exit status").summary()).isEqualTo("exitCode: expected 0, found 4");
        assertThat(m.get("wrong exit status").output()).contains("failing with 4");
        assertThat(m.get("too slow").summary()).isEqualTo("timeout: expected an end within 2s, found still running after 2s (killed)");
        assertThat(m.get("the script is not world-writable but the spec says so").mismatches()).extracting(TestResult.Mismatch::toString)
                .containsExactly("mode: expected 0777, found 0755", "owner: expected root (uid 0), found 10001:10001");
        assertThat(m.get("a shell is present").summary()).isEqualTo("exists: expected no /usr/bin/dash, found file /usr/bin/dash");
        assertThat(m.get("the config is not in development mode").summary()).startsWith("contains: expected content matching /mode = development/, found '[server]");
        assertThat(m.get("the current release is not the second").summary()).isEqualTo("linkTarget: expected /srv/app/releases/2, found /srv/app/releases/1");
        assertThat(m.get("user").summary()).isEqualTo("user: expected 'root', found '10001:10001'");
        assertThat(m.get("exposedPorts").summary()).isEqualTo("exposedPorts: expected 443/tcp, found 8080/tcp, 9090/udp");
        assertThat(m.get("labels").summary()).isEqualTo("label org.opencontainers.image.licenses: expected 'Apache-2.0', found 'MIT'");
        assertThat(m.get("healthcheck").summary()).isEqualTo("healthcheck: expected no HEALTHCHECK, found a HEALTHCHECK");
        assertThat(m.get("required licence files").summary()).isEqualTo("licence file: expected /srv/app/NOTICE, found nothing there");
        // the killed container left nothing behind
        try (var left = Files.list(base.resolve("run"))) {
            assertThat(left.toList()).isEmpty();
        }
    }

    @Test
    void theFinalFilesystemIsWhatTheLayersMakeOfIt() throws Exception {
        Map<String, String> env = TestComponents.manifest();
        Spec s = spec("""
                schemaVersion: 1
                fileTests:
                  - name: deleted by a later layer
                    path: %s
                    exists: false
                  - name: a jar deleted again
                    path: %s
                    exists: false
                  - name: the opaque directory hides the lower layer's file
                    path: %s/debug.properties
                    exists: false
                  - name: the directory's new content
                    path: %s/app.properties
                    contains: "^mode=production$"
                    notContains: development
                  - name: the fat jar is there
                    path: %s
                    type: file
                  - name: setuid binaries of the base
                    path: /usr/bin
                    noSetuid: true
                """.formatted(env.get("APP_DELETED_FILE"), env.get("APP_DELETED_JAR"), env.get("APP_OPAQUE_DIR"), env.get("APP_OPAQUE_DIR"),
                env.get("APP_FAT_JAR")));
        for (String target : List.of("docker-archive:" + TestComponents.appDockerArchive(), "oci:" + TestComponents.appOciZstdLayout() + ":1")) {
            Map<String, TestResult> m = byName(ImageTester.run(target, s, ImageFacts.NONE, new ImageTester.Options(SourceOptions.defaults(), null, null)));
            for (String pass : List.of("deleted by a later layer", "a jar deleted again", "the opaque directory hides the lower layer's file",
                    "the directory's new content", "the fat jar is there"))
                assertThat(m.get(pass).status()).as(target + " " + pass + ": " + m.get(pass).summary()).isEqualTo(TestResult.Status.PASS);
            TestResult setuid = m.get("setuid binaries of the base");
            assertThat(setuid.status()).isEqualTo(TestResult.Status.FAIL);
            assertThat(setuid.summary()).startsWith("noSetuid: expected no setuid or setgid file under /usr/bin, found ")
                    .contains("/usr/bin/su (4755)").contains("/usr/bin/passwd (4755)");
        }
    }

    @Test
    void anOciImageHasNoHealthcheck() throws Exception {
        // the OCI image config has no Healthcheck field: skopeo drops it when it converts the docker-archive
        Spec s = spec("schemaVersion: 1\nmetadata:\n  healthcheck: true\n  user: \"10001:10001\"\n");
        Map<String, TestResult> oci = byName(ImageTester.run(ImageTestImages.ociLayout(), s, ImageFacts.NONE, options));
        assertThat(oci.get("healthcheck").summary()).isEqualTo("healthcheck: expected a HEALTHCHECK, found no HEALTHCHECK");
        assertThat(oci.get("user").status()).isEqualTo(TestResult.Status.PASS);
        Map<String, TestResult> docker = byName(ImageTester.run(ImageTestImages.dockerArchive(), s, ImageFacts.NONE, options));
        assertThat(docker.get("healthcheck").status()).isEqualTo(TestResult.Status.PASS);
    }

    @Test
    void outputIsBoundedAndACommandThatCannotStartFails() throws Exception {
        Spec s = spec("""
                schemaVersion: 1
                commandTests:
                  - name: chatty
                    run: [/bin/sh, -c, "head -c 3000000 /dev/zero | tr '\\\\0' x; echo; echo tail-marker; echo done >&2"]
                    stdout: "tail-marker"
                    stderr: "^done$"
                  - name: no such program
                    run: [/no/such/program]
                """);
        Map<String, TestResult> m = byName(ImageTester.run("oci:" + TestComponents.bookwormOciLayout() + ":" + TestComponents.bookwormOciRef(), s,
                ImageFacts.NONE, options));
        TestResult chatty = m.get("chatty");
        assertThat(chatty.summary()).as("only the first MiB is looked at").startsWith("stdout: expected a match of /tail-marker/, found 'xxxx");
        assertThat(chatty.output()).startsWith("stdout (first 1024 KiB):\nxxx").contains("\nstderr:\ndone\n");
        assertThat(chatty.output().length()).isLessThan(5000);
        TestResult missing = m.get("no such program");
        assertThat(missing.status()).isEqualTo(TestResult.Status.FAIL);
        assertThat(missing.mismatches().get(0).what()).isEqualTo("exitCode");
        assertThat(missing.mismatches().get(0).found()).isNotEqualTo("0");
        assertThat(missing.output()).contains("/no/such/program");
    }

    @Test
    void theBaseImageIsCheckedByItsLayers() throws Exception {
        String bookworm = "docker-archive:" + TestComponents.bookwormDockerArchive();
        String bookwormId = TestComponents.get("BOOKWORM_IMAGE_ID");
        Spec s = spec("""
                schemaVersion: 1
                metadata:
                  base: {image: "%s", digest: "%s"}
                """.formatted(bookworm, bookwormId));
        TestResult ok = ImageTester.run(ImageTestImages.dockerArchive(), s, ImageFacts.NONE, options).results().get(0);
        assertThat(ok.status()).as(ok.summary()).isEqualTo(TestResult.Status.PASS);
        Spec wrong = spec("""
                schemaVersion: 1
                metadata:
                  base: {image: "docker-archive:%s", digest: "sha256:%s"}
                """.formatted(TestComponents.appDockerArchive(), "0".repeat(64)));
        TestResult bad = ImageTester.run(ImageTestImages.dockerArchive(), wrong, ImageFacts.NONE, options).results().get(0);
        assertThat(bad.status()).isEqualTo(TestResult.Status.FAIL);
        assertThat(bad.mismatches()).hasSize(2);
        assertThat(bad.mismatches().get(0).found()).matches("1 of its \\d+ layer\\(s\\) at the bottom of the image's \\d+ \\(layer 1 is sha256:.*");
        assertThat(bad.mismatches().get(1).expected()).isEqualTo("sha256:" + "0".repeat(64));
        assertThat(bad.mismatches().get(1).found()).startsWith("image id sha256:");
    }

    @Test
    void anImageThatRunsAsRootRunsAsNobodyAndATestMayChooseItsUser() throws Exception {
        Spec s = spec("""
                schemaVersion: 1
                commandTests:
                  - name: hardened default
                    run: [id, -u]
                    stdout: "^65534$"
                  - name: a named user from the image
                    run: [id, -un]
                    user: daemon
                    stdout: "^daemon$"
                  - name: root inside the user namespace cannot write the root
                    run: [/bin/sh, -c, "id -u; touch /etc/x"]
                    user: "0"
                    stdout: "^0$"
                    stderr: "Read-only file system"
                  - name: an unknown user is an error, not a pass
                    run: [id]
                    user: nosuchuser
                """);
        ImageTestReport r = ImageTester.run("oci:" + TestComponents.bookwormOciLayout() + ":" + TestComponents.bookwormOciRef(), s, ImageFacts.NONE, options);
        Map<String, TestResult> m = byName(r);
        for (String pass : List.of("hardened default", "a named user from the image", "root inside the user namespace cannot write the root"))
            assertThat(m.get(pass).status()).as(pass + ": " + m.get(pass).summary() + m.get(pass).output()).isEqualTo(TestResult.Status.PASS);
        TestResult unknown = m.get("an unknown user is an error, not a pass");
        assertThat(unknown.status()).isEqualTo(TestResult.Status.ERROR);
        assertThat(unknown.message()).isEqualTo("user nosuchuser: no user nosuchuser in the image's /etc/passwd");
    }
}
