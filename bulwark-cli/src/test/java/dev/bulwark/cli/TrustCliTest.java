package dev.bulwark.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** `bulwark key|sign|verify|pin` refusals and offline paths, without any registry or other process. */
class TrustCliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Path passFile(String pass) throws Exception {
        Path p = tmp.resolve("pass-" + pass.hashCode());
        Files.writeString(p, pass + "\n");
        return p;
    }

    @Test
    void keyGenerateWritesAPrivateEncryptedKeyAndRefusesToOverwrite() throws Exception {
        String prefix = tmp.resolve("team").toString();
        Run r = run("key", "generate", "-o", prefix, "--passphrase-file", passFile("s3cret").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(prefix + ".key")))).isEqualTo("rw-------");
        assertThat(Files.readString(Path.of(prefix + ".key"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Files.readString(Path.of(prefix + ".pub"))).startsWith("-----BEGIN PUBLIC KEY-----");
        String before = Files.readString(Path.of(prefix + ".key"));
        Run again = run("key", "generate", "-o", prefix, "--passphrase-file", passFile("s3cret").toString());
        assertThat(again.code()).isEqualTo(3);
        assertThat(again.err()).isEqualTo("bulwark: " + prefix + ".key: already exists; not overwritten\n");
        assertThat(Files.readString(Path.of(prefix + ".key"))).isEqualTo(before);
    }

    @Test
    void signRefusesAWrongPassphraseAndALooseKeyBeforeTouchingAnyRegistry() throws Exception {
        String prefix = tmp.resolve("k").toString();
        assertThat(run("key", "generate", "-o", prefix, "--passphrase-file", passFile("right").toString()).code()).isZero();
        // 127.0.0.1:9 has nothing listening: a refusal must come from the key, first
        Run wrong = run("sign", "127.0.0.1:9/x/y:1", "--key", prefix + ".key", "--passphrase-file", passFile("wrong").toString());
        assertThat(wrong.code()).isEqualTo(3);
        assertThat(wrong.err()).isEqualTo("bulwark: " + prefix + ".key: wrong passphrase (or a damaged key file)\n");
        Files.setPosixFilePermissions(Path.of(prefix + ".key"), PosixFilePermissions.fromString("rw-r--r--"));
        Run loose = run("sign", "127.0.0.1:9/x/y:1", "--key", prefix + ".key", "--passphrase-file", passFile("right").toString());
        assertThat(loose.code()).isEqualTo(3);
        assertThat(loose.err()).contains("private key is readable by others").contains("chmod 600").doesNotContain("Exception");
        Files.setPosixFilePermissions(Path.of(prefix + ".key"), PosixFilePermissions.fromString("rw-------"));
        Run down = run("sign", "127.0.0.1:9/x/y:1", "--key", prefix + ".key", "--passphrase-file", passFile("right").toString());
        assertThat(down.code()).isEqualTo(3);
        assertThat(down.err()).contains("cannot connect to 127.0.0.1:9").hasLineCount(1);
    }

    @Test
    void verifyUsageErrors() throws Exception {
        Run none = run("verify", "127.0.0.1:9/x/y:1");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("exactly one of --key, --policy or --notary");
        Files.writeString(tmp.resolve("p.yaml"), "rules: nope\n");
        Run bad = run("verify", "127.0.0.1:9/x/y:1", "--policy", tmp.resolve("p.yaml").toString());
        assertThat(bad.code()).isEqualTo(3);
        assertThat(bad.err()).isEqualTo("bulwark: " + tmp.resolve("p.yaml") + ": expected a mapping with a 'rules' list\n");
        Run badRef = run("verify", "UPPER/Case:1", "--key", "x.pub");
        assertThat(badRef.code()).isEqualTo(2);
        assertThat(badRef.err()).hasLineCount(1);
    }

    @Test
    void pinCheckListsUnpinnedReferencesAndExitsOne() throws Exception {
        Path df = tmp.resolve("Dockerfile");
        Files.writeString(df, "FROM golang:1.22 AS build\nFROM alpine:3.20@sha256:" + "b".repeat(64) + "\n");
        Path k8s = tmp.resolve("pod.yaml");
        Files.writeString(k8s, "kind: Pod\nspec:\n  containers:\n    - image: nginx  # web\n");
        Run r = run("pin", "--check", df.toString(), k8s.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEqualTo(df + ":1: golang:1.22 is not pinned to a digest (FROM)\n"
                + k8s + ":4: nginx is not pinned to a digest (spec.containers[0].image)\n");
        Files.writeString(df, "FROM alpine:3.20@sha256:" + "b".repeat(64) + "\n");
        Run ok = run("pin", "--check", df.toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).contains("all image references are pinned");
    }

    @Test
    void pinBadInputIsOneLineAndLeavesFilesAlone() throws Exception {
        Path y = tmp.resolve("bad.yaml");
        Files.writeString(y, "services:\n  a: [\n");
        Run r = run("pin", y.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).startsWith("bulwark: " + y + ": malformed YAML").hasLineCount(1);
        assertThat(Files.readString(y)).isEqualTo("services:\n  a: [\n");
        Run missing = run("pin", tmp.resolve("absent").toString());
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err()).isEqualTo("bulwark: " + tmp.resolve("absent") + ": not a regular file\n");
        Path bin = tmp.resolve("Dockerfile");
        Files.write(bin, new byte[]{'F', 'R', 'O', 'M', ' ', (byte) 0xC3, (byte) 0x28});
        assertThat(run("pin", bin.toString()).err()).isEqualTo("bulwark: " + bin + ": not UTF-8 text\n");
        // a reference that cannot be resolved: nothing written, even in the files before it
        Path good = tmp.resolve("compose.yaml");
        Files.writeString(good, "services:\n  a:\n    image: 127.0.0.1:9/x/y:1\n");
        Run down = run("pin", good.toString());
        assertThat(down.code()).isEqualTo(3);
        assertThat(down.err()).startsWith("bulwark: " + good + ":3: ").hasLineCount(1);
        assertThat(Files.readString(good)).isEqualTo("services:\n  a:\n    image: 127.0.0.1:9/x/y:1\n");
    }
}
