package dev.bulwark.model;

import java.util.List;
import java.util.Objects;

/**
 * The verdict of one audit check on one subject (the host, the daemon, a container, an image, a file).
 *
 * @param checkId    the check's id: the CIS Docker Benchmark number when it has one ("5.4", "2.2"), else Bulwark's
 *                   own ("DF-ADD-URL", "K8S-HOSTPATH")
 * @param title      what the check wants, one line ("Ensure that privileged containers are not used")
 * @param severity   how much a failure matters
 * @param level      the CIS profile level of the check: 1 (essential, little impact) or 2 (defence in depth, may
 *                   cost function or performance); 0 for checks outside the benchmark
 * @param status     the verdict
 * @param subject    what was checked: "daemon", "host", a container name, an image, a file path
 * @param location   where exactly: "Dockerfile:12", "compose.yaml:7:5", "/etc/docker/daemon.json", or empty
 * @param evidence   what was seen that decided it ("Privileged=true", "USER not set"), or empty
 * @param fix        the exact change that fixes it (a flag, a daemon.json key, a YAML snippet), or empty when it passed
 * @param references benchmark sections and URLs
 */
public record AuditResult(String checkId, String title, Severity severity, int level, AuditStatus status, String subject,
                          String location, String evidence, String fix, List<String> references) {
    public AuditResult {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(status, "status");
        if (level < 0 || level > 2) throw new IllegalArgumentException("CIS level " + level + " (want 0, 1 or 2)");
        title = title == null ? "" : title;
        severity = severity == null ? Severity.UNKNOWN : severity;
        subject = subject == null ? "" : subject;
        location = location == null ? "" : location;
        evidence = evidence == null ? "" : evidence;
        fix = fix == null ? "" : fix;
        references = references == null ? List.of() : List.copyOf(references);
    }
}
