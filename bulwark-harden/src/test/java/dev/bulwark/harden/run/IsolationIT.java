package dev.bulwark.harden.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.harden.run.vm.MicroVm;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.image.testenv.TestComponents;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same command at the three isolation levels, on the real runtimes: runc, gVisor's runsc, and QEMU booting the
 * Debian kernel that scripts/vmkernel.sh unpacks (software emulation here: /dev/kvm on these machines cannot boot a
 * stock kernel). VM boots cost seconds each under emulation, so the VM is booted twice in all.
 */
class IsolationIT {
    static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static Path runc;
    static Path runsc;
    static MicroVm.Options vm;
    static Path cache;
    static Runner.Prepared shifted;
    static Runner.Prepared plain;
    static RunSpec.IdMap map;

    @TempDir
    Path tmp;

    record Out(int exit, String out, String err) {}

    @BeforeAll
    static void prepare() throws Exception {
        if (!"root".equals(System.getProperty("user.name")))
            throw new AssertionError("runc, runsc and the VM's shares need root here; running as " + System.getProperty("user.name"));
        runc = TestComponents.requireTool("runc");
        runsc = TestComponents.requireTool("runsc");
        Path qemu = TestComponents.requireTool("qemu-system-x86_64");
        Path busybox = TestComponents.requireTool("busybox");
        Path kernel = TestComponents.require(TestComponents.work().resolve("vmkernel/root/boot"), "guest kernel (scripts/vmkernel.sh)").getParent();
        vm = new MicroVm.Options(qemu, kernel, busybox, MicroVm.Accel.TCG);
        cache = Files.createTempDirectory("bulwark-iso-it-");
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx--x--x"));
        map = Runner.idMap();
        String image = "oci:" + TestComponents.bookwormOciLayout() + ":" + TestComponents.bookwormOciRef();
        shifted = Runner.prepare(image, SourceOptions.defaults(), cache, map, null);
        // the VM shares the tree as it is on the host: its ownership must be the image's own
        plain = Runner.prepare(image, SourceOptions.defaults(), cache, null, null);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (cache != null) Runner.deleteTree(cache);
    }

    RunSpec spec(Runner.Prepared p, long uid, List<String> env, String cwd, List<String> args, boolean seccomp) {
        return new RunSpec(p.rootfs(), args, env, cwd, uid, uid, true, List.of("/tmp", "/run"), List.of(), List.of(),
                seccomp ? Runner.defaultSeccomp() : null, null, 256L << 20, 1.0, 128, true, p == shifted ? map : null, false);
    }

    Out container(RunSpec s) throws Exception {
        return viaRunner(s, false);
    }

    Out sandbox(RunSpec s) throws Exception {
        return viaRunner(s, true);
    }

    private Out viaRunner(RunSpec s, boolean sandbox) throws Exception {
        Path o = tmp.resolve("out-" + System.nanoTime());
        Path e = tmp.resolve("err-" + System.nanoTime());
        Runner.Streams streams = new Runner.Streams(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")),
                ProcessBuilder.Redirect.to(o.toFile()), ProcessBuilder.Redirect.to(e.toFile()));
        int code = sandbox ? Runner.runSandbox(s, runsc, tmp.resolve("work"), streams) : Runner.run(s, runc, tmp.resolve("work"), streams);
        return new Out(code, Files.readString(o), Files.readString(e));
    }

    Out vm(RunSpec s, List<String> warnings) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = MicroVm.run(s, vm, tmp.resolve("work"), new MicroVm.Output(o, e), warnings::add);
        return new Out(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    static String hostRelease() throws Exception {
        return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    }

    @Test
    void theSameCommandGivesTheSameOutputAndStatusAtEveryLevelOnItsOwnKernelAndTheRootIsReadOnlyEverywhere() throws Exception {
        List<String> cmd = List.of("/bin/bash", "-c", "echo hello; echo oops >&2; cat /etc/debian_version; echo x > /evil; uname -r >&2; exit 7");
        Out c = container(spec(shifted, 0, List.of(PATH), "/", cmd, true));
        Out s = sandbox(spec(shifted, 0, List.of(PATH), "/", cmd, true));
        List<String> warnings = new ArrayList<>();
        Out v = vm(spec(plain, 0, List.of(PATH), "/", cmd, true), warnings);

        String debian = Files.readString(plain.rootfs().resolve("etc/debian_version"));
        for (Out r : List.of(c, s, v)) {
            assertThat(r.exit()).as(r.err()).isEqualTo(7);
            assertThat(r.err()).contains("/bin/bash: line 1: /evil: Read-only file system");
            assertThat(r.out()).isEqualTo("hello\n" + debian);
            assertThat(r.err()).startsWith("oops\n").contains("/evil: Read-only file system");
        }
        assertThat(shifted.rootfs().resolve("evil")).doesNotExist();
        assertThat(plain.rootfs().resolve("evil")).doesNotExist();
        String host = hostRelease();
        assertThat(c.err()).endsWith(host + "\n");
        assertThat(s.err()).doesNotContain(host);
        String guest = v.err().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(guest).isNotEqualTo(host).isEqualTo(dev.bulwark.harden.run.vm.VmKernel.find(vm.kernelDir()).version());
        assertThat(warnings).singleElement().asString().contains("software emulation");
    }

    @Test
    void inTheSandboxTheKernelIsGVisorsAndTheSeccompFilterStillApplies() throws Exception {
        Out open = sandbox(spec(shifted, 0, List.of(PATH), "/", List.of("/bin/sh", "-c", "dmesg | head -1; cat /proc/version"), false));
        assertThat(open.exit()).as(open.err()).isZero();
        assertThat(open.out()).contains("Starting gVisor");
        assertThat(open.out()).doesNotContain(Files.readString(Path.of("/proc/version")).strip());
        // syslog is on the default deny-list: inside the sandbox the filter refuses it too
        Out filtered = sandbox(spec(shifted, 0, List.of(PATH), "/", List.of("/bin/sh", "-c", "dmesg"), true));
        assertThat(filtered.exit()).isNotZero();
        assertThat(filtered.out()).doesNotContain("gVisor");
        assertThat(filtered.err()).contains("Operation not permitted");
    }

    /**
     * The pids limit holds in the guest as in a container, to the process: with 6, dash and five children run and
     * the sixth fork fails (dash gives up, exit 2).
     */
    @Test
    void thePidsLimitHoldsInTheVmAsInAContainer() throws Exception {
        List<String> cmd = List.of("sh", "-c", "i=0; while [ $i -lt 12 ]; do sleep 2 & i=$((i+1)); echo $i; done; echo all started");
        RunSpec limited = new RunSpec(plain.rootfs(), cmd, List.of(PATH), "/", 1000, 1000, true, List.of("/tmp", "/run"), List.of(), List.of(),
                Runner.defaultSeccomp(), null, 256L << 20, 1.0, 6, true, null, false);
        Out v = vm(limited, new ArrayList<>());
        assertThat(v.exit()).as(v.out() + v.err()).isEqualTo(2);
        assertThat(v.out()).isEqualTo("1\n2\n3\n4\n5\n");
        assertThat(v.err()).contains("Cannot fork");
        Out c = container(new RunSpec(shifted.rootfs(), cmd, List.of(PATH), "/", 1000, 1000, true, List.of("/tmp", "/run"), List.of(), List.of(),
                Runner.defaultSeccomp(), null, 256L << 20, 1.0, 6, true, map, false));
        assertThat(c.exit()).isEqualTo(v.exit());
        assertThat(c.out()).isEqualTo(v.out());
        // and without a limit all twelve start
        Out free = vm(new RunSpec(plain.rootfs(), cmd, List.of(PATH), "/", 1000, 1000, true, List.of("/tmp", "/run"), List.of(), List.of(),
                Runner.defaultSeccomp(), null, 256L << 20, 1.0, 0, true, null, false), new ArrayList<>());
        assertThat(free.exit()).as(free.err()).isZero();
        assertThat(free.out()).endsWith("12\nall started\n");
    }

    @Test
    void theVmAppliesTheUserTheEnvironmentTheWorkingDirectoryTheTmpfsAndAReadOnlyBind() throws Exception {
        List<String> cmd = List.of("sh", "-c", "id -u; id -g; id -G; echo \"$MODE\"; pwd; env | sort | tr '\\n' ' '; echo;"
                + " echo x > /tmp/ok && cat /tmp/ok; grep NoNewPrivs /proc/self/status; touch /usr/evil; echo \"$0\" >&2; exit 3");
        // a read-only bind of a host directory (the mapped root must pass through the test's temp dir)
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        Path data = Files.createDirectory(tmp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path keep = Files.writeString(data.resolve("keep.txt"), "precious\n");
        Files.setPosixFilePermissions(keep, PosixFilePermissions.fromString("rw-rw-rw-"));
        List<RunSpec.Bind> binds = List.of(new RunSpec.Bind(data, "/data", false));
        cmd = List.of(cmd.get(0), cmd.get(1), "cat /data/keep.txt; rm /data/keep.txt 2>/dev/null || echo kept; " + cmd.get(2));
        RunSpec s = new RunSpec(plain.rootfs(), cmd, List.of(PATH, "MODE=it's \"quoted\" $HOME"), "/usr", 1000, 1000, true, List.of("/tmp", "/run"),
                binds, List.of(), Runner.defaultSeccomp(), null, 256L << 20, 1.0, 128, true, null, false);
        Out v = vm(s, new ArrayList<>());
        assertThat(v.exit()).as(v.err()).isEqualTo(3);
        assertThat(v.out()).isEqualTo("precious\nkept\n1000\n1000\n1000\nit's \"quoted\" $HOME\n/usr\n" + "HOME=/ MODE=it's \"quoted\" $HOME " + PATH + " PWD=/usr \n"
                + "x\nNoNewPrivs:\t1\n");
        assertThat(v.err()).contains("touch: cannot touch '/usr/evil'").endsWith("\nsh\n");
        // the same, in a container: the VM matches it
        assertThat(Files.readString(keep)).isEqualTo("precious\n");
        Out c = container(new RunSpec(shifted.rootfs(), cmd, s.env(), "/usr", 1000, 1000, true, s.tmpfs(), binds, List.of(),
                Runner.defaultSeccomp(), null, 256L << 20, 1.0, 128, true, map, false));
        assertThat(c.exit()).isEqualTo(3);
        assertThat(c.out()).isEqualTo(v.out());
        // and in gVisor, on the same bundle: the bind, the user and the read-only root hold there too
        Out g = sandbox(new RunSpec(shifted.rootfs(), cmd, s.env(), "/usr", 1000, 1000, true, s.tmpfs(), binds, List.of(),
                Runner.defaultSeccomp(), null, 256L << 20, 1.0, 128, true, map, false));
        assertThat(g.exit()).as(g.err()).isEqualTo(3);
        // gVisor's /proc/self/status has no NoNewPrivs line
        assertThat(g.out()).isEqualTo(v.out().replace("NoNewPrivs:\t1\n", ""));
        assertThat(g.err()).contains("/usr/evil");
        assertThat(Files.readString(keep)).isEqualTo("precious\n");
    }
}
