package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.bulwark.audit.file.FileAuditor;
import dev.bulwark.audit.file.FileKind;
import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.policy.Policies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook's manifests in deploy/admission: Bulwark's own Kubernetes audit passes them, and they say what the webhook needs. */
class AdmissionManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/admission"))) return p.resolve("deploy/admission");
        }
        throw new AssertionError("deploy/admission not found above " + Path.of("").toAbsolutePath());
    }

    static List<JsonNode> docs() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (YAMLParser p = new YAMLFactory().createParser(f.toFile())) {
                    YAML.readValues(p, JsonNode.class).forEachRemaining(n -> {
                        if (n != null && !n.isNull() && !n.isMissingNode()) out.add(n);
                    });
                }
            }
        }
        return out;
    }

    static JsonNode kind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst()
            .orElseThrow(() -> new AssertionError("no " + kind + " in deploy/admission"));
    }

    @Test
    void bulwarksKubernetesAuditFindsNothingWrong() throws Exception {
        List<AuditResult> results = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                AuditReport r = FileAuditor.audit(f, FileKind.KUBERNETES);
                results.addAll(r.results());
            }
        }
        assertThat(results).as("the Deployment is audited").isNotEmpty();
        assertThat(results).filteredOn(r -> r.status() != AuditStatus.PASS)
            .as("non-passing results").isEmpty();
    }

    @Test
    void theWebhookFailsClosedHasNoSideEffectsAndSpareItsOwnNamespace() throws Exception {
        JsonNode hook = kind(docs(), "ValidatingWebhookConfiguration").path("webhooks").get(0);
        assertThat(hook.path("failurePolicy").asText()).isEqualTo("Fail");
        assertThat(hook.path("sideEffects").asText()).isEqualTo("None");
        assertThat(hook.path("admissionReviewVersions").toString()).isEqualTo("[\"v1\"]");
        assertThat(hook.path("clientConfig").path("service").path("path").asText()).isEqualTo("/validate");
        JsonNode expr = hook.path("namespaceSelector").path("matchExpressions").get(0);
        assertThat(expr.path("operator").asText()).isEqualTo("NotIn");
        assertThat(expr.path("values").toString()).contains("bulwark-system");
        String resources = hook.path("rules").toString();
        for (String r : List.of("pods", "deployments", "statefulsets", "daemonsets", "replicasets", "jobs", "cronjobs", "replicationcontrollers")) {
            assertThat(resources).contains("\"" + r + "\"");
        }
    }

    @Test
    void theDeploymentIsHardenedAndServesWhatTheServiceAndProbesExpect() throws Exception {
        List<JsonNode> docs = docs();
        JsonNode pod = kind(docs, "Deployment").path("spec").path("template").path("spec");
        JsonNode c = pod.path("containers").get(0);
        JsonNode sc = c.path("securityContext");
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(sc.path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(sc.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(sc.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        assertThat(c.path("resources").path("limits").has("memory")).isTrue();
        assertThat(c.path("args").toString()).contains("\"admission\"", "\"serve\"", "--tls-cert=/tls/tls.crt", "--policy=/policy/policy.yaml");
        assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
        JsonNode svc = kind(docs, "Service").path("spec").path("ports").get(0);
        assertThat(svc.path("port").asInt()).isEqualTo(443);
        assertThat(c.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8443);
    }

    @Test
    void thePolicyInTheConfigMapLoads() throws Exception {
        String policy = kind(docs(), "ConfigMap").path("data").path("policy.yaml").asText();
        Path f = Files.writeString(tmp.resolve("policy.yaml"), policy);
        assertThat(Policies.load(f).ruleNames()).contains("no-privileged", "allowed-registries");
    }
}
