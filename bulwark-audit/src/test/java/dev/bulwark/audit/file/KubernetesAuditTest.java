package dev.bulwark.audit.file;

import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bulwark.audit.file.Fixtures.at;
import static dev.bulwark.audit.file.Fixtures.of;
import static dev.bulwark.audit.file.Fixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubernetesAuditTest {

    private static AuditReport k8s(String yaml) throws AuditException {
        return FileAuditor.audit("pod.yaml", yaml);
    }

    private static List<AuditResult> forContainer(AuditReport r, String id, String container) {
        return of(r, id).stream().filter(x -> x.evidence().contains("container \"" + container + "\"")).toList();
    }

    @Test
    void deploymentAndCronJobInOneMultiDocumentFile() throws Exception {
        AuditReport r = Fixtures.audit("workloads.yaml");
        assertThat(r.warnings()).isEmpty();

        // pod-level runAsUser: 0 is inherited by all three containers of the Deployment
        List<AuditResult> root = of(r, "4.1", AuditStatus.FAIL);
        assertThat(root).hasSize(3).allSatisfy(x -> {
            assertThat(x.location()).isEqualTo("workloads.yaml:26:9");
            assertThat(x.evidence()).contains("runAsUser: 0 (pod securityContext)");
            assertThat(x.fix()).isEqualTo("Replace line 26 with:\nrunAsUser: 10001\nrunAsNonRoot: true");
        });
        assertThat(root).extracting(AuditResult::evidence).anySatisfy(e -> assertThat(e).contains("init container \"migrate\""));

        AuditResult net = at(r, "5.9", 24);
        assertThat(net.evidence()).startsWith("Deployment shop/web: hostNetwork: true");
        assertThat(net.fix()).isEqualTo("Replace line 24 with:\nhostNetwork: false");
        assertThat(at(r, "5.4", 43).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(at(r, "5.3", 45).evidence()).contains("SYS_ADMIN").doesNotContain("NET_BIND_SERVICE");
        assertThat(at(r, "5.3", 44).fix()).isEqualTo("Add under capabilities (line 44):\ndrop: [\"ALL\"]");
        assertThat(at(r, "K8S-PROCMOUNT", 46).fix()).isEqualTo("Replace line 46 with:\nprocMount: Default");
        assertThat(at(r, "5.7", 36).evidence()).contains("hostPort 80");
        AuditResult secret = at(r, "K8S-ENV-SECRET", 39);
        assertThat(secret.evidence()).contains("DB_PASSWORD").doesNotContain("hunter2");
        assertThat(secret.fix()).contains("secretKeyRef:\n      name: web-secrets\n      key: db-password");

        AuditResult sock = at(r, "K8S-HOSTPATH", 57);
        assertThat(sock.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(sock.fix()).contains("emptyDir: {}");
        assertThat(at(r, "K8S-HOSTPATH", 60).severity()).isEqualTo(Severity.MEDIUM);

        assertThat(at(r, "5.1", 22).evidence()).contains("container \"debug\"").contains("unconfined (annotation)");
        assertThat(at(r, "5.21", 55).severity()).isEqualTo(Severity.HIGH);
        assertThat(at(r, "5.25", 53).fix()).isEqualTo("Replace line 53 with:\nallowPrivilegeEscalation: false");
        assertThat(forContainer(r, "5.25", "web")).singleElement().satisfies(x ->
                assertThat(x.fix()).isEqualTo("Add under securityContext (line 42):\nallowPrivilegeEscalation: false"));
        assertThat(forContainer(r, "5.12", "migrate")).singleElement().satisfies(x ->
                assertThat(x.fix()).startsWith("Add to container \"migrate\" (line 28):\nsecurityContext:\n  readOnlyRootFilesystem: true"));
        assertThat(forContainer(r, "5.10", "migrate")).singleElement().satisfies(x -> {
            assertThat(x.location()).isEqualTo("workloads.yaml:28:11");
            assertThat(x.fix()).contains("resources:\n  requests:\n    memory: 512Mi\n  limits:\n    memory: 512Mi");
        });
        assertThat(at(r, "K8S-IMAGE-DIGEST", 33).evidence()).contains("nginx has no tag");
        assertThat(at(r, "K8S-SA-TOKEN", 24).status()).isEqualTo(AuditStatus.WARN);

        // the CronJob is hardened: everything about it passes, and its service account opts out of the token
        List<AuditResult> cron = r.results().stream().filter(x -> x.evidence().startsWith("CronJob shop/nightly-report")).toList();
        assertThat(cron).hasSizeGreaterThan(15).allSatisfy(x -> assertThat(x.status()).as(x.toString()).isEqualTo(AuditStatus.PASS));
        assertThat(cron).extracting(AuditResult::checkId).contains("4.1", "5.3", "5.10", "5.11", "5.12", "5.21", "5.25",
                "K8S-IMAGE-DIGEST", "K8S-SA-TOKEN", "K8S-HOSTPATH");

        for (AuditResult x : problems(r)) {
            assertThat(x.fix()).as("fix of %s", x).isNotBlank();
            assertThat(x.location()).matches("workloads\\.yaml:\\d+:\\d+");
        }
    }

    @Test
    void aHardenedPodPasses() throws Exception {
        AuditReport r = k8s("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  automountServiceAccountToken: false
                  securityContext:
                    runAsNonRoot: true
                    seccompProfile: {type: RuntimeDefault}
                  containers:
                    - name: app
                      image: ghcr.io/x/app:1@sha256:1111111111111111111111111111111111111111111111111111111111111111
                      securityContext:
                        allowPrivilegeEscalation: false
                        readOnlyRootFilesystem: true
                        capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
                      resources:
                        limits: {memory: 128Mi, cpu: 100m}
                      env:
                        - name: DB_PASSWORD
                          valueFrom: {secretKeyRef: {name: s, key: k}}
                """);
        assertThat(problems(r)).isEmpty();
        assertThat(of(r, "5.21")).singleElement().satisfies(x -> assertThat(x.evidence()).contains("RuntimeDefault (pod)"));
    }

    @Test
    void containerSettingsOverrideThePodsAndAnnotationsCount() throws Exception {
        AuditReport r = k8s("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  template:
                    metadata:
                      annotations:
                        seccomp.security.alpha.kubernetes.io/pod: runtime/default
                    spec:
                      securityContext: {runAsNonRoot: true}
                      containers:
                        - name: a
                          image: postgres:16
                          securityContext: {runAsUser: 0}
                        - name: b
                          image: postgres:16
                      ephemeralContainers:
                        - name: dbg
                          image: busybox
                """);
        assertThat(forContainer(r, "4.1", "a")).singleElement().extracting(AuditResult::status).isEqualTo(AuditStatus.FAIL);
        assertThat(forContainer(r, "4.1", "b")).singleElement().extracting(AuditResult::status).isEqualTo(AuditStatus.PASS);
        assertThat(of(r, "5.21", AuditStatus.PASS)).hasSize(3);
        assertThat(forContainer(r, "5.10", "dbg")).isEmpty();
        assertThat(forContainer(r, "5.12", "dbg")).hasSize(1);
    }

    @Test
    void listsDaemonSetsJobsAndNonWorkloads() throws Exception {
        AuditReport r = k8s("""
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: apps/v1
                    kind: DaemonSet
                    metadata: {name: agent, namespace: kube-system}
                    spec:
                      template:
                        spec:
                          hostPID: true
                          hostIPC: true
                          volumes:
                            - name: root
                              hostPath: {path: /}
                          containers:
                            - name: agent
                              image: agent:1
                              volumeMounts: [{name: root, mountPath: /host, readOnly: true}]
                  - apiVersion: batch/v1
                    kind: Job
                    metadata: {name: once}
                    spec:
                      template:
                        spec:
                          containers: [{name: j, image: "alpine:3.20"}]
                """);
        assertThat(at(r, "5.15", 10).evidence()).startsWith("DaemonSet kube-system/agent: hostPID: true");
        assertThat(at(r, "5.16", 11).status()).isEqualTo(AuditStatus.FAIL);
        assertThat(at(r, "K8S-HOSTPATH", 13).evidence()).contains("hostPath / (mounted read-only)");
        assertThat(of(r, "K8S-IMAGE-DIGEST", AuditStatus.FAIL)).hasSize(2);

        AuditReport none = k8s("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n");
        assertThat(none.results()).isEmpty();
        assertThat(none.warnings()).singleElement().asString().contains("no workloads");
    }

    @Test
    void notKubernetes() {
        assertThatThrownBy(() -> FileAuditor.audit("x.yaml", "a: 1\n", FileKind.KUBERNETES))
                .hasMessageContaining("has no Kubernetes objects");
    }
}
