package dev.bulwark.policy.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.model.Decision;
import dev.bulwark.policy.Policies;
import dev.bulwark.policy.Policy;
import dev.bulwark.policy.PolicyRequest;
import dev.bulwark.policy.RequestException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubeAdmissionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String POD_SPEC = """
            {"securityContext": {"runAsUser": 1000, "seccompProfile": {"type": "RuntimeDefault"}},
             "hostNetwork": %s, "hostPID": false,
             "volumes": [{"name": "sock", "hostPath": {"path": "/var/run"}}, {"name": "data", "emptyDir": {}}],
             "initContainers": [{"name": "init", "image": "busybox:1.36"}],
             "containers": [
               {"name": "app", "image": "registry.local:5000/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "securityContext": {"privileged": %s, "capabilities": {"add": ["NET_ADMIN"], "drop": ["ALL"]},
                                    "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true},
                "resources": {"limits": {"memory": "512Mi", "cpu": "250m"}},
                "volumeMounts": [{"name": "sock", "mountPath": "/s", "subPath": "docker.sock"}, {"name": "data", "mountPath": "/d"}]}
             ]}""";

    static String review(String kind, String object, String op) {
        return """
                {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                 "request": {"uid": "u-1", "kind": {"group": "", "version": "v1", "kind": "%s"}, "operation": "%s",
                   "namespace": "team", "name": "w", "dryRun": true,
                   "userInfo": {"username": "alice", "groups": ["devs", "system:authenticated"]},
                   "object": %s}}""".formatted(kind, op, object);
    }

    static String wrap(String kind, String podSpec) {
        String template = "{\"metadata\": {\"annotations\": {\"container.apparmor.security.beta.kubernetes.io/app\": \"unconfined\"}}, \"spec\": " + podSpec + "}";
        return switch (kind) {
            case "Pod" -> "{\"metadata\": {\"name\": \"w\", \"annotations\": {\"container.apparmor.security.beta.kubernetes.io/app\": \"unconfined\"}}, \"spec\": " + podSpec + "}";
            case "CronJob" -> "{\"spec\": {\"schedule\": \"* * * * *\", \"jobTemplate\": {\"spec\": {\"template\": " + template + "}}}}";
            default -> "{\"spec\": {\"template\": " + template + "}}";
        };
    }

    @ParameterizedTest
    @CsvSource({"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "ReplicationController"})
    void everyWorkloadKindGivesOneRequestPerContainerWithDockerNames(String kind) throws Exception {
        String json = review(kind, wrap(kind, POD_SPEC.formatted("true", "false")), "CREATE");
        KubeAdmission.Decoded d = KubeAdmission.decode(json.getBytes(StandardCharsets.UTF_8));
        assertThat(d.uid()).isEqualTo("u-1");
        assertThat(d.dryRun()).isTrue();
        assertThat(d.requests()).hasSize(2);
        PolicyRequest init = d.requests().get(0);
        PolicyRequest app = d.requests().get(1);
        assertThat(init.object()).containsEntry("containerName", "init").containsEntry("image", "docker.io/library/busybox:1.36");
        assertThat(app.source()).isEqualTo("kubernetes");
        assertThat(app.user()).isEqualTo("alice");
        assertThat(app.groups()).containsExactly("devs", "system:authenticated");
        assertThat(app.action()).isEqualTo("container.create");
        assertThat(app.object()).containsEntry("kind", kind).containsEntry("kubeNamespace", "team").containsEntry("operation", "CREATE")
                .containsEntry("privileged", false).containsEntry("networkMode", "host").containsEntry("pidMode", "")
                .containsEntry("capAdd", List.of("CAP_NET_ADMIN")).containsEntry("capDrop", List.of("ALL"))
                .containsEntry("hostPaths", List.of("/var/run/docker.sock")).containsEntry("registry", "registry.local:5000")
                .containsEntry("digest", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
                .containsEntry("runAsUser", "1000").containsEntry("seccompProfile", "default").containsEntry("apparmorProfile", "unconfined")
                .containsEntry("noNewPrivileges", true).containsEntry("readonlyRootfs", true)
                .containsEntry("memory", 536870912L).containsEntry("nanoCpus", 250000000L);
        Decision decision = KubeAdmission.review(Policies.baseline(), json.getBytes(StandardCharsets.UTF_8)).decision();
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.rule()).isEqualTo("no-host-network");
        assertThat(decision.message()).startsWith("container init: ");
    }

    @Test
    void theSameRuleDeniesAPrivilegedPodAndAllowsAPlainOne() throws Exception {
        Policy p = Policies.parse("p.yaml", """
                apiVersion: bulwark.dev/v1
                kind: Policy
                default: allow
                rules:
                  - {name: priv, condition: privileged, effect: deny, message: "no privileged {{containerName}}"}
                  - {name: caps, condition: '"CAP_NET_ADMIN" in capAdd', effect: audit, message: "NET_ADMIN in {{kubeNamespace}}"}
                """);
        String plain = "{\"containers\": [{\"name\": \"a\", \"image\": \"nginx\", \"securityContext\": {\"capabilities\": {\"add\": [\"NET_ADMIN\"]}}}]}";
        KubeAdmission.Review ok = KubeAdmission.review(p, review("Pod", wrap("Pod", plain), "CREATE").getBytes());
        assertThat(ok.uid()).isEqualTo("u-1");
        assertThat(ok.decision().allowed()).isTrue();
        assertThat(ok.decision().warnings()).containsExactly("caps: NET_ADMIN in team");
        KubeAdmission.Review no = KubeAdmission.review(p, review("Deployment", wrap("Deployment", POD_SPEC.formatted("false", "true")), "UPDATE").getBytes());
        // audit rules report wherever they stand, also after the deciding rule
        assertThat(no.decision()).isEqualTo(new Decision(false, "priv", "container app: no privileged app", List.of("caps: NET_ADMIN in team")));
    }

    @Test
    void execAttachEphemeralAndOtherKinds() throws Exception {
        String exec = """
                {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                 "request": {"uid": "e", "kind": {"group": "", "version": "v1", "kind": "PodExecOptions"}, "operation": "CONNECT",
                   "subResource": "exec", "namespace": "n", "name": "web-1", "userInfo": {"username": "mallory"},
                   "object": {"kind": "PodExecOptions", "container": "web", "command": ["sh"]}}}""";
        KubeAdmission.Decoded d = KubeAdmission.decode(exec.getBytes());
        assertThat(d.requests()).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo("container.exec");
            assertThat(r.object()).containsEntry("containerName", "web").containsEntry("container", "web-1").containsEntry("cmd", List.of("sh"));
        });
        assertThat(KubeAdmission.review(Policies.baseline(), exec.getBytes()).decision().rule()).isEqualTo("exec-named-users");

        ObjectNode eph = (ObjectNode) JSON.readTree(review("Pod", wrap("Pod", """
                {"containers": [{"name": "a", "image": "nginx"}],
                 "ephemeralContainers": [{"name": "dbg", "image": "busybox", "securityContext": {"privileged": true}}]}"""), "UPDATE"));
        ((ObjectNode) eph.get("request")).put("subResource", "ephemeralcontainers");
        KubeAdmission.Decoded e = KubeAdmission.decode(JSON.writeValueAsBytes(eph));
        assertThat(e.requests()).extracting(r -> r.object().get("containerName")).containsExactly("dbg");
        assertThat(KubeAdmission.review(Policies.baseline(), JSON.writeValueAsBytes(eph)).decision().rule()).isEqualTo("no-privileged");

        KubeAdmission.Decoded svc = KubeAdmission.decode(review("Service", "{\"spec\": {\"type\": \"NodePort\"}}", "CREATE").getBytes());
        assertThat(svc.requests()).singleElement().satisfies(r -> assertThat(r.action()).isEqualTo("kubernetes.service.create"));
        KubeAdmission.Decoded del = KubeAdmission.decode(review("Pod", "null", "DELETE").getBytes());
        assertThat(del.requests()).singleElement().satisfies(r -> assertThat(r.action()).isEqualTo("kubernetes.pod.delete"));
    }

    @Test
    void seccompAndAppArmorFromFieldsAndAnnotations() throws Exception {
        String spec = """
                {"securityContext": {"seccompProfile": {"type": "Unconfined"}},
                 "containers": [{"name": "a", "image": "nginx", "securityContext": {"appArmorProfile": {"type": "Localhost", "localhostProfile": "p1"}}},
                                {"name": "b", "image": "nginx", "securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "x.json"}}}]}""";
        List<PolicyRequest> rs = KubeAdmission.decode(review("Pod", "{\"spec\": " + spec + "}", "CREATE").getBytes()).requests();
        assertThat(rs.get(0).object()).containsEntry("seccompProfile", "unconfined").containsEntry("apparmorProfile", "localhost/p1");
        assertThat(rs.get(1).object()).containsEntry("seccompProfile", "localhost/x.json").containsEntry("apparmorProfile", "");
        assertThat(KubeAdmission.review(Policies.baseline(), review("Pod", "{\"spec\": " + spec + "}", "CREATE").getBytes()).decision().rule())
                .isEqualTo("no-seccomp-unconfined");
    }

    @Test
    void malformedReviewsAreDeniedWithTheUidWhenKnown() {
        assertThatThrownBy(() -> KubeAdmission.decode(new byte[0])).isInstanceOf(RequestException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> KubeAdmission.decode("{".getBytes())).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> KubeAdmission.decode("{\"kind\":\"AdmissionReview\"}".getBytes())).hasMessageContaining("no request");
        assertThatThrownBy(() -> KubeAdmission.decode(review("Pod", "{\"spec\": {\"containers\": []}}", "CREATE").getBytes()))
                .hasMessageContaining("has no containers");
        assertThatThrownBy(() -> KubeAdmission.decode(review("Pod", "{\"spec\": {\"containers\": [{\"name\": \"a\"}]}}", "CREATE").getBytes()))
                .hasMessageContaining("container a has no image");
        assertThatThrownBy(() -> KubeAdmission.decode(review("Pod", "{\"spec\": {\"containers\": {}}}", "CREATE").getBytes()))
                .hasMessageContaining("is not a list");
        assertThatThrownBy(() -> KubeAdmission.decode(review("Pod", "{}", "PATCH").getBytes())).hasMessageContaining("unknown operation");
        KubeAdmission.Review r = KubeAdmission.review(Policies.baseline(), review("Pod", "{\"spec\": {}}", "CREATE").getBytes());
        assertThat(r.uid()).isEqualTo("u-1");
        assertThat(r.decision().allowed()).isFalse();
        assertThat(r.decision().rule()).isEqualTo("unparsable-request");
    }

    @Test
    void quantities() {
        assertThat(Quantities.bytes("1Gi")).isEqualTo(1L << 30);
        assertThat(Quantities.bytes("1.5G")).isEqualTo(1_500_000_000L);
        assertThat(Quantities.bytes("129e6")).isEqualTo(129_000_000L);
        assertThat(Quantities.bytes("100m")).isEqualTo(1L);
        assertThat(Quantities.nanoCpus("2")).isEqualTo(2_000_000_000L);
        assertThat(Quantities.nanoCpus("0.5")).isEqualTo(500_000_000L);
        assertThat(Quantities.bytes("9Ei")).isEqualTo(Long.MAX_VALUE);
        assertThat(Quantities.bytes("lots")).isZero();
        assertThat(Quantities.bytes("")).isZero();
    }

    @Property(tries = 300)
    void arbitraryBytesAreDeniedNeverThrown(@ForAll @Size(max = 2000) byte[] junk) {
        KubeAdmission.Review r = KubeAdmission.review(Policies.baseline(), junk);
        assertThat(r.decision().allowed()).isFalse();
    }

    @Property(tries = 300)
    void aMutatedPrivilegedReviewIsNeverAllowedWhilePrivileged(@ForAll @IntRange(min = 0, max = 100_000) int pos, @ForAll byte value) {
        byte[] b = review("Pod", wrap("Pod", POD_SPEC.formatted("false", "true")), "CREATE").getBytes(StandardCharsets.UTF_8);
        b[pos % b.length] = value;
        KubeAdmission.Review r = KubeAdmission.review(Policies.baseline(), b);
        if (!r.decision().allowed()) return;
        try {
            for (PolicyRequest q : KubeAdmission.decode(b).requests()) {
                // a mutated kind ("Pxd") is no workload: kubernetes.pxd.create, which the baseline's default allows
                if (!q.action().startsWith("container.")) continue;
                assertThat(q.object().get("privileged")).isEqualTo(false);
                assertThat(q.object().get("networkMode")).isEqualTo("");
            }
        } catch (RequestException e) {
            throw new AssertionError("allowed a review that does not decode", e);
        }
    }

    @Test
    void warningsAreCollectedOnceAcrossContainers() throws Exception {
        Policy p = Policies.parse("p.yaml", "apiVersion: bulwark.dev/v1\nkind: Policy\ndefault: allow\nrules:\n"
                + "  - {name: lim, condition: memory == 0, effect: audit, message: no limits}\n");
        String spec = "{\"containers\": [{\"name\": \"a\", \"image\": \"nginx\"}, {\"name\": \"b\", \"image\": \"nginx\"}]}";
        Decision d = KubeAdmission.review(p, review("Pod", "{\"spec\": " + spec + "}", "CREATE").getBytes()).decision();
        assertThat(d.warnings()).containsExactly("lim: no limits");
        assertThat(KubeAdmission.decide(p, List.of()).allowed()).isFalse();
    }
}
