package dev.bulwark.audit.file;

import dev.bulwark.model.Severity;

import java.util.List;

/**
 * The file-audit checks: id (the CIS Docker Benchmark v1.6.0 number where one exists, else Bulwark's own stable
 * id), title, default severity and references. Declaration order is report order. docs/audit-files.md documents
 * each one.
 */
enum Check {
    // Dockerfile: CIS section 4, then Bulwark's own
    DF_USER("4.1", "Ensure that a user for the container has been created (the final stage runs as non-root)",
            Severity.HIGH, cis("4.1"), hadolint("DL3002")),
    DF_BASE_DIGEST("4.2", "Ensure that containers use only trusted base images (base images pinned by digest)",
            Severity.MEDIUM, cis("4.2"), hadolint("DL3006"), hadolint("DL3007")),
    DF_HEALTHCHECK("4.6", "Ensure that HEALTHCHECK instructions have been added to container images",
            Severity.LOW, cis("4.6")),
    DF_UPDATE_ALONE("4.7", "Ensure update instructions are not used alone in the Dockerfile",
            Severity.MEDIUM, cis("4.7")),
    DF_COPY_NOT_ADD("4.9", "Ensure that COPY is used instead of ADD in Dockerfiles",
            Severity.LOW, cis("4.9"), hadolint("DL3020")),
    DF_SECRETS("4.10", "Ensure secrets are not stored in Dockerfiles",
            Severity.HIGH, cis("4.10"), "https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/",
            "https://docs.docker.com/build/building/secrets/"),
    DF_ADD_URL("DF-ADD-URL", "Ensure remote files are not added with ADD without a checksum",
            Severity.MEDIUM, cis("4.9"), hadolint("DL3020"), "https://docs.docker.com/reference/dockerfile/#add---checksum"),
    DF_CURL_PIPE_SH("DF-CURL-PIPE-SH", "Ensure downloaded scripts are not piped into a shell",
            Severity.HIGH, cis("4.11")),
    DF_SUDO("DF-SUDO", "Ensure sudo is not used in RUN instructions", Severity.MEDIUM, hadolint("DL3004")),
    DF_APT_RECOMMENDS("DF-APT-NO-RECOMMENDS", "Ensure apt-get install avoids recommended packages",
            Severity.LOW, cis("4.3"), hadolint("DL3015")),
    DF_APT_LISTS("DF-APT-LISTS", "Ensure apt package lists are removed in the layer that installs packages",
            Severity.LOW, hadolint("DL3009")),
    DF_APK_NO_CACHE("DF-APK-NO-CACHE", "Ensure apk add does not leave its package cache in the image",
            Severity.LOW, hadolint("DL3019")),
    DF_PKG_PIN("DF-PKG-PIN", "Ensure installed packages are pinned to versions",
            Severity.LOW, hadolint("DL3008"), hadolint("DL3018"), hadolint("DL3013")),
    DF_CHMOD("DF-CHMOD-777", "Ensure files and directories are not made world-writable",
            Severity.MEDIUM, "https://cwe.mitre.org/data/definitions/732.html"),
    DF_SSH("DF-SSH", "Ensure the image neither exposes port 22 nor installs an SSH server",
            Severity.MEDIUM, cis("5.6")),

    // Compose services and Kubernetes containers: CIS section 4.1 and 5, then Bulwark's own
    RT_USER("4.1", "Ensure that containers run as a non-root user", Severity.HIGH, cis("4.1"), pss("runAsNonRoot")),
    RT_APPARMOR("5.1", "Ensure that, if applicable, an AppArmor profile is enabled", Severity.HIGH, cis("5.1")),
    RT_SELINUX("5.2", "Ensure that, if applicable, SELinux security options are set", Severity.HIGH, cis("5.2")),
    RT_CAPS("5.3", "Ensure that Linux kernel capabilities are restricted within containers",
            Severity.HIGH, cis("5.3"), pss("capabilities")),
    RT_PRIVILEGED("5.4", "Ensure that privileged containers are not used", Severity.CRITICAL, cis("5.4"),
            pss("privileged")),
    RT_SENSITIVE_MOUNT("5.5", "Ensure sensitive host system directories are not mounted on containers",
            Severity.HIGH, cis("5.5")),
    RT_PRIVILEGED_PORT("5.7", "Ensure privileged ports are not mapped within containers", Severity.MEDIUM, cis("5.7")),
    RT_HOST_NETWORK("5.9", "Ensure that the host's network namespace is not shared", Severity.HIGH, cis("5.9"),
            pss("host-namespaces")),
    RT_MEMORY("5.10", "Ensure that the memory usage for containers is limited", Severity.MEDIUM, cis("5.10")),
    RT_CPU("5.11", "Ensure that CPU priority is set appropriately on containers", Severity.LOW, cis("5.11")),
    RT_READ_ONLY("5.12", "Ensure that the container's root filesystem is mounted as read only",
            Severity.MEDIUM, cis("5.12")),
    RT_BIND_INTERFACE("5.13", "Ensure that incoming container traffic is bound to a specific host interface",
            Severity.LOW, cis("5.13")),
    RT_RESTART("5.14", "Ensure that the 'on-failure' container restart policy is set to '5'",
            Severity.LOW, cis("5.14")),
    RT_HOST_PID("5.15", "Ensure that the host's process namespace is not shared", Severity.HIGH, cis("5.15"),
            pss("host-namespaces")),
    RT_HOST_IPC("5.16", "Ensure that the host's IPC namespace is not shared", Severity.HIGH, cis("5.16"),
            pss("host-namespaces")),
    RT_DEVICES("5.17", "Ensure that host devices are not directly exposed to containers", Severity.MEDIUM, cis("5.17")),
    RT_PROPAGATION("5.19", "Ensure mount propagation mode is not set to shared", Severity.MEDIUM, cis("5.19")),
    RT_HOST_UTS("5.20", "Ensure that the host's UTS namespace is not shared", Severity.MEDIUM, cis("5.20")),
    RT_SECCOMP("5.21", "Ensure the default seccomp profile is not disabled", Severity.HIGH, cis("5.21"),
            pss("seccomp")),
    RT_NO_NEW_PRIVILEGES("5.25", "Ensure that the container is restricted from acquiring additional privileges",
            Severity.MEDIUM, cis("5.25"), pss("allowPrivilegeEscalation")),
    RT_HEALTH("5.26", "Ensure that container health is checked at runtime", Severity.LOW, cis("5.26")),
    RT_PIDS("5.28", "Ensure that the PIDs cgroup limit is used", Severity.LOW, cis("5.28")),
    RT_HOST_USERNS("5.30", "Ensure that the host's user namespaces are not shared", Severity.MEDIUM, cis("5.30")),
    RT_DOCKER_SOCKET("5.31", "Ensure that the Docker socket is not mounted inside any containers",
            Severity.CRITICAL, cis("5.31")),
    COMPOSE_IMAGE_DIGEST("COMPOSE-IMAGE-DIGEST", "Ensure service images are pinned by digest",
            Severity.MEDIUM, cis("4.2"), cis("5.27")),
    COMPOSE_ENV_SECRET("COMPOSE-ENV-SECRET", "Ensure secrets are not written into the Compose file",
            Severity.HIGH, cis("4.10"), "https://docs.docker.com/compose/how-tos/use-secrets/"),
    K8S_HOSTPATH("K8S-HOSTPATH", "Ensure pods do not mount host paths", Severity.HIGH, cis("5.5"), cis("5.31"),
            pss("hostPath")),
    K8S_IMAGE_DIGEST("K8S-IMAGE-DIGEST", "Ensure container images are pinned by digest", Severity.MEDIUM, cis("4.2"),
            cis("5.27")),
    K8S_PROC_MOUNT("K8S-PROCMOUNT", "Ensure /proc is masked (procMount is not Unmasked)", Severity.HIGH,
            pss("procMount")),
    K8S_SA_TOKEN("K8S-SA-TOKEN", "Ensure the service account token is mounted only where the API is used",
            Severity.LOW, "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"),
    K8S_ENV_SECRET("K8S-ENV-SECRET", "Ensure secrets are not written into manifests as literal env values",
            Severity.HIGH, cis("4.10"), "https://kubernetes.io/docs/concepts/configuration/secret/");

    final String id;
    final String title;
    final Severity severity;
    final List<String> references;

    Check(String id, String title, Severity severity, String... references) {
        this.id = id;
        this.title = title;
        this.severity = severity;
        this.references = List.of(references);
    }

    private static String cis(String section) {
        return "CIS Docker Benchmark v1.6.0 " + section;
    }

    private static String hadolint(String rule) {
        return "https://github.com/hadolint/hadolint/wiki/" + rule;
    }

    private static String pss(String control) {
        return "https://kubernetes.io/docs/concepts/security/pod-security-standards/ (" + control + ")";
    }
}
