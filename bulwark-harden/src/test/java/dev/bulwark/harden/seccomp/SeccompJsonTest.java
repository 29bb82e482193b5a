package dev.bulwark.harden.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.harden.HardenException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SeccompJsonTest {
    static SeccompProfile parse(String json) throws HardenException {
        return Seccomp.parse(json.getBytes(StandardCharsets.UTF_8), "p.json");
    }

    static String oneLine(String json) {
        try {
            parse(json);
        } catch (HardenException e) {
            return e.oneLine();
        }
        throw new AssertionError("parsed: " + json);
    }

    @Test
    void mobyDefaultRoundTrips() throws Exception {
        byte[] original = Files.readAllBytes(MobyDefaultProfileTest.mobyDefault());
        SeccompProfile p = Seccomp.parse(original, "default.json");
        SeccompProfile again = parse(Seccomp.toJson(p));
        assertThat(again).isEqualTo(p);
        assertThat(Seccomp.toJson(again)).isEqualTo(Seccomp.toJson(p));
    }

    @Test
    void readsEveryField() throws HardenException {
        SeccompProfile p = parse("""
                {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
                 "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"], "flags": ["SECCOMP_FILTER_FLAG_LOG"],
                 "listenerPath": "/run/x.sock",
                 "syscalls": [
                   {"name": "clone", "action": "SCMP_ACT_ALLOW",
                    "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}],
                    "excludes": {"caps": ["CAP_SYS_ADMIN"], "arches": ["s390x"]}, "comment": "c"},
                   {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                    "args": [{"index": 0, "value": 18446744073709551615, "op": "SCMP_CMP_EQ"}],
                    "includes": {"minKernel": "4.8"}},
                   {"names": ["kill"], "action": "SCMP_ACT_TRACE", "errnoRet": 5}
                 ]}
                """);
        assertThat(p.defaultErrno()).isEqualTo(38);
        assertThat(p.architectures()).containsExactly(Arch.X86_64, Arch.X86);
        assertThat(p.flags()).containsExactly("SECCOMP_FILTER_FLAG_LOG");
        SyscallRule clone = p.syscalls().get(0);
        assertThat(clone.names()).containsExactly("clone");
        assertThat(clone.args().get(0)).isEqualTo(new ArgRule(0, 2114060288L, 0, Op.MASKED_EQ));
        assertThat(clone.excludes().arches()).containsExactly("s390x");
        assertThat(p.syscalls().get(1).args().get(0).value()).isEqualTo(-1L);
        assertThat(p.syscalls().get(1).includes().minKernel()).isEqualTo("4.8");
        assertThat(Seccomp.toJson(p)).contains("\"value\" : 18446744073709551615");
        assertThat(p.syscalls().get(2).errnoRet()).isEqualTo(5);
    }

    @Test
    void malformedInputNamesFileAndLine() {
        assertThat(oneLine("{\n\"defaultAction\": \"SCMP_ACT_ALLOW\",\n\"syscalls\": [\n{\"names\": [\"read\"], \"action\": \"SCMP_ACT_FOO\"}]}"))
                .isEqualTo("p.json:4: unknown action SCMP_ACT_FOO in action");
        assertThat(oneLine("{\n\"defaultAction\": \"SCMP_ACT_ALLOW\",\n\"syscalls\": [\n{\"names\": [\"read\"]\n")).startsWith("p.json:5: malformed JSON");
        assertThat(oneLine("")).isEqualTo("p.json: empty file: expected a JSON object");
        assertThat(oneLine("[]")).isEqualTo("p.json:1: a seccomp profile must be an object, not an array");
        assertThat(oneLine("{\"syscalls\": []}")).isEqualTo("p.json: no defaultAction");
        assertThat(oneLine("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"architectures\": [\"SCMP_ARCH_Z80\"]}"))
                .isEqualTo("p.json:2: unknown architecture SCMP_ARCH_Z80 in architectures");
        assertThat(oneLine("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
                + " \"args\": [{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}"))
                .isEqualTo("p.json:3: argument index 6 is not 0 to 5");
        assertThat(oneLine("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\","
                + " \"args\": [{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}]}]}"))
                .contains("value -1 is not an unsigned 64-bit number");
        assertThat(oneLine("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"name\": \"a\", \"names\": [\"b\"], \"action\": \"SCMP_ACT_ALLOW\"}]}"))
                .isEqualTo("p.json:1: use either name or names, not both (Docker refuses both)");
        assertThat(oneLine("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"r\\\"ead\"], \"action\": \"SCMP_ACT_ALLOW\"}]}"))
                .contains("not a syscall name");
        assertThat(oneLine("{\"defaultAction\": \"SCMP_ACT_ALLOW\"} {}")).contains("unexpected content after the profile object");
        assertThat(oneLine("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86\"], \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}]}"))
                .contains("use either architectures or archMap");
        assertThat(oneLine("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"deep\": " + "[".repeat(5000))).startsWith("p.json:1: malformed JSON");
    }

    @Property(tries = 500)
    void arbitraryBytesParseOrFailWithOneLine(@ForAll @Size(max = 400) byte[] bytes) {
        try {
            assertThat(Seccomp.parse(bytes, "fuzz.json")).isNotNull();
        } catch (HardenException e) {
            assertThat(e.oneLine()).startsWith("fuzz.json").doesNotContain("\n");
        }
    }

    @Property(tries = 300)
    void truncatedMobyProfileFailsWithALine(@ForAll @IntRange(min = 0, max = 20000) int cut) throws Exception {
        byte[] all = Files.readAllBytes(MobyDefaultProfileTest.mobyDefault());
        int n = Math.min(cut, all.length - 2);
        try {
            Seccomp.parse(java.util.Arrays.copyOf(all, n), "cut.json");
            throw new AssertionError("a truncated profile parsed");
        } catch (HardenException e) {
            assertThat(e.oneLine()).startsWith("cut.json").doesNotContain("\n");
        }
    }

    // ------------------------------------------------------------------ generated profiles

    static final List<String> NAMES = List.of("read", "write", "socket", "clone", "mount", "personality", "reboot", "openat", "execve", "kill");

    @Provide
    Arbitrary<SeccompProfile> profiles() {
        Arbitrary<ArgRule> arg = Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.longs(),
                Arbitraries.longs(), Arbitraries.of(Op.class)).as((i, v, v2, op) -> new ArgRule(i, v, op == Op.MASKED_EQ ? v2 : 0, op));
        Arbitrary<Condition> cond = Combinators.combine(Arbitraries.of("CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_NET_RAW").list().ofMaxSize(2).uniqueElements(),
                Arbitraries.of("amd64", "arm64", "s390x").list().ofMaxSize(2).uniqueElements(),
                Arbitraries.of("4.8", "5.10", "").injectNull(0.5)).as(Condition::new);
        Arbitrary<SyscallRule> rule = Combinators.combine(Arbitraries.of(NAMES).list().ofMinSize(1).ofMaxSize(4).uniqueElements(),
                Arbitraries.of(Action.class), Arbitraries.integers().between(0, 4095).injectNull(0.5),
                arg.list().ofMaxSize(2), Arbitraries.of("why", "").injectNull(0.7), cond.injectNull(0.6), cond.injectNull(0.6))
                .as(SyscallRule::new);
        return Combinators.combine(Arbitraries.of(Action.ERRNO, Action.ALLOW, Action.KILL_PROCESS, Action.LOG),
                Arbitraries.integers().between(0, 4095).injectNull(0.5),
                Arbitraries.of(Arch.class).set().ofMaxSize(3), rule.list().ofMaxSize(6))
                .as((d, e, a, r) -> new SeccompProfile(d, e, List.copyOf(a), List.of(), List.of(), r));
    }

    @Property(tries = 300)
    void jsonRoundTrip(@ForAll("profiles") SeccompProfile p) throws HardenException {
        assertThat(parse(Seccomp.toJson(p))).isEqualTo(p);
    }

    @Provide
    Arbitrary<SeccompProfile> allowLists() {
        return Combinators.combine(Arbitraries.of(NAMES).set().ofMaxSize(6), Arbitraries.of(Arch.X86_64, Arch.X86, Arch.AARCH64).set().ofMinSize(1),
                        Arbitraries.of("socket", "mount").set().ofMaxSize(1))
                .as((allowed, arches, denied) -> {
                    SeccompProfile p = SeccompProfile.allowList(List.copyOf(arches), List.copyOf(allowed));
                    if (denied.isEmpty()) return p;
                    return p.withSyscalls(new java.util.ArrayList<>(p.syscalls()) {{
                        add(new SyscallRule(List.copyOf(denied), Action.ALLOW, null,
                                List.of(new ArgRule(0, 2, 0, Op.EQ)), null, null, null));
                    }});
                });
    }

    @Property(tries = 200)
    void mergeIsIdempotentAndCommutative(@ForAll("allowLists") SeccompProfile a, @ForAll("allowLists") SeccompProfile b) throws HardenException {
        SeccompProfile ab = Seccomp.merge(List.of(a, b));
        assertThat(Seccomp.merge(List.of(b, a))).isEqualTo(ab);
        assertThat(Seccomp.merge(List.of(ab, ab))).isEqualTo(ab);
        assertThat(Seccomp.merge(List.of(a, a))).isEqualTo(Seccomp.normalize(a));
        assertThat(Seccomp.merge(List.of(ab, a))).isEqualTo(ab);
    }

    @Property(tries = 200)
    void mergeAllowsWhatEitherAllows(@ForAll("allowLists") SeccompProfile a, @ForAll("allowLists") SeccompProfile b,
                                     @ForAll("names") String name, @ForAll @IntRange(min = 0, max = 3) int arg0) throws HardenException {
        SeccompProfile ab = Seccomp.merge(List.of(a, b));
        for (Arch arch : ab.architectures()) {
            SyscallQuery q = new SyscallQuery(name, arch, arch, Set.of(), "6.1", new long[]{arg0});
            if (Seccomp.syscalls(arch).contains(name)) {
                boolean either = Seccomp.evaluate(withArches(a, ab), q).allowed() || Seccomp.evaluate(withArches(b, ab), q).allowed();
                assertThat(Seccomp.evaluate(ab, q).allowed()).isEqualTo(either);
            }
        }
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of(NAMES);
    }

    private static SeccompProfile withArches(SeccompProfile p, SeccompProfile like) {
        return p.withArchitectures(like.architectures());
    }
}
