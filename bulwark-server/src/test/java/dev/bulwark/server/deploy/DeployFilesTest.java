package dev.bulwark.server.deploy;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Bulwark's own deployment (deploy/kubernetes, deploy/Dockerfile) under Bulwark's own file audits: every check
 * passes. And the files hold what the issue asks: API and worker Deployments, a Service, NetworkPolicies, the host
 * audit DaemonSet, with the admission webhook configuration beside them in deploy/admission.
 */
class DeployFilesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Path deploy() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/kubernetes"))) return p.resolve("deploy");
        }
        throw new AssertionError("deploy/kubernetes not found above " + Path.of("").toAbsolutePath());
    }

    private static List<Path> manifests() throws Exception {
        try (Stream<Path> s = Files.list(deploy().resolve("kubernetes"))) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static List<JsonNode> docs(Path dir) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (YAMLParser p = new YAMLFactory().createParser(f.toFile())) {
                    YAML.readValues(p, JsonNode.class).forEachRemaining(n -> {
                        if (n != null && !n.isNull() && !n.isMissingNode()) out.add(n);
                    });
                }
            }
        }
        return out;
    }

    @Test
    void bulwarksOwnAuditsPassTheDockerfileAndTheManifests() throws Exception {
        AuditReport df = FileAuditor.audit(deploy().resolve("Dockerfile"), FileKind.DOCKERFILE);
        assertThat(df.results()).as("the Dockerfile is audited").hasSizeGreaterThan(5);
        List<AuditResult> all = new ArrayList<>(df.results());
        int workloads = 0;
        for (Path f : manifests()) {
            AuditReport r = FileAuditor.audit(f, FileKind.KUBERNETES);
            if (!r.results().isEmpty()) workloads++;
            all.addAll(r.results());
        }
        assertThat(workloads).as("workload files audited").isEqualTo(4);
        assertThat(all).filteredOn(r -> r.status() != AuditStatus.PASS).as("results other than PASS").isEmpty();
    }

    @Test
    void theDeploymentHasEveryPartAndNoHostAccess() throws Exception {
        List<JsonNode> docs = docs(deploy().resolve("kubernetes"));
        List<String> kinds = docs.stream().map(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText()).toList();
        assertThat(kinds).contains("Deployment/bulwark-api", "Deployment/bulwark-worker", "Service/bulwark-api",
                "NetworkPolicy/bulwark-default-deny", "DaemonSet/bulwark-host-audit", "CronJob/bulwark-db-update");
        for (JsonNode d : docs) {
            String text = d.toString();
            assertThat(text).as(d.path("metadata").path("name").asText()).doesNotContain("hostPath").doesNotContain("docker.sock");
        }
        JsonNode worker = docs.stream().filter(d -> d.path("metadata").path("name").asText().equals("bulwark-worker")).findFirst().orElseThrow();
        assertThat(worker.at("/spec/template/spec/containers/0/args").toString()).contains("--worker-only");
        List<String> admission = docs(deploy().resolve("admission")).stream().map(d -> d.path("kind").asText()).toList();
        assertThat(admission).contains("ValidatingWebhookConfiguration");
    }
}
