package dev.bulwark.policy.authz;

import dev.bulwark.model.Decision;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One decision as the audit log keeps it. The object is a summary, not the whole request: the log must stay
 * readable and small at thousands of decisions a second, and must not copy secrets (environment variables) out of
 * request bodies.
 *
 * @param time          when the request arrived
 * @param source        "docker" or "kubernetes"
 * @param user          who asked (empty for an unauthenticated Docker socket user)
 * @param action        the action group the decoder gave, or "?" when the request never got that far
 * @param request       what was asked on the wire: "POST /v1.41/containers/create", "CREATE apps/v1 Deployment ns/name"
 * @param object        notable fields of the request (image, privileged, mounts...), JSON-like values
 * @param decision      the decision
 * @param outcome       "allow", "deny", or "would-deny" (admission dry-run)
 * @param latencyMicros from the request's arrival to the decision
 */
public record AuditEntry(Instant time, String source, String user, String action, String request,
                         Map<String, Object> object, Decision decision, String outcome, long latencyMicros) {
    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(decision, "decision");
        source = source == null ? "" : source;
        user = user == null ? "" : user;
        action = action == null ? "?" : action;
        request = request == null ? "" : request;
        object = object == null ? Map.of() : object;
        outcome = outcome == null ? (decision.allowed() ? "allow" : "deny") : outcome;
    }
}
