package dev.bulwark.policy.admission;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.model.BulwarkException;
import dev.bulwark.model.Decision;
import dev.bulwark.policy.PolicyEngine;
import dev.bulwark.policy.PolicyRequest;
import dev.bulwark.policy.authz.AuditEntry;
import dev.bulwark.policy.authz.AuditLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One AdmissionReview (admission.k8s.io/v1) in, one out: the envelope is checked and answered here, the object
 * judged by the {@link Reviewer}. What is not an AdmissionReview at all gets HTTP 400 (the API server then applies
 * the webhook's failurePolicy, Fail in our manifests: rejected); a review whose object cannot be judged, or whose
 * judging fails, is denied with the reason. DELETE carries nothing to check and is allowed (our manifests do not
 * send it); CONNECT (kubectl exec and attach) is judged like any other request.
 *
 * <p>Dry-run mode allows everything and turns each would-be denial into a warning the user sees ("kubectl apply"
 * prints warnings) and an audit line with decision "would-deny": the way to roll a policy out on a live cluster.
 */
final class AdmissionHandler {
    static final String API_VERSION = "admission.k8s.io/v1";
    private static final int MAX_WARNINGS = 20;
    private static final int MAX_WARNING_CHARS = 256;

    record Reply(int status, String contentType, byte[] body) {
    }

    private final ObjectMapper json;
    private final Supplier<PolicyEngine> engine;
    private final Reviewer reviewer;
    private final AuditLog audit;
    private final boolean dryRun;
    private final Consumer<String> problems;

    AdmissionHandler(Supplier<PolicyEngine> engine, Reviewer reviewer, AuditLog audit, boolean dryRun, Consumer<String> problems) {
        this.engine = engine;
        this.reviewer = reviewer;
        this.audit = audit == null ? AuditLog.none() : audit;
        this.dryRun = dryRun;
        this.problems = problems == null ? s -> { } : problems;
        this.json = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build()).build());
    }

    Reply validate(byte[] body, long startNanos) {
        Instant time = Instant.now();
        if (body.length == 0) return bad("empty body: expected an AdmissionReview");
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            return bad("the body is not JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) return bad("the body is not a JSON object");
        if (!API_VERSION.equals(root.path("apiVersion").asText(null))) {
            return bad("expected apiVersion " + API_VERSION + ", got " + clip(root.path("apiVersion").toString()));
        }
        if (!"AdmissionReview".equals(root.path("kind").asText(null))) {
            return bad("expected kind AdmissionReview, got " + clip(root.path("kind").toString()));
        }
        JsonNode req = root.get("request");
        if (req == null || !req.isObject()) return bad("the AdmissionReview has no request");
        JsonNode uidNode = req.get("uid");
        if (uidNode == null || !uidNode.isTextual() || uidNode.textValue().isEmpty()) return bad("the request has no uid");
        String uid = uidNode.textValue();

        String user = req.path("userInfo").path("username").asText("");
        String operation = req.path("operation").asText("");
        JsonNode kind = req.path("kind");
        String gvk = (kind.path("group").asText("").isEmpty() ? "" : kind.path("group").asText() + "/")
            + kind.path("version").asText("") + " " + kind.path("kind").asText("");
        String ns = req.path("namespace").asText("");
        String name = req.path("name").asText("");
        if (name.isEmpty()) name = req.path("object").path("metadata").path("name").asText("");
        if (name.isEmpty()) name = req.path("object").path("metadata").path("generateName").asText("") + "*";
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("kind", gvk.trim());
        object.put("namespace", ns);
        object.put("name", name);

        Decision d;
        if (operation.equals("DELETE")) {
            d = Decision.allow("not-applicable", "DELETE carries nothing to check");
        } else {
            try {
                d = reviewer.review(engine.get(), body);
                if (d == null) d = Decision.deny("internal-error", "the reviewer gave no decision");
            } catch (BulwarkException e) {
                d = Decision.deny("undecodable-request", "cannot review this object: " + e.oneLine());
            } catch (RuntimeException | StackOverflowError e) {
                d = Decision.deny("internal-error", "internal error while reviewing: " + e);
            }
        }
        String outcome = d.allowed() ? "allow" : dryRun ? "would-deny" : "deny";
        long micros = (System.nanoTime() - startNanos) / 1000;
        try {
            audit.record(new AuditEntry(time, PolicyRequest.KUBERNETES, user, "kubernetes." + operation.toLowerCase(java.util.Locale.ROOT),
                operation + " " + gvk.trim() + " " + (ns.isEmpty() ? "" : ns + "/") + name, object, d, outcome, micros));
        } catch (IOException | RuntimeException e) {
            String why = "cannot write the audit log: " + e.getMessage();
            problems.accept(why);
            if (d.allowed() && !dryRun) d = Decision.deny("audit-log-failed", why + " (an allow that cannot be recorded is denied)");
        }
        return answer(uid, d);
    }

    private Reply answer(String uid, Decision d) {
        ObjectNode out = json.createObjectNode();
        out.put("apiVersion", API_VERSION);
        out.put("kind", "AdmissionReview");
        ObjectNode resp = out.putObject("response");
        resp.put("uid", uid);
        List<String> warnings = new ArrayList<>(d.warnings());
        boolean allowed = d.allowed() || dryRun;
        resp.put("allowed", allowed);
        String message = (d.message().isEmpty() ? "denied by policy" : d.message()) + " (bulwark rule " + d.rule() + ")";
        if (!d.allowed() && dryRun) {
            warnings.add(0, "bulwark dry-run: would deny: " + message);
        } else if (!d.allowed()) {
            ObjectNode status = resp.putObject("status");
            status.put("code", 403);
            status.put("reason", "Forbidden");
            status.put("message", "bulwark: " + message);
        }
        if (!warnings.isEmpty()) {
            ArrayNode w = resp.putArray("warnings");
            for (String s : warnings) {
                if (w.size() == MAX_WARNINGS) break;
                w.add(s.length() <= MAX_WARNING_CHARS ? s : s.substring(0, MAX_WARNING_CHARS - 3) + "...");
            }
        }
        try {
            return new Reply(200, "application/json", json.writeValueAsBytes(out));
        } catch (IOException e) {
            return new Reply(500, "text/plain; charset=utf-8", "cannot write the response".getBytes(StandardCharsets.UTF_8));
        }
    }

    Reply bad(String message) {
        return new Reply(400, "text/plain; charset=utf-8", ("bulwark: " + message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return clip(nl < 0 ? s : s.substring(0, nl));
    }
}
