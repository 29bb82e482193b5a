package dev.bulwark.harden.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.harden.HardenException;
import java.io.StringReader;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EditsTest {
    static final SeccompProfile ALLOW_ALL = new SeccompProfile(Action.ALLOW, null, List.of(Arch.X86_64), List.of(), List.of(), List.of());

    static Verdict eval(SeccompProfile p, String name, long... args) throws HardenException {
        return Seccomp.evaluate(p, new SyscallQuery(name, Arch.X86_64, Arch.X86_64, Set.of(), "6.1", args));
    }

    @Test
    void denySocketThenAllowItBack() throws HardenException {
        SeccompProfile denied = Seccomp.deny(ALLOW_ALL, List.of("socket"), null);
        assertThat(eval(denied, "socket", 2).summary()).isEqualTo("SCMP_ACT_ERRNO (EPERM)");
        assertThat(eval(denied, "read").allowed()).isTrue();
        SeccompProfile back = Seccomp.allow(denied, List.of("socket"));
        assertThat(eval(back, "socket", 2).allowed()).isTrue();
        assertThat(back.syscalls()).isEmpty();   // allowing what the default allows writes no rule
        assertThat(Seccomp.deny(ALLOW_ALL, List.of("kill"), 13).syscalls().get(0).errnoRet()).isEqualTo(13);
    }

    @Test
    void denyTakesTheNameOutOfConditionalRules() throws HardenException {
        SeccompProfile p = SeccompProfile.allowList(List.of(Arch.X86_64), List.of("read"))
                .withSyscalls(List.of(SyscallRule.of(List.of("read"), Action.ALLOW, null),
                        new SyscallRule(List.of("socket", "read"), Action.ALLOW, null, List.of(new ArgRule(0, 2, 0, Op.EQ)), null, null, null)));
        assertThat(eval(p, "socket", 2).allowed()).isTrue();
        SeccompProfile d = Seccomp.deny(p, List.of("socket"), null);
        assertThat(eval(d, "socket", 2).allowed()).isFalse();
        assertThat(eval(d, "read").allowed()).isTrue();
        // default is ERRNO EPERM: the deny needs no rule of its own
        assertThat(d.syscalls()).noneMatch(r -> r.action() == Action.ERRNO);
    }

    @Test
    void unknownNamesAreRefusedByName() {
        assertThatThrownBy(() -> Seccomp.deny(ALLOW_ALL, List.of("sokket", "read", "fly"), null))
                .isInstanceOf(HardenException.class)
                .satisfies(e -> assertThat(((HardenException) e).oneLine()).isEqualTo("--deny: unknown syscalls fly, sokket"));
        assertThatThrownBy(() -> Seccomp.allowList(List.of("read", "set_tls"), Arch.X86_64, "log"))
                .satisfies(e -> assertThat(((HardenException) e).oneLine()).isEqualTo("log: not syscalls of x86_64: set_tls"));
    }

    @Test
    void mostRestrictiveMatchingRuleWins() throws HardenException {
        SeccompProfile p = ALLOW_ALL.withSyscalls(List.of(
                SyscallRule.of(List.of("kill"), Action.LOG, null),
                new SyscallRule(List.of("kill"), Action.ERRNO, 3, List.of(new ArgRule(1, 9, 0, Op.EQ)), null, null, null),
                new SyscallRule(List.of("kill"), Action.KILL_PROCESS, null, List.of(new ArgRule(0, 1, 0, Op.EQ)), null, null, null)));
        assertThat(eval(p, "kill", 100, 15).action()).isEqualTo(Action.LOG);
        assertThat(eval(p, "kill", 100, 9).summary()).isEqualTo("SCMP_ACT_ERRNO (errno 3)");
        assertThat(eval(p, "kill", 1, 9).action()).isEqualTo(Action.KILL_PROCESS);
    }

    @Test
    void rulesWithTheDefaultActionNeverDecide() throws HardenException {
        // libseccomp refuses them, so runc leaves them out: the conditional allow of kill(_, 0) stands
        SeccompProfile p = SeccompProfile.allowList(List.of(Arch.X86_64), List.of()).withSyscalls(List.of(
                SyscallRule.of(List.of("kill"), Action.ERRNO, null),
                new SyscallRule(List.of("kill"), Action.ALLOW, null, List.of(new ArgRule(1, 0, 0, Op.EQ)), null, null, null),
                SyscallRule.of(List.of("tkill"), Action.ERRNO, 38)));
        assertThat(eval(p, "kill", 1, 0).allowed()).isTrue();
        assertThat(eval(p, "kill", 1, 9).rule()).isEqualTo(Verdict.DEFAULT);
        // another errno is another action: it decides
        assertThat(eval(p, "tkill", 1, 9).errno()).isEqualTo(38);
    }

    @Test
    void comparisonsAreUnsignedAndMaskedEqUsesValueTwo() {
        assertThat(Op.LT.test(-1L, 5, 0)).isFalse();          // 0xffff... is not below 5
        assertThat(Op.GT.test(-1L, 5, 0)).isTrue();
        assertThat(Op.LE.test(5, 5, 0)).isTrue();
        assertThat(Op.GE.test(4, 5, 0)).isFalse();
        assertThat(Op.NE.test(4, 5, 0)).isTrue();
        assertThat(Op.MASKED_EQ.test(0x10011, 0x10000, 0x10000)).isTrue();
        assertThat(Op.MASKED_EQ.test(0x00011, 0x10000, 0x10000)).isFalse();
        // 32-bit ABIs see the low word only
        assertThat(new ArgRule(0, 5, 0, Op.EQ).test(new long[]{0x100000005L, 0, 0, 0, 0, 0}, false)).isTrue();
        assertThat(new ArgRule(0, 5, 0, Op.EQ).test(new long[]{0x100000005L, 0, 0, 0, 0, 0}, true)).isFalse();
    }

    @Test
    void diffAndExplainSayWhatChanged() throws HardenException {
        SeccompProfile a = SeccompProfile.allowList(List.of(Arch.X86_64), List.of("read", "write"));
        SeccompProfile b = Seccomp.allow(Seccomp.deny(a, List.of("write"), null), List.of("socket"));
        assertThat(Seccomp.diff(a, b)).containsExactly("+ socket: allowed", "- write: allowed");
        assertThat(Seccomp.diff(a, a)).isEmpty();
        String words = Seccomp.explain(b);
        assertThat(words).contains("Default: fails with EPERM for every syscall no rule below matches.")
                .contains("Architectures: x86_64").contains("Allowed: read, socket.");
        SeccompProfile moby = Seccomp.read(MobyDefaultProfileTest.mobyDefault());
        assertThat(Seccomp.explain(moby)).contains("only with CAP_SYS_BOOT").contains("when arg0 == 0xffffffff")
                .contains("not with CAP_SYS_ADMIN").contains("on s390/s390x hosts").contains("Fails with ENOSYS: clone3, not with CAP_SYS_ADMIN.");
    }

    @Test
    void straceLogsWithAndWithoutPidsAndTimes() throws Exception {
        String log = """
                1234  execve("/bin/ls", ["ls"], 0x7ffd /* 20 vars */) = 0
                1234  brk(NULL)                         = 0x55d0
                1235  read(3,  <unfinished ...>
                1234  futex(0x7f, FUTEX_WAIT, 0, NULL <unfinished ...>
                1235  <... read resumed>"x", 1)         = 1
                1236  <... clone3 resumed> => {parent_tid=[2]}, 88) = 2
                1234  --- SIGCHLD {si_signo=SIGCHLD} ---
                12:00:01.123456 openat(AT_FDCWD, "/etc", O_RDONLY) = 3
                1234  1700000000.123456 close(3) = 0
                [pid  1237] getdents64(3, 0x5, 32768) = 0
                1234  +++ exited with 0 +++

                """;
        assertThat(StraceLog.syscalls(new StringReader(log), "s.log"))
                .containsExactly("brk", "clone3", "close", "execve", "futex", "getdents64", "openat", "read");
        assertThatThrownBy(() -> StraceLog.syscalls(new StringReader("1 read(0) = 1\nhello world\n"), "s.log"))
                .satisfies(e -> assertThat(((HardenException) e).oneLine()).isEqualTo("s.log:2: not an strace line: hello world"));
        // strace writes calls it cannot name as syscall_0x...: the learned profile cannot hold them
        assertThatThrownBy(() -> Seccomp.allowList(StraceLog.syscalls(new StringReader("1 syscall_0x1c3(1) = -1\n"), "s.log"), Arch.X86_64, "s.log"))
                .hasMessageContaining("unknown syscalls: syscall_0x1c3");
    }

    @net.jqwik.api.Property(tries = 300)
    void arbitraryLogsGiveNamesOrOneLineErrors(@net.jqwik.api.ForAll String text) {
        try {
            assertThat(StraceLog.syscalls(new StringReader(text), "f.log")).allMatch(n -> n.matches("[a-z_][a-z0-9_]*"));
        } catch (HardenException e) {
            assertThat(e.oneLine()).startsWith("f.log:").doesNotContain("\n");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void tooManyDistinctNamesIsNotAnStraceLog() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            StringBuilder name = new StringBuilder("c");
            for (int v = i; v > 0 || name.length() == 1; v /= 26) name.append((char) ('a' + v % 26));
            b.append("1 ").append(name).append("(0) = 0\n");
        }
        assertThatThrownBy(() -> StraceLog.syscalls(new StringReader(b.toString()), "big.log"))
                .hasMessageContaining("distinct syscall names: not an strace log");
    }

    @Test
    void learnedProfilesCarryTheRuntimeBaseline() throws HardenException {
        SeccompProfile p = Seccomp.allowList(List.of("getdents64"), Arch.X86_64, "x");
        assertThat(p.syscalls().get(0).names()).contains("getdents64", "execve", "futex", "nanosleep", "epoll_pwait");
        assertThat(p.defaultAction()).isEqualTo(Action.ERRNO);
        assertThat(p.architectures()).containsExactly(Arch.X86_64);
    }
}
