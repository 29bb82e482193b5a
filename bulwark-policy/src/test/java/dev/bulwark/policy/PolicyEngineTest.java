package dev.bulwark.policy;

import dev.bulwark.model.Decision;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyEngineTest {
    private static Policy policy(String rules) throws PolicyException {
        return Policies.parse("t.yaml", "apiVersion: bulwark.dev/v1\nkind: Policy\n" + rules);
    }

    private static PolicyRequest docker(String user, String action, Map<String, Object> object) {
        return new PolicyRequest(PolicyRequest.DOCKER, user, List.of(), action, object);
    }

    @Test
    void firstMatchWinsAndTheDecisionNamesTheRule() throws Exception {
        Policy p = policy("""
                default: deny
                rules:
                  - {name: allow-ping, match: {actions: [system.ping]}, effect: allow}
                  - {name: deny-priv, condition: privileged, effect: deny, message: "no privileged {{image}}"}
                  - {name: allow-create, match: {actions: ["container.*"]}, effect: allow}
                """);
        assertThat(p.decide(docker("", "system.ping", Map.of()))).isEqualTo(Decision.allow("allow-ping", ""));
        Decision d = p.decide(docker("", "container.create", Map.of("privileged", true, "image", "docker.io/library/alpine:3")));
        assertThat(d).isEqualTo(Decision.deny("deny-priv", "no privileged docker.io/library/alpine:3"));
        assertThat(p.decide(docker("", "container.create", Map.of("privileged", false))).rule()).isEqualTo("allow-create");
        Decision def = p.decide(docker("", "image.pull", Map.of()));
        assertThat(def.allowed()).isFalse();
        assertThat(def.rule()).isEqualTo("default");
        assertThat(def.message()).isEqualTo("denied: no rule allows image.pull");
    }

    @Test
    void auditRulesWarnAndNeverDecide() throws Exception {
        Policy p = policy("""
                default: {effect: allow, message: "ok"}
                rules:
                  - {name: no-limit, condition: memory == 0, effect: audit, message: "no memory limit on {{image}}"}
                  - {name: root, condition: runAsUser == "", effect: audit}
                """);
        Decision d = p.decide(docker("", "container.create", Map.of("image", "x")));
        assertThat(d.allowed()).isTrue();
        assertThat(d.rule()).isEqualTo("default");
        assertThat(d.message()).isEqualTo("ok");
        assertThat(d.warnings()).containsExactly("no-limit: no memory limit on x", "root: matched");
        assertThat(p.decide(docker("", "container.create", Map.of("memory", 5L, "runAsUser", "1000"))).warnings()).isEmpty();
    }

    @Test
    void auditRulesAfterTheDecidingRuleStillWarnAndABrokenOneOnlyWarns() throws Exception {
        Policy p = policy("""
                default: allow
                rules:
                  - {name: broken-audit, condition: 'body.Labels.team == "x"', effect: audit}
                  - {name: priv, condition: privileged, effect: deny}
                  - {name: late, condition: 'image == "x"', effect: audit, message: "late {{image}}"}
                  - {name: not-matching, match: {actions: [image.pull]}, effect: audit}
                """);
        Decision d = p.decide(docker("", "container.create", Map.of("privileged", true, "image", "x")));
        assertThat(d.allowed()).isFalse();
        assertThat(d.rule()).isEqualTo("priv");
        assertThat(d.warnings()).hasSize(2);
        assertThat(d.warnings().get(0)).startsWith("rule broken-audit: condition could not be evaluated");
        assertThat(d.warnings().get(1)).isEqualTo("late: late x");
    }

    @Test
    void matchesUsersGroupsAndSourcesByGlob() throws Exception {
        Policy p = policy("""
                groups:
                  "ci-*": [ci]
                  alice: [admins, ci]
                default: deny
                rules:
                  - {name: admins, match: {groups: [admins]}, effect: allow}
                  - {name: ci-pull, match: {groups: [ci], actions: [image.pull]}, effect: allow}
                  - {name: kube-ops, match: {sources: [kubernetes], users: ["system:serviceaccount:ops:*"]}, effect: allow}
                """);
        assertThat(p.groupsOf("alice")).containsExactly("admins", "ci");
        assertThat(p.groupsOf("ci-7")).containsExactly("ci");
        assertThat(p.decide(docker("alice", "container.create", Map.of())).rule()).isEqualTo("admins");
        assertThat(p.decide(docker("ci-7", "image.pull", Map.of())).rule()).isEqualTo("ci-pull");
        assertThat(p.decide(docker("ci-7", "container.create", Map.of())).allowed()).isFalse();
        assertThat(p.decide(docker("ci-7", "container.create", Map.of())).rule()).isEqualTo("default");
        PolicyRequest kube = new PolicyRequest(PolicyRequest.KUBERNETES, "system:serviceaccount:ops:deployer", List.of("system:serviceaccounts"),
                "container.create", Map.of());
        assertThat(p.decide(kube).rule()).isEqualTo("kube-ops");
        // kubernetes users bring their own groups; the docker mapping does not apply to them
        PolicyRequest kubeAlice = new PolicyRequest(PolicyRequest.KUBERNETES, "alice", List.of(), "container.create", Map.of());
        assertThat(p.decide(kubeAlice).allowed()).isFalse();
        PolicyRequest kubeAdmin = new PolicyRequest(PolicyRequest.KUBERNETES, "bob", List.of("admins"), "container.create", Map.of());
        assertThat(p.decide(kubeAdmin).rule()).isEqualTo("admins");
    }

    @Test
    void aConditionThatFailsAtRunTimeDeniesNamingItsRule() throws Exception {
        Policy p = policy("""
                default: allow
                rules:
                  - {name: needs-label, condition: 'body.Labels.team == "x"', effect: allow}
                """);
        Decision d = p.decide(docker("", "container.create", Map.of("body", Map.of())));
        assertThat(d.allowed()).isFalse();
        assertThat(d.rule()).isEqualTo("needs-label");
        assertThat(d.message()).startsWith("rule needs-label: condition could not be evaluated");
    }

    @Test
    void aValueOfTheWrongTypeFailsClosed() throws Exception {
        Policy p = policy("default: allow\nrules:\n  - {name: priv, condition: privileged, effect: deny}\n");
        Decision d = p.decide(docker("", "container.create", Map.of("privileged", "true")));
        assertThat(d.allowed()).isFalse();
        assertThat(d.rule()).isEqualTo("priv");
        // integers of other widths are widened, not refused
        Policy m = policy("default: allow\nrules:\n  - {name: big, condition: memory > 10, effect: deny}\n");
        assertThat(m.decide(docker("", "container.create", Map.of("memory", 11))).rule()).isEqualTo("big");
        assertThat(m.decide(null)).isEqualTo(Decision.deny("internal-error", "no request"));
    }

    @Test
    void helpersUnderAnyUnderAndGlob() throws Exception {
        Policy p = policy("""
                default: allow
                rules:
                  - {name: etc, condition: 'hostPaths.exists(h, under(h, "/etc"))', effect: deny}
                  - {name: many, condition: 'anyUnder(hostPaths, ["/boot", "/root"])', effect: deny}
                  - {name: reg, condition: 'glob(registry, "*.corp") && !glob(image, "*:?.?")', effect: deny}
                """);
        assertThat(p.decide(docker("", "container.create", Map.of("hostPaths", List.of("/etc/ssl")))).rule()).isEqualTo("etc");
        assertThat(p.decide(docker("", "container.create", Map.of("hostPaths", List.of("/etcetera")))).allowed()).isTrue();
        assertThat(p.decide(docker("", "container.create", Map.of("hostPaths", List.of("/srv", "/root/.ssh")))).rule()).isEqualTo("many");
        assertThat(p.decide(docker("", "container.create", Map.of("registry", "r.corp", "image", "r.corp/a:1.22"))).rule()).isEqualTo("reg");
        assertThat(p.decide(docker("", "container.create", Map.of("registry", "r.corp", "image", "r.corp/a:1.2"))).allowed()).isTrue();
    }

    @Test
    void globsAndUnder() {
        assertThat(Globs.match("container.*", "container.create")).isTrue();
        assertThat(Globs.match("swarm.*", "swarm.service.create")).isTrue();
        assertThat(Globs.match("container.?tart", "container.start")).isTrue();
        assertThat(Globs.match("container.*", "image.pull")).isFalse();
        assertThat(Globs.match("*a*a*a*a*a*a*b", "a".repeat(5000))).isFalse();
        assertThat(Globs.under("/etc", "/etc")).isTrue();
        assertThat(Globs.under("/etc/x", "/etc/")).isTrue();
        assertThat(Globs.under("/etcx", "/etc")).isFalse();
        assertThat(Globs.under("/anything", "/")).isTrue();
    }

    @Test
    void decidesConsistentlyOnManyThreads() throws Exception {
        Policy p = Policies.baseline();
        List<PolicyRequest> reqs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Map<String, Object> o = new HashMap<>();
            o.put("privileged", i % 2 == 0);
            o.put("registry", "docker.io");
            o.put("image", "docker.io/library/x:" + i);
            reqs.add(docker("", "container.create", o));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Boolean>>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) fs.add(pool.submit(() -> reqs.stream().map(r -> p.decide(r).allowed()).toList()));
            for (Future<List<Boolean>> f : fs) {
                List<Boolean> got = f.get();
                for (int i = 0; i < got.size(); i++) assertThat(got.get(i)).isEqualTo(i % 2 != 0);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyVariableHasATypeAndADefault() {
        for (String v : Fields.names()) {
            assertThat(Fields.typeName(v)).as(v).isNotBlank();
            assertThat(Fields.DEFAULTS).containsKey(v);
        }
        assertThat(Fields.typeName("hostPaths")).isEqualTo("list(string)");
        assertThat(Fields.typeName("mounts")).isEqualTo("list(map(string, dyn))");
        assertThat(Fields.typeName("nope")).isNull();
    }

    @Test
    void everyVariableCanBeUsedInAConditionAndInAMessage() throws Exception {
        StringBuilder rules = new StringBuilder("default: allow\nrules:\n");
        for (String v : Fields.names()) {
            rules.append("  - {name: r-").append(v).append(", condition: '").append(v).append(" != ").append(v)
                    .append("', effect: deny, message: '{{").append(v).append("}}'}\n");
        }
        Policy p = policy(rules.toString());
        assertThat(p.ruleNames()).hasSize(Fields.names().size());
        assertThat(p.decide(docker("", "container.create", Map.of())).rule()).isEqualTo("default");
    }
}
