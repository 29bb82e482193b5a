package dev.bulwark.audit.host;

import dev.bulwark.model.Severity;

import java.util.Objects;

/**
 * One entry of the host audit's catalogue ({@link HostAuditor#catalogue()}).
 *
 * @param id        the CIS Docker Benchmark v1.6.0 number ("5.5"), or Bulwark's own id for checks outside it
 *                  ("DOCKER-DEVICEMAPPER")
 * @param title     the recommendation, one line
 * @param section   the benchmark section: 1 host, 2 daemon, 3 daemon files, 4 images, 5 container runtime,
 *                  6 operations, 7 swarm
 * @param level     the CIS profile level (1 or 2)
 * @param automated true when Bulwark decides PASS or FAIL by itself; false when the check (CIS "Manual") only gathers
 *                  evidence for a human (its results are MANUAL, or INFO where it does not apply)
 * @param severity  how much a FAIL of this check matters
 * @param subjects  what one result is about: "host", "daemon", "file", "container", "image"
 */
public record CheckInfo(String id, String title, int section, int level, boolean automated, Severity severity,
                        String subjects) {
    public CheckInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        severity = severity == null ? Severity.UNKNOWN : severity;
        subjects = subjects == null ? "" : subjects;
    }

    /** "CIS Docker Benchmark v1.6.0 5.5", or the benchmark the Bulwark check comes from. */
    public String reference() {
        if (id.equals(Catalogue.DEVICEMAPPER)) {
            return "CIS Docker Benchmark v1.8.0 2.7";
        }
        return "CIS Docker Benchmark v1.6.0 " + id;
    }
}
