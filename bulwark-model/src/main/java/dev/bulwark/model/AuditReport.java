package dev.bulwark.model;

import java.time.Instant;
import java.util.List;

/**
 * The result of {@code bulwark audit}: every check's verdict on every subject.
 *
 * @param target    what was audited ("docker:unix:///var/run/docker.sock", "Dockerfile", "k8s/deploy.yaml")
 * @param results   verdicts, in check order, then subject
 * @param warnings  problems that kept checks from running
 * @param auditedAt when the audit ran
 * @param tool      name and version of the auditor
 */
public record AuditReport(String target, List<AuditResult> results, List<String> warnings, Instant auditedAt, String tool) {
    public AuditReport {
        results = results == null ? List.of() : List.copyOf(results);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
