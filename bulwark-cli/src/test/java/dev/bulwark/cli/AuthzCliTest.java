package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bulwark authz serve` and `bulwark admission serve` refusing to start: one line, the right exit code, nothing left behind. */
class AuthzCliTest {
    @TempDir
    Path tmp;

    record Run(int code, String err) {
    }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        return new Run(code, err.toString());
    }

    private static void oneLine(Run r) {
        assertThat(r.err().strip().lines().count()).as(r.err()).isLessThanOrEqualTo(2);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void anInvalidPolicyIsAnInputErrorWithFileAndLineAndNoSocketIsLeft() throws Exception {
        Path policy = Files.writeString(tmp.resolve("p.yaml"), "apiVersion: bulwark.dev/v1\nkind: Policy\ndefault: maybe\n");
        Path sock = tmp.resolve("a.sock");
        Run r = run("authz", "serve", "--policy", policy.toString(), "--socket", sock.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).startsWith("bulwark: " + policy);
        oneLine(r);
        assertThat(sock).doesNotExist();
    }

    @Test
    void aMissingPolicyFileIsAnInputError() {
        Run r = run("authz", "serve", "--policy", tmp.resolve("none.yaml").toString(), "--socket", tmp.resolve("b.sock").toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("none.yaml").contains("no such file");
        oneLine(r);
    }

    @Test
    void aSocketPathThatIsARegularFileIsRefusedAndKept() throws Exception {
        Path file = Files.writeString(tmp.resolve("c.sock"), "data");
        Run r = run("authz", "serve", "--socket", file.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("is not a socket");
        oneLine(r);
        assertThat(Files.readString(file)).isEqualTo("data");
    }

    @Test
    void usageErrorsExitTwo() {
        Run badName = run("authz", "serve", "--name", "../x", "--socket", tmp.resolve("d.sock").toString());
        assertThat(badName.code()).isEqualTo(2);
        assertThat(badName.err()).contains("--name");
        Run smallBody = run("authz", "serve", "--max-body", "10", "--socket", tmp.resolve("d.sock").toString());
        assertThat(smallBody.code()).isEqualTo(2);
        assertThat(smallBody.err()).contains("body limit");
        Run warm = run("authz", "serve", "--warm-up", "-1", "--socket", tmp.resolve("d.sock").toString());
        assertThat(warm.code()).isEqualTo(2);
        assertThat(warm.err()).contains("--warm-up");
        Run notNumber = run("authz", "serve", "--max-body", "lots");
        assertThat(notNumber.code()).isEqualTo(2);
        assertThat(tmp.resolve("d.sock")).doesNotExist();
    }

    @Test
    void anUnreachableSyslogIsAnInputError() {
        Run r = run("authz", "serve", "--syslog", tmp.resolve("nolog.sock").toString(), "--socket", tmp.resolve("e.sock").toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("syslog").contains("cannot connect");
        assertThat(tmp.resolve("e.sock")).doesNotExist();
    }

    @Test
    void admissionNeedsItsTlsFilesAndSaysWhichIsWrong() throws Exception {
        Run missing = run("admission", "serve");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("--tls-cert").contains("--tls-key");
        Path cert = Files.writeString(tmp.resolve("tls.crt"), "not a certificate");
        Path key = Files.writeString(tmp.resolve("tls.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Run bad = run("admission", "serve", "--tls-cert", cert.toString(), "--tls-key", key.toString(), "--port", "0", "--address", "127.0.0.1");
        assertThat(bad.code()).isEqualTo(3);
        assertThat(bad.err()).startsWith("bulwark: " + cert);
        oneLine(bad);
        Run port = run("admission", "serve", "--tls-cert", cert.toString(), "--tls-key", key.toString(), "--port", "70000");
        assertThat(port.code()).isEqualTo(2);
        assertThat(port.err()).contains("out of range");
    }
}
