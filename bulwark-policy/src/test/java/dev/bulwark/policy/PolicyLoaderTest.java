package dev.bulwark.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyLoaderTest {
    private static final String HEAD = "apiVersion: bulwark.dev/v1\nkind: Policy\n";

    private static String error(String yaml) {
        try {
            Policies.parse("p.yaml", yaml);
        } catch (PolicyException e) {
            return e.oneLine();
        }
        throw new AssertionError("loaded: " + yaml);
    }

    @Test
    void aGoodPolicyLoadsWithItsRulesInOrder() throws Exception {
        Policy p = Policies.parse("p.yaml", HEAD + """
                default: deny
                rules:
                  - name: a
                    match: {actions: ["image.*"]}
                    effect: allow
                  - name: b
                    condition: privileged
                    effect: deny
                """);
        assertThat(p.ruleNames()).containsExactly("a", "b");
        assertThat(p.ruleOrigins()).containsExactly("p.yaml:5", "p.yaml:8");
        assertThat(p.defaultAllows()).isFalse();
    }

    @Test
    void defaultIsRequired() {
        assertThat(error(HEAD + "rules: []\n")).isEqualTo("p.yaml:1: default is required: say \"default: allow\" or \"default: deny\"");
    }

    @Test
    void headerIsChecked() {
        assertThat(error("apiVersion: v2\nkind: Policy\ndefault: allow\n")).startsWith("p.yaml:1: apiVersion must be bulwark.dev/v1");
        assertThat(error("apiVersion: bulwark.dev/v1\nkind: Rules\ndefault: allow\n")).startsWith("p.yaml:2: kind must be Policy");
    }

    @Test
    void unknownKeyInARuleNamesTheRuleAndLine() {
        String e = error(HEAD + """
                default: allow
                rules:
                  - name: no-root
                    efect: deny
                """);
        assertThat(e).isEqualTo("p.yaml:6: rule no-root: unknown key \"efect\" (allowed: condition, description, effect, match, message, name)");
    }

    @Test
    void typoInAConditionIsALoadErrorAtItsLine() {
        String e = error(HEAD + """
                default: allow
                rules:
                  - name: priv
                    condition: privilegd
                    effect: deny
                """);
        assertThat(e).startsWith("p.yaml:6: rule priv: condition ").contains("privilegd");
    }

    @Test
    void errorOnTheThirdLineOfABlockConditionPointsThere() {
        String e = error(HEAD + """
                default: allow
                rules:
                  - name: multi
                    condition: |
                      privileged ||
                      networkMode == "host" ||
                      pidMod == "host"
                    effect: deny
                """);
        assertThat(e).startsWith("p.yaml:9: rule multi: condition at 3:").contains("pidMod");
    }

    @Test
    void aConditionThatIsNotBoolIsRefused() {
        assertThat(error(HEAD + "default: allow\nrules:\n  - name: s\n    condition: image\n    effect: deny\n"))
                .startsWith("p.yaml:6: rule s: condition").contains("bool");
        assertThat(error(HEAD + "default: allow\nrules:\n  - name: s\n    condition: memory > \"x\"\n    effect: deny\n"))
                .startsWith("p.yaml:6: rule s: condition");
    }

    @Test
    void effectMustBeKnown() {
        assertThat(error(HEAD + "default: allow\nrules:\n  - name: s\n    effect: block\n"))
                .isEqualTo("p.yaml:6: rule s: effect must be allow, deny or audit, not \"block\"");
        assertThat(error(HEAD + "default: audit\n")).isEqualTo("p.yaml:3: default must be allow or deny, not audit");
        assertThat(error(HEAD + "default: allow\nrules:\n  - name: s\n    condition: privileged\n"))
                .isEqualTo("p.yaml:5: rule s: effect is required (allow, deny or audit)");
    }

    @Test
    void ruleNamesAreUniqueAndWellFormed() {
        assertThat(error(HEAD + "default: allow\nrules:\n  - {name: a, effect: deny}\n  - {name: a, effect: allow}\n"))
                .isEqualTo("p.yaml:6: rule a: a rule of that name comes earlier (names must be unique)");
        assertThat(error(HEAD + "default: allow\nrules:\n  - {name: 'a b', effect: deny}\n")).startsWith("p.yaml:5: rule name \"a b\"");
        assertThat(error(HEAD + "default: allow\nrules:\n  - {effect: deny}\n")).isEqualTo("p.yaml:5: a rule needs a name");
    }

    @Test
    void actionsAndSourcesAreChecked() {
        assertThat(error(HEAD + "default: allow\nrules:\n  - name: a\n    match: {actions: [contianer.create]}\n    effect: deny\n"))
                .isEqualTo("p.yaml:6: rule a: match.actions: \"contianer.create\" matches no action (see docs/policy.md)");
        assertThat(error(HEAD + "default: allow\nrules:\n  - name: a\n    match: {sources: [podman]}\n    effect: deny\n"))
                .startsWith("p.yaml:6: rule a: match.sources: \"podman\" is neither docker nor kubernetes");
        assertThat(error(HEAD + "default: allow\nrules:\n  - name: a\n    match: {who: [x]}\n    effect: deny\n"))
                .startsWith("p.yaml:6: rule a: unknown key \"who\"");
    }

    @Test
    void messagePlaceholdersMustBeVariables() {
        assertThat(error(HEAD + "default: allow\nrules:\n  - name: a\n    effect: deny\n    message: 'no {{imag}}'\n"))
                .isEqualTo("p.yaml:7: rule a: message names {{imag}}, which is not a variable (see docs/policy.md)");
    }

    @Test
    void malformedAndHostileYamlIsOneLine() {
        assertThat(error(HEAD + "default: [allow\n")).startsWith("p.yaml:").contains("not valid YAML");
        assertThat(error(HEAD + "default: allow\ndefault: deny\n")).isEqualTo("p.yaml:4: duplicate key \"default\"");
        assertThat(error("")).isEqualTo("p.yaml: empty file");
        assertThat(error(HEAD + "default: allow\n---\n" + HEAD + "default: deny\n")).contains("more than one YAML document");
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 0; i < 30; i++) {
            bomb.append("b").append(i).append(": &b").append(i).append(" [*").append(i == 0 ? "a" : "b" + (i - 1))
                    .append(", *").append(i == 0 ? "a" : "b" + (i - 1)).append("]\n");
        }
        assertThat(error(bomb.toString())).contains("refused").contains("aliases");
        assertThat(error("x:\n" + "  - ".repeat(1) + "[".repeat(200) + "]".repeat(200) + "\n")).contains("refused");
    }

    @Test
    void extendingTheBaselinePutsOwnRulesFirstAndMergesParams() throws Exception {
        Policy p = Policies.parse("team.yaml", HEAD + """
                extends: baseline
                params: {allowedRegistries: [registry.local], requireDigest: true, mine: 3}
                exclude: [no-host-ipc]
                default: deny
                rules:
                  - {name: mine, effect: allow, match: {actions: [system.ping]}}
                """);
        assertThat(p.ruleNames().get(0)).isEqualTo("mine");
        assertThat(p.ruleNames()).contains("no-privileged").doesNotContain("no-host-ipc");
        assertThat(p.params()).containsEntry("allowedRegistries", List.of("registry.local")).containsEntry("requireDigest", true)
                .containsEntry("mine", 3L).containsKey("protectedPaths");
    }

    @Test
    void baselineParamsAreTypeChecked() {
        assertThat(error(HEAD + "extends: baseline\nparams: {requireDigest: [x]}\ndefault: allow\n"))
                .isEqualTo("p.yaml:4: params.requireDigest must be true or false (as in the baseline), not a list");
        assertThat(error(HEAD + "extends: baseline\nexclude: [no-such-rule]\ndefault: allow\n")).startsWith("p.yaml:4: exclude: the baseline has no rule \"no-such-rule\"");
        assertThat(error(HEAD + "extends: other\ndefault: allow\n")).startsWith("p.yaml:3: extends: only \"baseline\"");
        assertThat(error(HEAD + "exclude: [no-privileged]\ndefault: allow\n")).startsWith("p.yaml:3: exclude applies only with extends: baseline");
        assertThat(error(HEAD + "extends: baseline\ndefault: allow\nrules:\n  - {name: no-privileged, effect: allow}\n"))
                .contains("rule no-privileged: the baseline has a rule of that name");
        assertThatThrownBy(() -> Policies.baseline(Map.of("nope", true))).isInstanceOf(PolicyException.class).hasMessageContaining("unknown parameter \"nope\"");
        assertThatThrownBy(() -> Policies.baseline(Map.of("execUsers", "alice"))).isInstanceOf(PolicyException.class).hasMessageContaining("must be a list");
    }

    @Test
    void filesThatAreNotPoliciesAreOneLine(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> Policies.load(tmp.resolve("missing.yaml"))).isInstanceOf(PolicyException.class)
                .extracting(e -> ((PolicyException) e).oneLine()).isEqualTo(tmp.resolve("missing.yaml") + ": no such file");
        Path bin = tmp.resolve("bin.yaml");
        Files.write(bin, new byte[]{(byte) 0xff, (byte) 0xfe, 0x00, 0x41});
        assertThatThrownBy(() -> Policies.load(bin)).extracting(e -> ((PolicyException) e).oneLine()).isEqualTo(bin + ": not UTF-8 text");
        assertThatThrownBy(() -> Policies.load(tmp)).extracting(e -> ((PolicyException) e).oneLine()).asString().endsWith("is a directory, not a policy file");
    }

    @Test
    void theShippedBaselineLoads() {
        Policy b = Policies.baseline();
        assertThat(b.ruleNames()).containsExactly("unknown-endpoint", "no-privileged", "no-host-network", "no-host-pid",
                "no-host-ipc", "no-host-userns", "no-sensitive-mounts", "no-dangerous-capabilities", "no-seccomp-unconfined",
                "no-apparmor-unconfined", "allowed-registries", "require-digest", "require-signed", "exec-named-users");
        assertThat(b.defaultAllows()).isTrue();
        assertThat(Policies.baselineYaml()).contains("kind: Policy");
    }
}
