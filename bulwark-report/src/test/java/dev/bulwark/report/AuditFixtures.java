package dev.bulwark.report;

import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Severity;

import java.time.Instant;
import java.util.List;

import static dev.bulwark.model.AuditStatus.ERROR;
import static dev.bulwark.model.AuditStatus.WARN;
import static dev.bulwark.model.AuditStatus.INFO;
import static dev.bulwark.model.AuditStatus.MANUAL;
import static dev.bulwark.model.AuditStatus.PASS;
import static dev.bulwark.model.AuditStatus.FAIL;

/**
 * Audit reports shaped like what bulwark-audit produces: a host audit (HostAuditor: daemon, host files, two
 * containers, an image, swarm inactive, one check that could not run) and a file audit of a Dockerfile and a Compose
 * file (FileAuditor's results for its insecure fixtures, lines and columns included).
 */
final class AuditFixtures {
    static final Instant AUDITED = Instant.parse("2024-05-02T09:15:30.123456789Z");
    static final String HOST_TARGET = "docker:unix:///var/run/docker.sock";
    static final String CONTAINER_ID = "3f4e8a1c2b7d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081";

    private AuditFixtures() {
    }

    /** A CIS reference; "Level N" is taken out again by {@link #r} as the result's level. */
    private static List<String> cis(String id, int level) {
        return List.of("CIS Docker Benchmark v1.6.0 " + id, "Level " + level);
    }

    static AuditResult r(String id, String title, Severity sev, AuditStatus status, String subject, String location,
                         String evidence, String fix, List<String> refs) {
        int level = refs.stream().filter(x -> x.matches("Level [12]")).map(x -> Integer.parseInt(x.substring(6)))
                .findFirst().orElse(0);
        List<String> rest = refs.stream().filter(x -> !x.matches("Level [12]")).toList();
        return new AuditResult(id, title, sev, level, status, subject, location, evidence, status == PASS ? "" : fix, rest);
    }

    /** {@code bulwark audit docker} against a daemon with one insecure container ("web") and one hardened ("db"). */
    static AuditReport host() {
        return new AuditReport(HOST_TARGET, List.of(
                r("1.1.1", "Ensure a separate partition for containers has been created", Severity.LOW, FAIL, "host", "",
                        "/var/lib/docker is on the root filesystem (/dev/sda1 mounted on /)",
                        "Move /var/lib/docker to a partition of its own (LVM: lvcreate, mkfs, mount it at /var/lib/docker "
                                + "with an /etc/fstab entry) and restart dockerd", cis("1.1.1", 1)),
                r("1.1.2", "Ensure only trusted users are allowed to control Docker daemon", Severity.HIGH, WARN, "host", "",
                        "docker group members: alice, ci-runner", "gpasswd -d <user> docker for anyone who must not be root",
                        cis("1.1.2", 1)),
                r("1.1.3", "Ensure auditing is configured for the Docker daemon", Severity.LOW, FAIL, "/usr/bin/dockerd",
                        "/usr/bin/dockerd", "no audit rule watches /usr/bin/dockerd",
                        "echo '-w /usr/bin/dockerd -k docker' >> /etc/audit/rules.d/docker.rules\naugenrules --load",
                        cis("1.1.3", 1)),
                r("2.2", "Ensure network traffic is restricted between containers on the default bridge", Severity.MEDIUM,
                        FAIL, "daemon", "/etc/docker/daemon.json", "daemon.json has no \"icc\" (default true)",
                        "Set in /etc/docker/daemon.json:\n  \"icc\": false\nthen restart dockerd", cis("2.2", 1)),
                r("2.3", "Ensure the logging level is set to 'info'", Severity.LOW, PASS, "daemon", "/etc/docker/daemon.json",
                        "daemon.json has no \"log-level\": default info", "", cis("2.3", 1)),
                r("2.4", "Ensure Docker is allowed to make changes to iptables", Severity.MEDIUM, PASS, "daemon",
                        "/etc/docker/daemon.json", "daemon.json has no \"iptables\": default true", "", cis("2.4", 1)),
                r("DOCKER-DEVICEMAPPER", "Ensure devicemapper storage driver is not used", Severity.LOW, PASS, "daemon",
                        "/etc/docker/daemon.json", "/info Driver=overlay2", "",
                        List.of("CIS Docker Benchmark v1.8.0 2.7", "Level 1")),
                r("3.17", "Ensure that the daemon.json file ownership is set to root:root", Severity.MEDIUM, PASS,
                        "/etc/docker/daemon.json", "/etc/docker/daemon.json",
                        "/etc/docker/daemon.json mode 0644 owner root:root (uid 0, gid 0)", "", cis("3.17", 2)),
                r("3.18", "Ensure that daemon.json file permissions are set to 644 or more restrictive", Severity.MEDIUM,
                        ERROR, "/etc/docker/daemon.json", "/etc/docker/daemon.json",
                        "cannot stat /etc/docker/daemon.json: permission denied", "", cis("3.18", 2)),
                r("4.1", "Ensure that a user for the container has been created", Severity.HIGH, FAIL, "web", CONTAINER_ID,
                        "Config.User is empty: the container runs as root",
                        "docker run --user 10001:10001 ... (or USER in the image's Dockerfile)", cis("4.1", 1)),
                r("4.1", "Ensure that a user for the container has been created", Severity.HIGH, PASS, "db",
                        "9a8b7c6d5e4f", "Config.User=postgres", "", cis("4.1", 1)),
                r("5.5", "Ensure that privileged containers are not used", Severity.CRITICAL, FAIL, "web", CONTAINER_ID,
                        "HostConfig.Privileged=true: all capabilities, all devices, no seccomp, no AppArmor",
                        "Recreate without --privileged; add only the capabilities (--cap-add) and devices (--device) it needs",
                        cis("5.5", 1)),
                r("5.5", "Ensure that privileged containers are not used", Severity.CRITICAL, PASS, "db", "9a8b7c6d5e4f",
                        "HostConfig.Privileged=false", "", cis("5.5", 1)),
                r("5.11", "Ensure that the memory usage for containers is limited", Severity.MEDIUM, FAIL, "web",
                        CONTAINER_ID, "HostConfig.Memory=0: no memory limit",
                        "docker run --memory 256m ... (docker update --memory 256m --memory-swap 256m web for a running container)",
                        cis("5.11", 1)),
                r("5.2", "Ensure that, if applicable, an AppArmor profile is enabled", Severity.HIGH, INFO, "containers", "",
                        "AppArmor is not enabled on this host (/info SecurityOptions has no name=apparmor)", "",
                        cis("5.2", 1)),
                r("6.1", "Ensure that image sprawl is avoided", Severity.LOW, MANUAL, "host", "",
                        "14 images, 3 of them used by containers", "docker image prune -a (removes every unused image)",
                        cis("6.1", 1)),
                r("7.1", "Ensure that the minimum number of manager nodes have been created in a swarm", Severity.MEDIUM,
                        INFO, "host", "", "swarm mode is not active", "", cis("7.1", 1))),
                List.of("auditctl not found: audit rules read from /etc/audit/rules.d only"), AUDITED,
                "bulwark audit docker (CIS Docker Benchmark v1.6.0)");
    }

    /** {@code bulwark audit dockerfile Dockerfile compose.yaml}: both files in one report. */
    static AuditReport files() {
        List<String> cis41 = List.of("CIS Docker Benchmark v1.6.0 4.1", "https://github.com/hadolint/hadolint/wiki/DL3002");
        List<String> cis42 = List.of("CIS Docker Benchmark v1.6.0 4.2", "https://github.com/hadolint/hadolint/wiki/DL3006",
                "https://github.com/hadolint/hadolint/wiki/DL3007");
        List<String> pin = List.of("https://github.com/hadolint/hadolint/wiki/DL3008",
                "https://github.com/hadolint/hadolint/wiki/DL3018", "https://github.com/hadolint/hadolint/wiki/DL3013");
        List<String> cis54 = List.of("CIS Docker Benchmark v1.6.0 5.4",
                "https://kubernetes.io/docs/concepts/security/pod-security-standards/ (privileged)");
        return new AuditReport("Dockerfile, compose.yaml", List.of(
                r("4.1", "Ensure that a user for the container has been created (the final stage runs as non-root)",
                        Severity.HIGH, FAIL, "Dockerfile", "Dockerfile:27", "USER root makes the final stage run as root",
                        "Replace line 27 with:\nUSER 10001:10001", cis41),
                r("4.2", "Ensure that containers use only trusted base images (base images pinned by digest)",
                        Severity.MEDIUM, FAIL, "Dockerfile", "Dockerfile:11",
                        "ubuntu:latest uses the tag latest, which changes whenever a new image is pushed",
                        "Replace line 11 with:\nFROM ubuntu:latest@sha256:<digest>\n(the digest: docker buildx imagetools inspect "
                                + "--format '{{json .Manifest.Digest}}' ubuntu:latest)", cis42),
                r("4.7", "Ensure update instructions are not used alone in the Dockerfile", Severity.MEDIUM, FAIL,
                        "Dockerfile", "Dockerfile:16",
                        "apt-get update without an install in the same RUN: the cached index layer goes stale and later "
                                + "installs get old packages",
                        "Replace lines 16-18 (this RUN and the RUN at line 17) with one RUN:\nRUN apt-get update \\\n"
                                + " && apt-get install -y curl ca-certificates \\\n    openssh-server python3-pip",
                        List.of("CIS Docker Benchmark v1.6.0 4.7")),
                r("DF-CURL-PIPE-SH", "Ensure downloaded scripts are not piped into a shell", Severity.HIGH, FAIL, "Dockerfile",
                        "Dockerfile:19", "curl output piped into bash: whatever the server sends runs in the build, unverified",
                        "Download, verify, then run:\nRUN curl -fsSL -o /tmp/install.sh https://deb.nodesource.com/setup_20.x \\\n"
                                + " && echo \"<sha256 of the script>  /tmp/install.sh\" | sha256sum -c - \\\n"
                                + " && bash /tmp/install.sh \\\n && rm /tmp/install.sh",
                        List.of("CIS Docker Benchmark v1.6.0 4.11")),
                r("DF-SUDO", "Ensure sudo is not used in RUN instructions", Severity.MEDIUM, FAIL, "Dockerfile", "Dockerfile:20",
                        "sudo chmod: sudo in an image means a setuid binary and a sudoers policy an attacker can use; RUN "
                                + "already runs as the Dockerfile's current USER",
                        "Replace line 20 with:\nRUN chmod 777 /opt\n(if this RUN needs root after a USER instruction, put USER "
                                + "root before it and switch back after it)",
                        List.of("https://github.com/hadolint/hadolint/wiki/DL3004")),
                r("DF-APK-NO-CACHE", "Ensure apk add does not leave its package cache in the image", Severity.LOW, PASS,
                        "Dockerfile", "Dockerfile", "every apk add in the final image's stages uses --no-cache", "",
                        List.of("https://github.com/hadolint/hadolint/wiki/DL3019")),
                r("DF-PKG-PIN", "Ensure installed packages are pinned to versions", Severity.LOW, WARN, "Dockerfile",
                        "Dockerfile:25", "pip3 installs requests without a version: rebuilds may install different versions",
                        "Replace line 25 with:\nRUN pip3 install requests==<version> flask==3.0.0\n(versions: pip index versions <package>)",
                        pin),
                r("5.4", "Ensure that privileged containers are not used", Severity.CRITICAL, FAIL, "compose.yaml",
                        "compose.yaml:11:5",
                        "service \"web\": privileged: true gives the service every capability and all host devices, and turns "
                                + "off AppArmor, seccomp and the read-only /sys",
                        "Replace line 11 with:\nprivileged: false\n(add only the capabilities the service needs under cap_add, "
                                + "and the devices under devices)", cis54),
                r("5.4", "Ensure that privileged containers are not used", Severity.CRITICAL, PASS, "compose.yaml",
                        "compose.yaml:26:3", "service \"monitor\": not privileged", "", cis54),
                r("5.10", "Ensure that the memory usage for containers is limited", Severity.MEDIUM, FAIL, "compose.yaml",
                        "compose.yaml:8:3", "service \"web\": no memory limit: one service can take all of the host's memory",
                        "Add to service \"web\":\ndeploy:\n  resources:\n    limits:\n      memory: 512M   # what the service "
                                + "needs\n(or mem_limit: 512m)", List.of("CIS Docker Benchmark v1.6.0 5.10")),
                r("COMPOSE-IMAGE-DIGEST", "Ensure service images are pinned by digest", Severity.MEDIUM, INFO, "compose.yaml",
                        "compose.yaml:46:3", "service \"db\" is built (build:), not pulled", "",
                        List.of("CIS Docker Benchmark v1.6.0 4.2"))),
                List.of("compose.yaml: service \"worker\" extends \"web\": not audited"), AUDITED, "bulwark");
    }
}
