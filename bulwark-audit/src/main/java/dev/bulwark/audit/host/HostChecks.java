package dev.bulwark.audit.host;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.audit.host.Check.Verdict;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.Severity;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Section 1: the host (separate partition, docker group, audit rules, hardening, version). */
final class HostChecks {
    private HostChecks() {
    }

    private static final List<String> BIN_DIRS = List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin",
        "/bin", "/sbin");

    static List<Check> all() {
        List<Check> c = new ArrayList<>();
        c.add(Check.host(new CheckInfo("1.1.1", "Ensure a separate partition for containers has been created", 1, 1,
            true, Severity.LOW, "host"), HostChecks::separatePartition));
        c.add(Check.host(new CheckInfo("1.1.2", "Ensure only trusted users are allowed to control Docker daemon", 1, 1,
            true, Severity.HIGH, "host"), HostChecks::dockerGroup));
        c.add(audit("1.1.3", "Ensure auditing is configured for the Docker daemon", 1, f -> List.of(dockerdBinary(f))));
        c.add(audit("1.1.4", "Ensure auditing is configured for Docker files and directories - /run/containerd", 1,
            f -> List.of(new Target("/run/containerd", "-a exit,always -F path=/run/containerd -F perm=war -k docker"))));
        c.add(audit("1.1.5", "Ensure auditing is configured for Docker files and directories - /var/lib/docker", 1,
            HostChecks::dockerRootTargets));
        c.add(audit("1.1.6", "Ensure auditing is configured for Docker files and directories - /etc/docker", 1,
            f -> List.of(new Target("/etc/docker", null))));
        c.add(audit("1.1.7", "Ensure auditing is configured for Docker files and directories - docker.service", 2,
            f -> unit(f, "docker.service")));
        c.add(audit("1.1.8", "Ensure auditing is configured for Docker files and directories - containerd.sock", 2,
            f -> FileChecks.containerdSockets(f).stream().map(p -> new Target(p, null)).toList()));
        c.add(audit("1.1.9", "Ensure auditing is configured for Docker files and directories - docker.socket", 2,
            HostChecks::dockerSocketTargets));
        c.add(audit("1.1.10", "Ensure auditing is configured for Docker files and directories - /etc/default/docker", 2,
            f -> List.of(new Target("/etc/default/docker", null))));
        c.add(audit("1.1.11", "Ensure auditing is configured for Docker files and directories - /etc/docker/daemon.json",
            2, f -> List.of(new Target(f.settings().configPath(), null))));
        c.add(audit("1.1.12",
            "Ensure auditing is configured for Docker files and directories - /etc/containerd/config.toml", 2,
            f -> List.of(new Target("/etc/containerd/config.toml", null))));
        c.add(audit("1.1.13", "Ensure auditing is configured for Docker files and directories - /etc/sysconfig/docker",
            2, f -> List.of(new Target("/etc/sysconfig/docker", null))));
        c.add(audit("1.1.14", "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd", 2,
            f -> binary(f, "containerd")));
        c.add(audit("1.1.15",
            "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim", 2,
            f -> binary(f, "containerd-shim")));
        c.add(audit("1.1.16",
            "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim-runc-v1", 2,
            f -> binary(f, "containerd-shim-runc-v1")));
        c.add(audit("1.1.17",
            "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim-runc-v2", 2,
            f -> binary(f, "containerd-shim-runc-v2")));
        c.add(audit("1.1.18", "Ensure auditing is configured for Docker files and directories - /usr/bin/runc", 2,
            f -> binary(f, "runc")));
        c.add(Check.host(new CheckInfo("1.2.1", "Ensure the container host has been Hardened", 1, 1, false,
            Severity.MEDIUM, "host"), f -> Verdict.review(
                "host hardening cannot be judged from here: apply the CIS benchmark of the host's distribution",
                "Audit the host against its own CIS benchmark (e.g. CIS Debian Linux 12)")));
        c.add(Check.daemon(new CheckInfo("1.2.2", "Ensure that the version of Docker is up to date", 1, 1, false,
            Severity.MEDIUM, "daemon"), HostChecks::version));
        return c;
    }

    // ------------------------------------------------------------------ 1.1.1

    private static Verdict separatePartition(Facts f) throws IOException {
        String rootDir = f.info().path("DockerRootDir").asText("/var/lib/docker");
        String dir = rootDir;
        if (f.securityOption("userns")) {
            // with userns-remap DockerRootDir is <data-root>/<uid>.<gid>: the partition belongs to data-root
            int slash = rootDir.lastIndexOf('/');
            if (slash > 0 && rootDir.substring(slash + 1).matches("\\d+\\.\\d+")) dir = rootDir.substring(0, slash);
        }
        Optional<String> mountinfo = f.fs.read("/proc/self/mountinfo");
        Optional<String> mounts = mountinfo.isPresent() ? Optional.empty() : f.fs.read("/proc/mounts");
        if (mountinfo.isEmpty() && mounts.isEmpty()) {
            return Verdict.error("neither /proc/self/mountinfo nor /proc/mounts is readable under " + f.fs.root());
        }
        String real = f.view.isLiveRoot() ? f.fs.resolve(dir).toString() : dir;
        Mounts m = mountinfo.map(Mounts::fromMountinfo).orElseGet(() -> Mounts.fromProcMounts(mounts.get()));
        Optional<Mounts.Mount> at = m.at(real);
        String fix = "Give " + dir + " its own partition or logical volume (e.g. lvcreate -n docker -L 100G vg0 && "
            + "mkfs.ext4 /dev/vg0/docker, an fstab line '/dev/vg0/docker " + dir + " ext4 defaults 0 2', then move the "
            + "data with dockerd stopped)";
        if (at.isEmpty()) {
            Mounts.Mount parent = m.containing(real).orElse(null);
            return Verdict.fail(dir + " is not a mount point" + (parent == null ? "" : "; it lives on " + parent.describe()),
                fix);
        }
        Mounts.Mount mount = at.get();
        if (mount.bindOfSameDevice(m)) {
            return Verdict.fail(dir + " is a bind mount of the filesystem it sits on (" + mount.describe()
                + "), not a separate partition", fix);
        }
        return Verdict.pass(dir + " is a separate mount: " + mount.describe());
    }

    // ------------------------------------------------------------------ 1.1.2

    private static Verdict dockerGroup(Facts f) {
        HostFs.Accounts acc = f.fs.accounts();
        // the group that owns the daemon's socket: -G / "group", default docker
        String group = "docker";
        try {
            group = f.settings().get("group").map(DaemonSettings.Setting::last).orElse("docker");
        } catch (Memo.FactException e) {
            // settings unknown: the default group
        }
        Optional<Set<String>> members = acc.membersOf(group);
        if (members.isEmpty()) {
            return Verdict.pass("no " + group + " group in /etc/group: only root can use the Docker socket");
        }
        Set<String> m = members.get();
        if (m.isEmpty()) return Verdict.pass("the " + group + " group has no members");
        if (f.view.trustedUsers().isEmpty()) {
            return Verdict.review(group + " group members (each is root-equivalent): " + String.join(", ", m)
                + "; confirm each is trusted (give the trusted list to decide automatically)",
                "Remove untrusted users from the group: gpasswd -d <user> " + group);
        }
        List<String> untrusted = m.stream().filter(u -> !f.view.trustedUsers().contains(u)).toList();
        if (untrusted.isEmpty()) return Verdict.pass(group + " group members are all trusted: " + String.join(", ", m));
        return Verdict.fail("untrusted users in the " + group + " group: " + String.join(", ", untrusted),
            "gpasswd -d " + untrusted.getFirst() + " " + group
                + (untrusted.size() > 1 ? " (and the same for " + String.join(", ", untrusted.subList(1, untrusted.size())) + ")" : ""));
    }

    // ------------------------------------------------------------------ 1.1.3 - 1.1.18

    /**
     * A path to audit.
     *
     * @param path the host path
     * @param rule the rule CIS asks for, or null for {@code -w path -k docker}
     */
    record Target(String path, String rule) {
        String ruleText() {
            return rule != null ? rule : "-w " + path + " -k docker";
        }
    }

    @FunctionalInterface
    interface Targets {
        List<Target> of(Facts f) throws Exception;
    }

    private static Check audit(String id, String title, int level, Targets targets) {
        CheckInfo info = new CheckInfo(id, title, 1, level, true, Severity.LOW, "file");
        return Check.of(info, (f, i) -> {
            List<Target> ts = targets.of(f);
            if (ts.isEmpty()) {
                return List.of(Check.result(i, Verdict.info("not present on this host"), "host", ""));
            }
            AuditRules rules = f.auditRules();
            List<AuditResult> out = new ArrayList<>();
            for (Target t : ts) {
                Verdict v;
                if (!f.fs.exists(t.path())) {
                    v = Verdict.info(t.path() + " does not exist on this host");
                } else {
                    // a watch on the link or on its target both count (auditd resolves the path when loading)
                    String real = f.fs.hostPath(f.fs.resolve(t.path()));
                    Optional<AuditRules.Rule> r = rules.covering(t.path()).or(() -> rules.covering(real));
                    if (r.isPresent()) {
                        v = Verdict.pass("audited by '" + r.get().text() + "' (" + r.get().source() + ")");
                    } else {
                        v = Verdict.fail(rules.sources().isEmpty()
                                ? "no audit rules on this host (no /etc/audit/audit.rules, /etc/audit/rules.d/*.rules"
                                    + (f.view.isLiveRoot() ? ", auditctl -l gave none" : "") + ")"
                                : "no audit rule covers " + t.path() + " (read " + String.join(", ", rules.sources()) + ")",
                            "echo '" + t.ruleText() + "' >> /etc/audit/rules.d/docker.rules && augenrules --load");
                    }
                }
                out.add(Check.result(i, v, t.path(), t.path()));
            }
            return out;
        });
    }

    private static Target dockerdBinary(Facts f) {
        String exe = "";
        try {
            exe = f.settings().process().map(DaemonProcess::exe).orElse("");
        } catch (Memo.FactException e) {
            // fall back to the usual places
        }
        if (exe.endsWith(" (deleted)")) exe = exe.substring(0, exe.length() - " (deleted)".length());
        if (!exe.isEmpty() && f.fs.exists(exe)) return new Target(exe, null);
        return binary(f, "dockerd").stream().findFirst().orElse(new Target("/usr/bin/dockerd", null));
    }

    /** /usr/bin/NAME as CIS names it; else wherever the distribution put it (Debian: /usr/sbin/runc). */
    private static List<Target> binary(Facts f, String name) {
        for (String d : BIN_DIRS) {
            String p = d + "/" + name;
            if (f.fs.isRegularFile(p)) return List.of(new Target(p, null));
        }
        return List.of(new Target("/usr/bin/" + name, null));
    }

    private static List<Target> dockerRootTargets(Facts f) {
        String rootDir = f.info().path("DockerRootDir").asText("/var/lib/docker");
        String rule = "-a exit,always -F path=" + rootDir + " -F perm=war -k docker";
        return List.of(new Target(rootDir, rule));
    }

    /** The docker.socket unit (CIS v1.6) and the socket file it creates, docker.sock (CIS v1.7). */
    private static List<Target> dockerSocketTargets(Facts f) throws IOException {
        List<Target> out = new ArrayList<>();
        Optional<String> unit = FileChecks.unitFile(f, "docker.socket");
        unit.ifPresent(u -> out.add(new Target(u, null)));
        for (String s : FileChecks.dockerSockets(f)) out.add(new Target(s, null));
        return out;
    }

    private static List<Target> unit(Facts f, String name) throws IOException {
        return FileChecks.unitFile(f, name).map(u -> List.of(new Target(u, null))).orElse(List.of());
    }

    // ------------------------------------------------------------------ 1.2.2

    private static Verdict version(Facts f) {
        JsonNode v = f.version();
        String server = v.path("Version").asText("?");
        String api = v.path("ApiVersion").asText("?");
        StringBuilder components = new StringBuilder();
        for (JsonNode c : v.path("Components")) {
            if (!c.path("Name").asText().equals("Engine")) {
                components.append(", ").append(c.path("Name").asText()).append(' ').append(c.path("Version").asText());
            }
        }
        return Verdict.review("Docker Engine " + server + " (API " + api + ")" + components
                + "; compare with the supported releases of Docker and of the host's distribution",
            "Upgrade to a supported Docker Engine release (apt-get install --only-upgrade docker-ce / docker.io)");
    }
}
