package dev.bulwark.policy.check;

import dev.bulwark.policy.PolicyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyTestsTest {
    /** The shipped examples (examples/policy at the repository root) all pass. */
    @Test
    void theShippedExamplesPass() throws Exception {
        Path dir = Path.of("..", "examples", "policy");
        assertThat(dir).isDirectory();
        List<PolicyTests.CaseResult> results = PolicyTests.run(dir);
        assertThat(results).hasSizeGreaterThanOrEqualTo(25);
        assertThat(results).allSatisfy(r -> assertThat(r.passed()).as(r.file() + " " + r.name() + ": " + r.detail()).isTrue());
    }

    @Test
    void aWrongExpectationFailsWithWhatHappened(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("p.yaml"), """
                apiVersion: bulwark.dev/v1
                kind: Policy
                default: deny
                rules:
                  - {name: ping, match: {actions: [system.ping]}, effect: allow}
                  - {name: info, match: {actions: [system.info]}, effect: audit, message: looked}
                """);
        Files.writeString(tmp.resolve("p_test.yaml"), """
                apiVersion: bulwark.dev/v1
                kind: PolicyTest
                policy: p.yaml
                cases:
                  - name: ping
                    docker: {method: GET, uri: /_ping}
                    expect: allow
                    rule: ping
                  - name: wrong
                    docker: {method: GET, uri: /v1.41/version}
                    expect: allow
                  - name: wrong rule
                    docker: {method: GET, uri: /_ping}
                    expect: allow
                    rule: other
                  - name: warned
                    docker: {method: GET, uri: /info}
                    expect: deny
                    warnings: [info]
                  - name: garbage body
                    docker: {method: POST, uri: /containers/create, body: "{oops"}
                    expect: deny
                    rule: unparsable-request
                """);
        List<PolicyTests.CaseResult> r = PolicyTests.run(tmp.resolve("p_test.yaml"));
        assertThat(r).extracting(PolicyTests.CaseResult::passed).containsExactly(true, false, false, true, true);
        assertThat(r.get(1).detail()).isEqualTo("expected allow, got deny by default (denied: no rule allows system.version)");
        assertThat(r.get(1).file()).endsWith("p_test.yaml:9");
        assertThat(r.get(2).detail()).startsWith("expected rule other, got allow by ping");
        // a directory runs its test files and skips the policy
        assertThat(PolicyTests.run(tmp)).hasSize(5);
    }

    @Test
    void malformedTestFilesAreOneLineErrors(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("t.yaml");
        Files.writeString(f, "apiVersion: bulwark.dev/v1\nkind: PolicyTest\npolicy: baseline\ncases:\n  - name: x\n    expect: maybe\n    docker: {method: GET, uri: /}\n");
        assertThatThrownBy(() -> PolicyTests.run(f)).isInstanceOf(PolicyException.class)
                .extracting(e -> ((PolicyException) e).oneLine()).isEqualTo(f + ":5: case x: expect must be allow or deny");
        Files.writeString(f, "apiVersion: bulwark.dev/v1\nkind: PolicyTest\npolicy: baseline\ncases:\n  - name: x\n    expect: deny\n    dockr: {}\n");
        assertThatThrownBy(() -> PolicyTests.run(f)).extracting(e -> ((PolicyException) e).oneLine()).asString()
                .isEqualTo(f + ":7: case x: unknown key \"dockr\" (allowed: docker, expect, kubernetes, name, rule, warnings)");
        Files.writeString(f, "apiVersion: bulwark.dev/v1\nkind: PolicyTest\npolicy: missing.yaml\ncases: [{name: x, expect: deny, docker: {method: GET, uri: /}}]\n");
        assertThatThrownBy(() -> PolicyTests.run(f)).extracting(e -> ((PolicyException) e).oneLine()).asString().endsWith("missing.yaml: no such file");
        Files.writeString(f, "apiVersion: bulwark.dev/v1\nkind: PolicyTest\npolicy: baseline\nparams: {execUsers: 3}\ncases: [{name: x, expect: deny, docker: {method: GET, uri: /}}]\n");
        assertThatThrownBy(() -> PolicyTests.run(f)).extracting(e -> ((PolicyException) e).oneLine()).asString().contains("execUsers must be a list");
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertThatThrownBy(() -> PolicyTests.run(empty)).hasMessageContaining("no test files");
    }
}
