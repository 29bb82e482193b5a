package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bulwark profile seccomp|apparmor` end to end, without external processes (learn mode runs in bulwark-harden's ITs). */
class ProfileCliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Path straceLog() throws Exception {
        Path log = tmp.resolve("ls.strace");
        Files.writeString(log, """
                4242  execve("/bin/ls", ["ls", "/"], 0x7ffc /* 10 vars */) = 0
                4242  brk(NULL)                         = 0x5581
                4242  openat(AT_FDCWD, "/", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3
                4242  getdents64(3, 0x5581 /* 20 entries */, 32768) = 512
                4242  write(1, "bin\\nboot\\n", 9)     = 9
                4242  exit_group(0)                     = ?
                4242  +++ exited with 0 +++
                """);
        return log;
    }

    @Test
    void learnFromStraceLogThenDenyAllowDiffExplainCheck() throws Exception {
        Path learned = tmp.resolve("learned.json");
        Run r = run("profile", "seccomp", "--from", straceLog().toString(), "-o", learned.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String json = Files.readString(learned);
        assertThat(json).contains("\"defaultAction\" : \"SCMP_ACT_ERRNO\"").contains("\"getdents64\"").contains("\"execve\"")
                .doesNotContain("\"socket\"");

        Run allowed = run("profile", "seccomp", "check", learned.toString(), "--syscall", "getdents64", "--arch", "x86_64", "--exit-code", "5");
        assertThat(allowed.code()).as(allowed.err()).isZero();
        assertThat(allowed.out()).startsWith("getdents64: SCMP_ACT_ALLOW (allowed)");
        Run refused = run("profile", "seccomp", "check", learned.toString(), "--syscall", "socket", "--arg", "0=2", "--arch", "x86_64",
                "--exit-code", "5");
        assertThat(refused.code()).isEqualTo(5);
        assertThat(refused.out()).startsWith("socket: SCMP_ACT_ERRNO (EPERM) (not allowed)").contains("default action");

        Path edited = tmp.resolve("edited.json");
        Run e = run("profile", "seccomp", learned.toString(), "--allow", "socket,connect", "--deny", "write", "-o", edited.toString());
        assertThat(e.code()).as(e.err()).isZero();
        Run diff = run("profile", "seccomp", "diff", learned.toString(), edited.toString(), "--exit-code", "1");
        assertThat(diff.code()).isEqualTo(1);
        assertThat(diff.out()).contains("+ connect: allowed").contains("+ socket: allowed").contains("- write: allowed");
        Run same = run("profile", "seccomp", "diff", learned.toString(), learned.toString(), "--exit-code", "1");
        assertThat(same.code()).isZero();
        assertThat(same.out()).contains("no difference");

        Run explain = run("profile", "seccomp", "explain", edited.toString());
        assertThat(explain.code()).isZero();
        assertThat(explain.out()).contains("Default: fails with EPERM").contains("Allowed: ").contains("socket");

        Path merged = tmp.resolve("merged.json");
        Run m = run("profile", "seccomp", learned.toString(), "--merge", edited.toString(), "-o", merged.toString());
        assertThat(m.code()).as(m.err()).isZero();
        assertThat(Files.readString(merged)).contains("\"socket\"").contains("\"write\"");
    }

    @Test
    void checkOnDockersDefaultProfile() throws Exception {
        Path moby = bulwarkRoot().resolve("../shared/vulndata/moby-profiles/seccomp/default.json").normalize();
        assertThat(moby).exists();
        Run mount = run("profile", "seccomp", "check", moby.toString(), "--syscall", "mount", "--docker-caps", "--arch", "x86_64",
                "--exit-code", "1");
        assertThat(mount.code()).isEqualTo(1);
        assertThat(mount.out()).contains("SCMP_ACT_ERRNO (EPERM)");
        Run admin = run("profile", "seccomp", "check", moby.toString(), "--syscall", "mount", "--cap", "SYS_ADMIN", "--arch", "x86_64",
                "--exit-code", "1");
        assertThat(admin.code()).isZero();
        Run clone = run("profile", "seccomp", "check", moby.toString(), "--syscall", "clone", "--arg", "0=0x10000011",
                "--arch", "amd64", "--exit-code", "1");
        assertThat(clone.code()).isEqualTo(1);
        Run persona = run("profile", "seccomp", "check", moby.toString(), "--syscall", "personality", "--arg", "0=0xffffffff",
                "--arch", "SCMP_ARCH_X86_64", "--exit-code", "1");
        assertThat(persona.code()).isZero();
        // moby lists calls newer than the libseccomp here: a warning, not an error
        Run explain = run("profile", "seccomp", "explain", moby.toString());
        assertThat(explain.code()).isZero();
        assertThat(explain.err()).contains("warning").contains("mseal");
    }

    static Path bulwarkRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw"))) return p;
        }
        throw new AssertionError("no repository root above " + Path.of("").toAbsolutePath());
    }

    @Test
    void apparmorFromBaneToml() throws Exception {
        Path toml = tmp.resolve("nginx.toml");
        Files.writeString(toml, """
                Name = "nginx-sample"
                [Filesystem]
                ReadOnlyPaths = ["/etc/**"]
                WritablePaths = ["/var/cache/nginx/**"]
                [Capabilities]
                Allow = ["net_bind_service"]
                [Network]
                Protocols = ["tcp"]
                """);
        Path out = tmp.resolve("nginx.aa");
        Run r = run("profile", "apparmor", toml.toString(), "-o", out.toString(), "--name", "web");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(out)).contains("profile web flags=").contains("capability net_bind_service,")
                .contains("deny \"/etc/**\" wl,");
    }

    @Test
    void badInputIsOneLineExitThreeAndWritesNothing() throws Exception {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"syscalls\": [ {\"names\": [\"read\"], \"action\": \"SCMP_ACT_NOPE\"} ]\n}\n");
        Path out = tmp.resolve("out.json");
        Run r = run("profile", "seccomp", bad.toString(), "-o", out.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("bulwark: " + bad + ":3: unknown action SCMP_ACT_NOPE in action" + System.lineSeparator());
        assertThat(out).doesNotExist();

        Path ok = tmp.resolve("ok.json");
        Files.writeString(ok, "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}");
        Run unknown = run("profile", "seccomp", ok.toString(), "--deny", "sokket", "-o", out.toString());
        assertThat(unknown.code()).isEqualTo(3);
        assertThat(unknown.err()).contains("--deny: unknown syscall sokket");
        assertThat(out).doesNotExist();

        Path log = tmp.resolve("x.log");
        Files.writeString(log, "1 read(0) = 1\n<html>\n");
        Run notStrace = run("profile", "seccomp", "--from", log.toString(), "-o", out.toString());
        assertThat(notStrace.code()).isEqualTo(3);
        assertThat(notStrace.err()).contains(log + ":2: not an strace line");

        Path toml = tmp.resolve("bad.toml");
        Files.writeString(toml, "Name = \"x\"\n[Network\nRaw = true\n");
        Run t = run("profile", "apparmor", toml.toString(), "-o", out.toString());
        assertThat(t.code()).isEqualTo(3);
        assertThat(t.err()).startsWith("bulwark: " + toml + ":2: malformed TOML").doesNotContain("\tat ");
        assertThat(out).doesNotExist();

        Run missing = run("profile", "seccomp", "explain", tmp.resolve("nope.json").toString());
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err()).contains("nope.json: no such file");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("profile", "seccomp").code()).isEqualTo(2);
        assertThat(run("profile", "seccomp", "--learn").code()).isEqualTo(2);
        assertThat(run("profile", "seccomp", "check", "x.json").code()).isEqualTo(2);   // --syscall is required
        Run arg = run("profile", "seccomp", "check", "x.json", "--syscall", "read", "--arg", "7=1");
        assertThat(arg.code()).isEqualTo(2);
        assertThat(arg.err()).contains("N must be 0 to 5");
        assertThat(run("profile", "seccomp", "--errno", "99999", "x.json").code()).isEqualTo(2);
    }
}
