package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.image.testenv.TestComponents;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `bulwark run` as users run it: its own process (the JVM that System.exit()s), the real runc, the bookworm image
 * from its OCI layout. Output streams through, the exit status comes back, SIGTERM reaches the container, and the
 * store and run directories are left with the cached image only.
 */
class RunCliIT {
    static Path store;
    static String image;

    record Out(int code, String out, String err) {}

    @BeforeAll
    static void setUp() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) throw new AssertionError("runc needs root here");
        TestComponents.requireTool("runc");
        image = "oci:" + TestComponents.bookwormOciLayout() + ":" + TestComponents.bookwormOciRef();
        Path base = Files.createTempDirectory("bulwark-run-cli-it-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        store = base.resolve("rootfs");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (store == null) return;
        try (Stream<Path> s = Files.walk(store.getParent())) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    static ProcessBuilder cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.bulwark.cli.Main", "run", "--rootfs-dir", store.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    static Out run(String... args) throws Exception {
        Process p = cli(args).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bulwark run still running after 180 s");
        }
        return new Out(p.exitValue(), out, err.get());
    }

    @Test
    void outputStreamsThroughAndTheExitStatusComesBack() throws Exception {
        Out r = run("-q", image, "--", "bash", "-c", "echo to-out; echo to-err >&2; id -u; exit 7");
        assertThat(r.code()).as(r.err()).isEqualTo(7);
        assertThat(r.out()).isEqualTo("to-out\n65534\n");
        assertThat(r.err()).contains("to-err");
        Out root = run("-q", "--user", "0", "-e", "GREETING=hi", "-w", "/tmp", image, "--", "bash", "-c",
                "echo $GREETING; pwd; cat /proc/self/uid_map; echo x > /etc/x");
        assertThat(root.out()).startsWith("hi\n/tmp\n").containsPattern("\\s0\\s+(\\d{6,})\\s+\\d+");
        long hostUid = Long.parseLong(root.out().replaceAll("(?s).*\\s0\\s+(\\d{6,}).*", "$1"));
        assertThat(hostUid).isGreaterThanOrEqualTo(100000);
        assertThat(root.err()).contains("Read-only file system");
        assertThat(root.code()).isEqualTo(1);
        try (Stream<Path> s = Files.list(store.resolveSibling("run"))) {
            // what a VM run keeps there on purpose: the initramfs's base, made once per kernel
            assertThat(s.filter(f -> !f.getFileName().toString().matches("\\.initramfs-[0-9a-f]+\\.cpio")).toList()).as("bundles are removed").isEmpty();
        }
    }

    @Test
    void sigtermIsPassedToTheContainer() throws Exception {
        run("-q", image, "--", "true"); // make sure the image is unpacked, so the wait below is short
        Process p = cli("-q", image, "--", "bash", "-c", "trap 'echo got-term; exit 42' TERM; echo ready; while true; do sleep 0.1; done")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        // SIGTERM to bulwark's JVM (Process.destroy would close our end of its pipes too)
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor()).isZero();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out.readLine()).isEqualTo("got-term");
        assertThat(p.exitValue()).isEqualTo(42);
    }

    /** In a VM there is no process of ours to pass SIGTERM to: it stops the VM, QEMU does not outlive bulwark, 128 + 15. */
    @Test
    void sigtermStopsAVm() throws Exception {
        TestComponents.requireTool("qemu-system-x86_64");
        Path kernel = TestComponents.require(TestComponents.work().resolve("vmkernel/root/boot"), "guest kernel (scripts/vmkernel.sh)").getParent();
        Process p = cli("-q", "--isolation", "vm", "--vm-accel", "tcg", "--vm-kernel", kernel.toString(), image, "--", "sh", "-c", "echo ready; sleep 60; echo late")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        List<Long> qemus = p.descendants().filter(h -> h.info().command().orElse("").contains("qemu-system")).map(ProcessHandle::pid).toList();
        assertThat(qemus).hasSize(1);
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor()).isZero();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(143);
        assertThat(out.readLine()).isNull();
        assertThat(ProcessHandle.of(qemus.get(0)).map(ProcessHandle::isAlive).orElse(false)).as("QEMU outlived bulwark").isFalse();
    }

    /** Ctrl-C in a terminal signals the whole foreground process group: the container must get SIGINT once, not twice. */
    @Test
    void aTerminalsInterruptReachesTheContainerOnce() throws Exception {
        run("-q", image, "--", "true");
        List<String> cmd = new ArrayList<>(List.of("setsid"));
        cmd.addAll(cli("-q", image, "--", "bash", "-c", "n=0; trap 'n=$((n+1))' INT; echo ready;"
                + " for i in $(seq 1 40); do sleep 0.05 & wait $!; done; echo ints=$n").command());
        // a group of its own, as a shell gives a foreground job; the JVM leads it (setsid does not fork here). The
        // container's bash waits with the `wait` builtin, which a trapped signal interrupts at once: two deliveries
        // tens of milliseconds apart are counted twice, not merged into one pending signal.
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        assertThat(new ProcessBuilder("kill", "-INT", "--", "-" + p.pid()).start().waitFor()).isZero();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out.readLine()).isEqualTo("ints=1");
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void aWritableRootIsAnOverlayThatLeavesTheCachedImageAlone() throws Exception {
        Out r = run("-q", "--no-read-only", "--user", "0", image, "--", "bash", "-c", "echo kept > /etc/written && cat /etc/written");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("kept\n");
        try (Stream<Path> s = Files.list(store)) {
            for (Path cached : s.toList()) assertThat(cached.resolve("rootfs/etc/written")).doesNotExist();
        }
    }

    @Test
    void thePolicyGateLetsAConformingRunThrough() throws Exception {
        Path policy = Files.writeString(store.resolveSibling("policy.yaml"), "apiVersion: bulwark.dev/v1\nkind: Policy\ndefault: deny\nrules:\n"
                + "  - name: hardened-only\n    match: {actions: [container.create]}\n"
                + "    condition: readonlyRootfs && noNewPrivileges && 'ALL' in capDrop && networkMode == 'none' && memory > 0\n"
                + "    effect: allow\n");
        Out ok = run("-q", "--policy", policy.toString(), image, "--", "echo", "allowed");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).isEqualTo("allowed\n");
        Out denied = run("-q", "--policy", policy.toString(), "--no-read-only", image, "--", "echo", "allowed");
        assertThat(denied.code()).isEqualTo(1);
        assertThat(denied.out()).isEmpty();
        assertThat(denied.err()).contains("refused by policy").contains("default");
    }

    @Test
    void hardenLearnsTheDirectoriesAWorkloadWrites() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.bulwark.cli.Main", "harden", "-f", "json", "--learn", "--user", "0",
                "--rootfs-dir", store.toString(), image, "--", "bash", "-c",
                "mkdir -p /var/cache/app && echo x > /var/cache/app/f && echo y > /tmp/t && rm /etc/issue && echo done"));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err.get()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
        List<String> tmpfs = new ArrayList<>();
        json.path("tmpfs").forEach(n -> tmpfs.add(n.asText()));
        // /tmp is a tmpfs already (its write never reaches the overlay); /var/cache/app was made, /etc/issue deleted
        assertThat(tmpfs).containsExactly("/tmp", "/run", "/etc", "/var/cache/app");
        assertThat(err.get()).contains("done").contains("the learn run wrote to /etc, /var/cache/app");
        try (Stream<Path> s = Files.list(store)) {
            for (Path cached : s.toList()) {
                assertThat(cached.resolve("rootfs/etc/issue")).exists();
                assertThat(cached.resolve("rootfs/var/cache/app")).doesNotExist();
            }
        }
    }
}
