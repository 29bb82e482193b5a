package dev.bulwark.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** `bulwark policy ...` in process, as a user runs it. */
class PolicyCliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static final Path EXAMPLES = Path.of("..", "examples", "policy");

    @Test
    void checkAcceptsTheExamplePolicy() {
        Run r = run("policy", "check", EXAMPLES.resolve("team-policy.yaml").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("team-policy.yaml: ok: 17 rules, default allow");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void checkReportsEveryBadFileInOneLineAndExitsThree() throws Exception {
        Path typo = tmp.resolve("typo.yaml");
        Files.writeString(typo, """
                apiVersion: bulwark.dev/v1
                kind: Policy
                default: deny
                rules:
                  - name: no-root
                    condition: runAsUsr == "0"
                    effect: deny
                """);
        Path noDefault = tmp.resolve("nodefault.yaml");
        Files.writeString(noDefault, "apiVersion: bulwark.dev/v1\nkind: Policy\nrules: []\n");
        Path good = tmp.resolve("good.yaml");
        Files.writeString(good, "apiVersion: bulwark.dev/v1\nkind: Policy\ndefault: allow\n");
        Run r = run("policy", "check", typo.toString(), noDefault.toString(), good.toString(), tmp.resolve("missing.yaml").toString());
        assertThat(r.code()).isEqualTo(3);
        String[] lines = r.err().strip().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("bulwark: " + typo + ":6: rule no-root: condition ").contains("runAsUsr");
        assertThat(lines[1]).isEqualTo("bulwark: " + noDefault + ":1: default is required: say \"default: allow\" or \"default: deny\"");
        assertThat(lines[2]).isEqualTo("bulwark: " + tmp.resolve("missing.yaml") + ": no such file");
        assertThat(r.out()).contains("good.yaml: ok: 0 rules, default allow");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void testRunsTheShippedExamples() {
        Run r = run("policy", "test", EXAMPLES.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("PASS: ").doesNotContain("FAIL").containsPattern("PASS: (\\d+)/\\1");
    }

    @Test
    void aFailingCaseExitsOneAndSaysWhy() throws Exception {
        Path t = tmp.resolve("t.yaml");
        Files.writeString(t, """
                apiVersion: bulwark.dev/v1
                kind: PolicyTest
                policy: baseline
                cases:
                  - name: privileged should pass (wrong on purpose)
                    docker:
                      method: POST
                      uri: /v1.41/containers/create
                      body: {Image: alpine, HostConfig: {Privileged: true}}
                    expect: allow
                  - name: ping
                    docker: {method: GET, uri: /_ping}
                    expect: allow
                """);
        Run r = run("policy", "test", t.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL: " + t + ":5: privileged should pass (wrong on purpose): expected allow, got deny by no-privileged")
                .contains("PASS: " + t + ":11: ping").contains("PASS: 1/2").contains("FAIL: 1/2");
    }

    @Test
    void aBrokenTestFileIsExitThree() throws Exception {
        Path t = tmp.resolve("t.yaml");
        Files.writeString(t, "apiVersion: bulwark.dev/v1\nkind: PolicyTest\npolicy: baseline\ncases: [{name: x, expect: allow}]\n");
        Run r = run("policy", "test", t.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err().strip()).isEqualTo("bulwark: " + t + ":4: case x: give exactly one of docker or kubernetes");
    }

    @Test
    void showBaselineAndExplain() throws Exception {
        Run b = run("policy", "show-baseline");
        assertThat(b.code()).isZero();
        assertThat(b.out()).contains("kind: Policy").contains("no-privileged");
        Path req = tmp.resolve("req.json");
        String body = "{\"Image\":\"alpine\",\"HostConfig\":{\"Binds\":[\"/etc:/host\"]}}";
        Files.writeString(req, "{\"RequestMethod\":\"POST\",\"RequestUri\":\"/v1.41/containers/create\",\"RequestBody\":\""
                + Base64.getEncoder().encodeToString(body.getBytes()) + "\",\"RequestHeaders\":{\"Content-Type\":\"application/json\"}}");
        Run e = run("policy", "explain", req.toString());
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).contains("action: container.create").contains("hostPaths = [/etc]")
                .contains("decision: deny by no-sensitive-mounts");
        Files.writeString(req, "{\"RequestMethod\":\"POST\",\"RequestUri\":\"/v1.41/containers/create\"}");
        Run missing = run("policy", "explain", req.toString());
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err().strip()).startsWith("bulwark: POST /v1.41/containers/create: no request body");
        Files.writeString(req, "garbage");
        assertThat(run("policy", "explain", req.toString()).err().strip()).isEqualTo("bulwark: " + req + ": not JSON");
    }

    @Test
    void noSubcommandIsUsage() {
        assertThat(run("policy").code()).isEqualTo(2);
        assertThat(run("policy", "check").code()).isEqualTo(2);
    }
}
