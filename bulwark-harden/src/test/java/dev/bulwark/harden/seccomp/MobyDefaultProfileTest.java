package dev.bulwark.harden.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.harden.HardenException;
import dev.bulwark.image.testenv.TestComponents;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Known facts about Docker's default profile (moby profiles/seccomp/default.json), decided by the evaluator. */
class MobyDefaultProfileTest {
    static final long CLONE_NEWUSER = 0x10000000L;
    static final long CLONE_NEWNET = 0x40000000L;
    static final long SIGCHLD = 17;
    static SeccompProfile moby;

    static Path mobyDefault() {
        return TestComponents.require(TestComponents.root().resolve("../shared/vulndata/moby-profiles/seccomp/default.json")
                .normalize(), "moby default seccomp profile");
    }

    @BeforeAll
    static void load() throws HardenException {
        moby = Seccomp.read(mobyDefault());
    }

    static Set<String> caps(String... extra) {
        Set<String> s = new HashSet<>(SyscallQuery.dockerDefaultCaps());
        s.addAll(List.of(extra));
        return s;
    }

    static Verdict eval(String syscall, Set<String> caps, long... args) throws HardenException {
        return Seccomp.evaluate(moby, SyscallQuery.of(syscall, Arch.X86_64, caps, args).withKernel("6.1"));
    }

    @Test
    void readsTheWholeProfile() {
        assertThat(moby.defaultAction()).isEqualTo(Action.ERRNO);
        assertThat(moby.defaultErrno()).isEqualTo(1);
        assertThat(moby.archMap()).extracting(ArchMapping::architecture).contains(Arch.X86_64, Arch.AARCH64, Arch.S390X);
        assertThat(moby.archMap().get(0).subArchitectures()).containsExactly(Arch.X86, Arch.X32);
        assertThat(moby.syscalls()).hasSizeGreaterThan(20);
    }

    @Test
    void mountNeedsSysAdmin() throws HardenException {
        Verdict without = eval("mount", caps());
        assertThat(without.action()).isEqualTo(Action.ERRNO);
        assertThat(without.errno()).isEqualTo(1);
        assertThat(without.rule()).isEqualTo(Verdict.DEFAULT);
        assertThat(eval("mount", caps("CAP_SYS_ADMIN")).allowed()).isTrue();
        assertThat(eval("mount", caps("sys_admin")).allowed()).isTrue();
    }

    @Test
    void cloneWithNamespaceFlagsNeedsSysAdmin() throws HardenException {
        assertThat(eval("clone", caps(), SIGCHLD).allowed()).isTrue();
        assertThat(eval("clone", caps(), CLONE_NEWUSER | SIGCHLD).allowed()).isFalse();
        assertThat(eval("clone", caps(), CLONE_NEWNET).summary()).isEqualTo("SCMP_ACT_ERRNO (EPERM)");
        assertThat(eval("clone", caps("CAP_SYS_ADMIN"), CLONE_NEWUSER | SIGCHLD).allowed()).isTrue();
    }

    @Test
    void clone3FailsWithEnosysWithoutSysAdmin() throws HardenException {
        Verdict v = eval("clone3", caps());
        assertThat(v.action()).isEqualTo(Action.ERRNO);
        assertThat(v.errno()).isEqualTo(38);
        assertThat(eval("clone3", caps("CAP_SYS_ADMIN")).allowed()).isTrue();
    }

    @Test
    void personalityOnlyWithTheListedPersonas() throws HardenException {
        assertThat(eval("personality", caps(), 0xffffffffL).allowed()).isTrue();
        assertThat(eval("personality", caps(), 0).allowed()).isTrue();
        assertThat(eval("personality", caps(), 0x20008).allowed()).isTrue();
        assertThat(eval("personality", caps(), 1).allowed()).isFalse();
        assertThat(eval("personality", caps(), 0x1ffffffffL).allowed()).isFalse();
    }

    @Test
    void rebootNeedsSysBoot() throws HardenException {
        assertThat(eval("reboot", caps()).allowed()).isFalse();
        assertThat(eval("reboot", caps("CAP_SYS_BOOT")).allowed()).isTrue();
    }

    @Test
    void socketFamiliesAboveVsockAreRefusedExceptNone() throws HardenException {
        assertThat(eval("socket", caps(), 2).allowed()).isTrue();      // AF_INET
        assertThat(eval("socket", caps(), 39).allowed()).isTrue();     // AF_QIPCRTR
        assertThat(eval("socket", caps(), 40).allowed()).isFalse();    // AF_VSOCK
        assertThat(eval("socket", caps(), 41).allowed()).isTrue();
    }

    @Test
    void unlistedSyscallGetsTheDefaultAction() throws HardenException {
        Verdict v = eval("kexec_load", caps("CAP_SYS_BOOT"));
        assertThat(v.rule()).isEqualTo(Verdict.DEFAULT);
        assertThat(v.summary()).isEqualTo("SCMP_ACT_ERRNO (EPERM)");
    }

    @Test
    void ptraceDependsOnTheKernel() throws HardenException {
        SyscallQuery q = SyscallQuery.of("ptrace", Arch.X86_64, caps());
        assertThat(Seccomp.evaluate(moby, q.withKernel("4.4")).allowed()).isFalse();
        assertThat(Seccomp.evaluate(moby, q.withKernel("4.8")).allowed()).isTrue();
        assertThat(Seccomp.evaluate(moby, q.withKernel("5.10.0-28-amd64")).allowed()).isTrue();
        assertThat(Seccomp.evaluate(moby, q.withKernel("4.4").withHost(Arch.X86_64)
                .withKernel("4.4")).allowed()).isFalse();
    }

    @Test
    void archSpecificRulesFollowTheHost() throws HardenException {
        assertThat(eval("arch_prctl", caps()).allowed()).isTrue();
        // 32-bit x86 program on an amd64 host: moby's includes compare the host's Go arch (amd64), so modify_ldt is in
        assertThat(Seccomp.evaluate(moby, SyscallQuery.of("modify_ldt", Arch.X86, caps()).withKernel("6.1")).allowed()).isTrue();
        // set_tls is an ARM call: allowed for arm programs on arm64 hosts
        assertThat(Seccomp.evaluate(moby, SyscallQuery.of("set_tls", Arch.ARM, caps()).withKernel("6.1")).allowed()).isTrue();
        // x86-only names do not exist on aarch64
        assertThatThrownBy(() -> Seccomp.evaluate(moby, SyscallQuery.of("arch_prctl", Arch.AARCH64, caps())))
                .isInstanceOf(HardenException.class).hasMessageContaining("no syscall arch_prctl on aarch64");
    }

    @Test
    void s390ClonesCarryFlagsInTheSecondArgument() throws HardenException {
        SyscallQuery q = SyscallQuery.of("clone", Arch.S390X, caps(), 0, CLONE_NEWUSER).withKernel("6.1");
        assertThat(Seccomp.evaluate(moby, q).allowed()).isFalse();
        SyscallQuery ok = SyscallQuery.of("clone", Arch.S390X, caps(), CLONE_NEWUSER, 0).withKernel("6.1");
        assertThat(Seccomp.evaluate(moby, ok).allowed()).isTrue();
    }

    @Test
    void callsOutsideTheFilterArchitecturesAreKilled() throws HardenException {
        // on an aarch64 host the filter holds aarch64 and arm only: an x86_64 call is a bad architecture
        Verdict v = Seccomp.evaluate(moby, SyscallQuery.of("read", Arch.X86_64, caps()).withHost(Arch.AARCH64));
        assertThat(v.action()).isEqualTo(Action.KILL_THREAD);
        assertThat(v.rule()).isEqualTo(Verdict.BAD_ARCH);
        SeccompProfile only64 = Seccomp.forContainer(moby, Arch.X86_64, caps(), "6.1").withArchitectures(List.of(Arch.X86_64));
        assertThat(Seccomp.evaluate(only64, SyscallQuery.of("read", Arch.X86, caps()).withHost(Arch.X86_64)).action())
                .isEqualTo(Action.KILL_THREAD);
    }

    @Test
    void forContainerMatchesTheEvaluationOfTheFullProfile() throws HardenException {
        Set<String> c = caps();
        SeccompProfile oci = Seccomp.forContainer(moby, Arch.X86_64, c, "6.1");
        assertThat(oci.archMap()).isEmpty();
        assertThat(oci.architectures()).containsExactly(Arch.X86_64, Arch.X86, Arch.X32);
        assertThat(oci.syscalls()).allMatch(r -> r.includes().isEmpty() && r.excludes().isEmpty());
        for (String s : List.of("mount", "reboot", "read", "clone3", "ptrace", "unshare", "chroot", "setns")) {
            Verdict full = eval(s, c);
            Verdict resolved = Seccomp.evaluate(oci, SyscallQuery.of(s, Arch.X86_64, Set.of()).withKernel("6.1"));
            assertThat(resolved.summary()).as(s).isEqualTo(full.summary());
        }
    }

    @Test
    void namesNewerThanThisLibseccompAreReported() {
        // moby lists calls newer than libseccomp 2.5.4 (runc skips them); the table knows every other name
        assertThat(Seccomp.unknownNames(moby)).contains("mseal").doesNotContain("read", "clone3", "set_tls");
    }
}
