package dev.bulwark.policy.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.model.Decision;
import dev.bulwark.policy.PolicyEngine;
import dev.bulwark.policy.authz.AuditLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AdmissionReview envelope, decisions, warnings, dry-run and garbage, without TLS (AdmissionServerIT has TLS). */
class AdmissionHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PolicyEngine ANY = r -> Decision.allow("x", "");

    @TempDir
    Path dir;

    private static AdmissionHandler handler(boolean dryRun, AuditLog audit) {
        return new AdmissionHandler(() -> ANY, TestReviewer.REVIEWER, audit, dryRun, null);
    }

    private static JsonNode response(AdmissionHandler.Reply r) throws IOException {
        assertThat(r.status()).isEqualTo(200);
        JsonNode n = JSON.readTree(r.body());
        assertThat(n.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(n.get("kind").asText()).isEqualTo("AdmissionReview");
        return n.get("response");
    }

    @Test
    void aPrivilegedPodIsDeniedWithA403AndItsUidEchoed() throws IOException {
        JsonNode r = response(handler(false, null).validate(TestReviewer.payload("pod-privileged.json"), System.nanoTime()));
        assertThat(r.get("uid").asText()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertThat(r.get("status").get("code").asInt()).isEqualTo(403);
        assertThat(r.get("status").get("message").asText()).isEqualTo("bulwark: container shell is privileged (bulwark rule no-privileged)");
        assertThat(r.has("warnings")).isFalse();
    }

    @Test
    void aHardenedDeploymentUpdateIsAllowed() throws IOException {
        JsonNode r = response(handler(false, null).validate(TestReviewer.payload("deployment-ok.json"), System.nanoTime()));
        assertThat(r.get("uid").asText()).isEqualTo("b9a2f0c1-2f4e-4a57-9e6a-0d1c1f0b7a11");
        assertThat(r.get("allowed").asBoolean()).isTrue();
        assertThat(r.has("status")).isFalse();
    }

    @Test
    void auditRulesBecomeWarningsOnAnAllowedObject() throws IOException {
        JsonNode r = response(handler(false, null).validate(TestReviewer.payload("daemonset-audited.json"), System.nanoTime()));
        assertThat(r.get("allowed").asBoolean()).isTrue();
        assertThat(r.get("warnings")).hasSize(1);
        assertThat(r.get("warnings").get(0).asText()).isEqualTo("container agent: image is audited");
    }

    @Test
    void dryRunAllowsAndWarnsAndLogsWouldDeny() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        try (AuditLog audit = AuditLog.open(log, null, null)) {
            AdmissionHandler h = handler(true, audit);
            JsonNode cron = response(h.validate(TestReviewer.payload("cronjob-hostnetwork.json"), System.nanoTime()));
            assertThat(cron.get("allowed").asBoolean()).isTrue();
            assertThat(cron.has("status")).isFalse();
            assertThat(cron.get("warnings").get(0).asText()).isEqualTo("bulwark dry-run: would deny: hostNetwork is not allowed (bulwark rule no-host-network)");
            JsonNode ok = response(h.validate(TestReviewer.payload("deployment-ok.json"), System.nanoTime()));
            assertThat(ok.get("allowed").asBoolean()).isTrue();
            assertThat(ok.has("warnings")).isFalse();
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("decision").asText()).isEqualTo("would-deny");
        assertThat(first.get("source").asText()).isEqualTo("kubernetes");
        assertThat(first.get("user").asText()).isEqualTo("bob");
        assertThat(first.get("rule").asText()).isEqualTo("no-host-network");
        assertThat(first.get("request").asText()).isEqualTo("CREATE batch/v1 CronJob ops/net-probe-*");
        assertThat(JSON.readTree(lines.get(1)).get("decision").asText()).isEqualTo("allow");
    }

    @Test
    void garbageIsA400AndAReviewThatCannotBeJudgedIsDenied() throws IOException {
        AdmissionHandler h = handler(false, null);
        String[][] bad = {
            {"", "empty body"}, {"nope", "not JSON"}, {"[]", "not a JSON object"},
            {"{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\"}}", "expected apiVersion admission.k8s.io/v1"},
            {"{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Pod\"}", "expected kind AdmissionReview"},
            {"{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}", "no request"},
            {"{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":5}}", "no uid"},
        };
        for (String[] b : bad) {
            AdmissionHandler.Reply r = h.validate(b[0].getBytes(StandardCharsets.UTF_8), System.nanoTime());
            assertThat(r.status()).as(b[0]).isEqualTo(400);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).as(b[0]).startsWith("bulwark: ").contains(b[1]);
        }
        String unknownKind = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u1\",\"operation\":\"CREATE\","
            + "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"ConfigMap\"},\"object\":{\"kind\":\"ConfigMap\"}}}";
        JsonNode r = response(h.validate(unknownKind.getBytes(StandardCharsets.UTF_8), System.nanoTime()));
        assertThat(r.get("uid").asText()).isEqualTo("u1");
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertThat(r.get("status").get("message").asText()).contains("cannot review this object").contains("ConfigMap");
    }

    @Test
    void aFailingReviewerDeniesAndDeleteIsNotReviewed() throws IOException {
        Reviewer broken = (e, b) -> {
            throw new IllegalStateException("kaputt");
        };
        AdmissionHandler h = new AdmissionHandler(() -> ANY, broken, null, false, null);
        JsonNode r = response(h.validate(TestReviewer.payload("deployment-ok.json"), System.nanoTime()));
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertThat(r.get("status").get("message").asText()).contains("kaputt").contains("internal-error");
        String delete = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"d\",\"operation\":\"DELETE\"}}";
        assertThat(response(h.validate(delete.getBytes(StandardCharsets.UTF_8), System.nanoTime())).get("allowed").asBoolean()).isTrue();
    }

    @Test
    void anAllowThatCannotBeAuditedIsDenied() throws IOException {
        try (AuditLog full = AuditLog.open(Path.of("/dev/full"), null, null)) {
            JsonNode r = response(handler(false, full).validate(TestReviewer.payload("deployment-ok.json"), System.nanoTime()));
            assertThat(r.get("allowed").asBoolean()).isFalse();
            assertThat(r.get("status").get("message").asText()).contains("audit-log-failed");
        }
    }
}
