package dev.bulwark.harden.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.harden.seccomp.RuncSeccompIT;
import dev.bulwark.harden.seccomp.Seccomp;
import dev.bulwark.harden.seccomp.SeccompProfile;
import dev.bulwark.harden.settings.Hardening;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.image.testenv.TestComponents;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demonstrations, each under the real runc with the bookworm image unpacked (uid-shifted) from its OCI
 * layout: read-only root, seccomp, user namespace, read-only bind, pids and memory limits, private network, and a
 * learned profile.
 */
class HardenedRunIT {
    static Path runc;
    static Path cache;
    static Runner.Prepared image;
    static RunSpec.IdMap map;

    @TempDir
    Path tmp;

    record Out(int exit, String out, String err) {}

    @org.junit.jupiter.api.BeforeEach
    void searchable() throws Exception {
        // bind sources below the test's temp dir: the mapped root must be able to pass through it
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
    }

    @BeforeAll
    static void prepare() throws Exception {
        if (!"root".equals(System.getProperty("user.name")))
            throw new AssertionError("runc with a user namespace needs root here; running as " + System.getProperty("user.name"));
        runc = TestComponents.requireTool("runc");
        cache = Files.createTempDirectory("bulwark-run-it-");
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx--x--x"));
        map = Runner.idMap();
        image = Runner.prepare("oci:" + TestComponents.bookwormOciLayout() + ":" + TestComponents.bookwormOciRef(),
                SourceOptions.defaults(), cache, map, null);
        assertThat(image.unpacked()).isTrue();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (cache != null) Runner.deleteTree(cache);
    }

    RunSpec spec(long uid, List<String> args, SeccompProfile seccomp, long mem, int pids, List<RunSpec.Bind> binds) {
        return new RunSpec(image.rootfs(), args, List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), "/",
                uid, uid, true, List.of("/tmp"), binds, List.of(), seccomp, null, mem, 1.0, pids, true, map, false);
    }

    RunSpec spec(List<String> args) {
        return spec(0, args, Runner.defaultSeccomp(), 256L << 20, 128, List.of());
    }

    Out run(RunSpec s) throws Exception {
        Path o = tmp.resolve("out-" + System.nanoTime());
        Path e = tmp.resolve("err-" + System.nanoTime());
        int code = Runner.run(s, runc, tmp.resolve("work"), new Runner.Streams(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")),
                ProcessBuilder.Redirect.to(o.toFile()), ProcessBuilder.Redirect.to(e.toFile())));
        return new Out(code, Files.readString(o), Files.readString(e));
    }

    static List<String> bash(String script) {
        return List.of("/bin/bash", "-c", script);
    }

    @Test
    void exitCodeAndOutputComeBackAndTheRunLeavesNothingBehind() throws Exception {
        Out r = run(spec(bash("echo hello; echo oops >&2; exit 7")));
        assertThat(r.exit()).isEqualTo(7);
        assertThat(r.out()).isEqualTo("hello\n");
        assertThat(r.err()).isEqualTo("oops\n");
        try (var s = Files.list(tmp.resolve("work"))) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void writingToTheRootFails() throws Exception {
        Out r = run(spec(bash("echo x > /evil")));
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("Read-only file system");
        assertThat(image.rootfs().resolve("evil")).doesNotExist();
        // the tmpfs is writable
        assertThat(run(spec(bash("echo x > /tmp/ok && cat /tmp/ok"))).out()).isEqualTo("x\n");
    }

    @Test
    void socketFailsUnderAProfileThatDeniesIt() throws Exception {
        SeccompProfile noSocket = Seccomp.deny(Runner.defaultSeccomp(), List.of("socket"), null);
        Out r = run(spec(0, bash("exec 3<>/dev/tcp/127.0.0.1/80"), noSocket, 256L << 20, 128, List.of()));
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("socket: Operation not permitted");
        // under the default profile the socket is made; connect fails (nothing listens in the empty namespace)
        Out d = run(spec(bash("exec 3<>/dev/tcp/127.0.0.1/80")));
        assertThat(d.err()).doesNotContain("socket: Operation not permitted").contains("connect");
    }

    @Test
    void rootInsideIsAnUnprivilegedHostUid() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Out r = run(spec(0, bash("id -u; touch /shared/made-inside; cat /proc/self/uid_map"), Runner.defaultSeccomp(), 256L << 20, 128,
                List.of(new RunSpec.Bind(shared, "/shared", true))));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("0\n");
        long hostUid = ((Number) Files.getAttribute(shared.resolve("made-inside"), "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        assertThat(hostUid).isGreaterThanOrEqualTo(100000).isEqualTo(map.hostUid());
        assertThat(r.out()).containsPattern("\\s0\\s+" + map.hostUid() + "\\s+" + map.size());
    }

    @Test
    void asAnUnprivilegedUserDeletingFromAReadOnlyBindIsRefused() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path keep = Files.writeString(data.resolve("keep.txt"), "precious");
        Files.setPosixFilePermissions(keep, PosixFilePermissions.fromString("rw-rw-rw-"));
        Out r = run(spec(1000, bash("id -u; id -g; rm /data/keep.txt"), Runner.defaultSeccomp(), 256L << 20, 128,
                List.of(new RunSpec.Bind(data, "/data", false))));
        assertThat(r.out()).startsWith("1000\n1000\n");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("rm: cannot remove '/data/keep.txt'").contains("Read-only file system");
        assertThat(Files.readString(keep)).isEqualTo("precious");
    }

    @Test
    void aForkBombStopsAtThePidsLimit() throws Exception {
        String bomb = "my $n = 0; for (1..500) { my $p = fork(); if (!defined $p) { print \"fork failed after $n: $!\\n\"; last }"
                + " if ($p == 0) { sleep 60; exit 0 } $n++ } print \"forked $n\\n\";";
        Out r = run(spec(0, List.of("perl", "-e", bomb), Runner.defaultSeccomp(), 256L << 20, 32, List.of()));
        assertThat(r.out()).contains("fork failed after").contains("Resource temporarily unavailable");
        int n = Integer.parseInt(r.out().replaceAll("(?s).*fork failed after (\\d+).*", "$1"));
        assertThat(n).isLessThan(32).isGreaterThan(0);
    }

    @Test
    void allocatingPastTheMemoryLimitIsOomKilled() throws Exception {
        Out r = run(spec(0, List.of("perl", "-e", "my $x = 'x' x 400_000_000; print \"allocated\\n\";"), Runner.defaultSeccomp(),
                64L << 20, 128, List.of()));
        assertThat(r.exit()).isEqualTo(137); // SIGKILL from the OOM killer
        assertThat(r.out()).doesNotContain("allocated");
        // the kernel says so too: the container's memory cgroup (cgroup v1) counts an OOM kill. The shell stays
        // alive a moment after perl is killed, so the cgroup is there to read.
        java.util.concurrent.atomic.AtomicReference<Out> shell = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                shell.set(run(spec(0, bash("perl -e \"my \\$x = 'x' x 400_000_000;\"; echo status=$?; sleep 3"),
                        Runner.defaultSeccomp(), 64L << 20, 128, List.of())));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        t.start();
        Path memcg = Path.of("/sys/fs/cgroup/memory/bulwark");
        long kills = 0;
        for (int i = 0; i < 200 && kills == 0 && t.isAlive(); i++) {
            Thread.sleep(50);
            if (!Files.isDirectory(memcg)) continue;
            try (var dirs = Files.list(memcg)) {
                for (Path d : dirs.filter(Files::isDirectory).toList()) {
                    try {
                        for (String line : Files.readAllLines(d.resolve("memory.oom_control")))
                            if (line.startsWith("oom_kill ")) kills = Math.max(kills, Long.parseLong(line.substring(9).strip()));
                    } catch (java.io.IOException gone) {
                        // another run's cgroup went away while we looked
                    }
                }
            }
        }
        t.join(60_000);
        assertThat(shell.get().out()).contains("status=137");
        assertThat(kills).as("oom_kill in memory.oom_control").isGreaterThanOrEqualTo(1);

        // the same program within a limit that fits completes
        Out ok = run(spec(0, List.of("perl", "-e", "my $x = 'x' x 4_000_000; print \"allocated\\n\";"), Runner.defaultSeccomp(),
                64L << 20, 128, List.of()));
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).isEqualTo("allocated\n");
    }

    @Test
    void thePrivateNetworkHoldsOnlyLoopback() throws Exception {
        Out r = run(spec(bash("ls /sys/class/net; tail -n +3 /proc/net/dev | cut -d: -f1")));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().map(String::strip).distinct().toList()).containsExactly("lo");
    }

    @Test
    void aLearnedProfileRunsItsWorkloadAndRefusesACallItNeverSaw() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TestComponents.requireTool("strace");
        var learned = Seccomp.learn(RuncSeccompIT.chrooted(image.rootfs(), "/bin/bash", "-c", "ls / && echo learned"), out,
                Duration.ofSeconds(60));
        assertThat(learned.exitCode()).isZero();
        assertThat(learned.observed()).doesNotContain("socket");
        Out ok = run(spec(0, bash("ls / && echo learned"), learned.profile(), 256L << 20, 128, List.of()));
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("usr").contains("learned");
        Out refused = run(spec(0, bash("ls / && exec 3<>/dev/tcp/127.0.0.1/80"), learned.profile(), 256L << 20, 128, List.of()));
        assertThat(refused.out()).contains("usr");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("socket: Operation not permitted");
    }

    @Test
    void theSecondPrepareComesFromTheCache() throws Exception {
        Runner.Prepared again = Runner.prepare("oci:" + TestComponents.bookwormOciLayout() + ":" + TestComponents.bookwormOciRef(),
                SourceOptions.defaults(), cache, map, null);
        assertThat(again.unpacked()).isFalse();
        assertThat(again.rootfs()).isEqualTo(image.rootfs());
        // shifted ownership: /etc/passwd belongs to the mapped root
        assertThat(((Number) Files.getAttribute(again.rootfs().resolve("etc/passwd"), "unix:uid")).longValue()).isEqualTo(map.hostUid());
        List<String> a = new ArrayList<>(again.config().argv(List.of()));
        assertThat(a).isNotEmpty();
        assertThat(Hardening.parseMemory("64m")).isEqualTo(64L << 20);
    }
}
