package dev.bulwark.harden.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.harden.HardenException;
import dev.bulwark.image.testenv.TestComponents;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profiles under the real runc, on the bookworm test rootfs: a denied {@code socket} fails with "Operation not
 * permitted"; a learned profile runs its workload and refuses a syscall the workload never made; and a few of the
 * evaluator's decisions on Docker's default profile are cross-checked against what the kernel then does.
 */
public class RuncSeccompIT {
    static final String CONNECT = "exec 3<>/dev/tcp/127.0.0.1/80";
    static SeccompProfile dockerDefault;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws HardenException {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("runc run needs root; these tests run as " + System.getProperty("user.name"));
        }
        TestComponents.requireTool("runc");
        TestComponents.requireTool("strace");
        dockerDefault = Seccomp.forContainer(Seccomp.read(MobyDefaultProfileTest.mobyDefault()), Arch.X86_64,
                SyscallQuery.dockerDefaultCaps(), null);
    }

    @Test
    void socketAllowedByDockersDefaultIsMadeAndDeniedSocketFailsWithEperm() throws Exception {
        // evaluator: socket(AF_INET) is allowed by Docker's default profile...
        Verdict v = Seccomp.evaluate(dockerDefault, SyscallQuery.of("socket", Arch.X86_64, Set.of(), 2));
        assertThat(v.allowed()).isTrue();
        // ...and under runc the socket is made; connect then fails (an empty network namespace), not socket.
        RuncBundle.Result allowed = RuncBundle.run(dockerDefault, tmp, "bash", "-c", CONNECT);
        assertThat(allowed.exit()).isNotZero();
        assertThat(allowed.err()).doesNotContain("socket: Operation not permitted").contains("connect:");

        SeccompProfile denied = Seccomp.deny(dockerDefault, List.of("socket"), null);
        assertThat(Seccomp.evaluate(denied, SyscallQuery.of("socket", Arch.X86_64, Set.of(), 2)).summary())
                .isEqualTo("SCMP_ACT_ERRNO (EPERM)");
        RuncBundle.Result r = RuncBundle.run(denied, tmp, "bash", "-c", CONNECT);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("socket: Operation not permitted");
    }

    @Test
    void unshareIsDeniedByDockersDefaultAsTheEvaluatorSays() throws Exception {
        Verdict v = Seccomp.evaluate(dockerDefault, SyscallQuery.of("unshare", Arch.X86_64, Set.of()));
        assertThat(v.allowed()).isFalse();
        assertThat(v.errno()).isEqualTo(1);
        RuncBundle.Result r = RuncBundle.run(dockerDefault, tmp, "unshare", "--uts", "true");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("Operation not permitted");
        // and personality(0xffffffff) (query the persona) is allowed: setarch's --show does exactly that
        assertThat(Seccomp.evaluate(dockerDefault, SyscallQuery.of("personality", Arch.X86_64, Set.of(), 0xffffffffL)).allowed()).isTrue();
    }

    @Test
    void personalityArgumentComparisonsAgreeWithTheKernel() throws Exception {
        // setarch linux32 calls personality(PER_LINUX32 = 8); setarch x86_64 -R personality(ADDR_NO_RANDOMIZE = 0x40000)
        boolean linux32 = Seccomp.evaluate(dockerDefault, SyscallQuery.of("personality", Arch.X86_64, Set.of(), 8)).allowed();
        boolean noRandom = Seccomp.evaluate(dockerDefault, SyscallQuery.of("personality", Arch.X86_64, Set.of(), 0x40000)).allowed();
        assertThat(linux32).isTrue();
        assertThat(noRandom).isFalse();
        RuncBundle.Result a = RuncBundle.run(dockerDefault, tmp, "setarch", "linux32", "true");
        assertThat(a.exit()).as(a.err()).isZero();
        RuncBundle.Result b = RuncBundle.run(dockerDefault, tmp, "setarch", "x86_64", "-R", "true");
        assertThat(b.exit()).isNotZero();
        assertThat(b.err()).contains("Operation not permitted");
    }

    @Test
    void learnedProfileRunsItsWorkloadAndRefusesWhatItNeverSaw() throws Exception {
        Path rootfs = TestComponents.rootfsDir();
        ByteArrayOutputStream workloadOut = new ByteArrayOutputStream();
        // Learn the rootfs's own bash and ls (chroot adds chroot and chdir, harmless) with the real strace. Two
        // commands, so bash forks ls as it will below (a lone command is exec'd in place, without clone and wait4).
        Seccomp.Learned learned = Seccomp.learn(chrooted(rootfs, "/bin/bash", "-c", "ls / && echo learned"),
                workloadOut, Duration.ofSeconds(60));
        assertThat(learned.exitCode()).isZero();
        assertThat(workloadOut.toString()).contains("bin").contains("usr").contains("learned");
        assertThat(learned.observed()).contains("execve", "getdents64").doesNotContain("socket", "connect");
        SeccompProfile p = learned.profile();
        assertThat(p.defaultAction()).isEqualTo(Action.ERRNO);
        assertThat(p.syscalls()).hasSize(1);

        RuncBundle.Result ok = RuncBundle.run(p, tmp, "/bin/bash", "-c", "ls / && echo learned");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("bin").contains("usr").contains("etc").contains("learned");

        RuncBundle.Result refused = RuncBundle.run(p, tmp, "/bin/bash", "-c", "ls / && " + CONNECT);
        assertThat(refused.out()).contains("usr");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("socket: Operation not permitted");
    }

    @Test
    void withoutTheRuntimeBaselineRuncCannotStartTheWorkload() throws Exception {
        // The workload's own calls alone are not enough: runc's init makes some after loading the filter.
        Path rootfs = TestComponents.rootfsDir();
        Seccomp.Learned learned = Seccomp.learn(chrooted(rootfs, "/bin/ls", "/"), null, Duration.ofSeconds(60));
        List<String> bare = learned.observed().stream().filter(n -> !n.equals("nanosleep") && !n.equals("futex")
                && !n.equals("epoll_pwait") && !n.equals("fstatfs") && !n.equals("write")).sorted().toList();
        SeccompProfile tooSmall = SeccompProfile.allowList(List.of(Arch.X86_64), bare);
        RuncBundle.Result r = RuncBundle.run(tooSmall, tmp, "/bin/ls", "/");
        assertThat(r.exit()).isNotZero();
        RuncBundle.Result ok = RuncBundle.run(learned.profile(), tmp, "/bin/ls", "/");
        assertThat(ok.exit()).as(ok.err()).isZero();
    }

    /**
     * The command under chroot with a fixed environment: bash without HOME or SHELL looks the user up, and glibc's
     * lookup first tries nscd (socket + connect), so the learned calls would depend on the caller's environment.
     */
    public static List<String> chrooted(Path rootfs, String... argv) {
        List<String> cmd = new java.util.ArrayList<>(List.of("env", "-i", "HOME=/root", "SHELL=/bin/bash",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "chroot", rootfs.toString()));
        cmd.addAll(List.of(argv));
        return cmd;
    }
}
