package dev.bulwark.audit.host;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.audit.host.Check.Verdict;
import dev.bulwark.docker.DockerException;
import dev.bulwark.model.Severity;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Section 5: every container's runtime configuration, from its inspect document (created and running alike). */
final class ContainerChecks {
    private ContainerChecks() {
    }

    /** The capabilities Docker grants by default (moby's oci/caps/defaults.go). */
    static final Set<String> DEFAULT_CAPS = Set.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW",
        "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE");

    /** Capabilities that amount to host root or close to it (docker-bench's community checks C.5.3.x among them). */
    static final Set<String> DANGEROUS_CAPS = Set.of("ALL", "SYS_ADMIN", "SYS_MODULE", "SYS_PTRACE", "DAC_READ_SEARCH",
        "NET_ADMIN", "SYS_RAWIO", "SYS_BOOT", "SYS_TIME", "BPF", "PERFMON", "MAC_ADMIN", "MAC_OVERRIDE", "SYSLOG",
        "SYS_RESOURCE", "LINUX_IMMUTABLE");

    /** CIS 5.6's sensitive host directories. */
    static final List<String> SENSITIVE = List.of("/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr");

    static List<Check> all() {
        List<Check> c = new ArrayList<>();
        c.add(Check.daemon(new CheckInfo("5.1", "Ensure swarm mode is not Enabled, if not needed", 5, 1, true,
            Severity.LOW, "daemon"), ContainerChecks::swarmMode));
        c.add(gated("5.2", "Ensure that, if applicable, an AppArmor Profile is enabled", 1, true, Severity.HIGH,
            f -> f.securityOption("apparmor") ? Optional.empty()
                : Optional.of(Verdict.info("AppArmor is not enabled on this host (/info SecurityOptions has no name=apparmor)")),
            ContainerChecks::apparmor));
        c.add(gated("5.3", "Ensure that, if applicable, SELinux security options are set", 2, true, Severity.HIGH,
            f -> f.securityOption("selinux") ? Optional.empty()
                : Optional.of(Verdict.info("SELinux is not enabled in the daemon (/info SecurityOptions has no name=selinux)")),
            ContainerChecks::selinux));
        c.add(ct("5.4", "Ensure that Linux kernel capabilities are restricted within containers", 1, true, Severity.HIGH,
            ContainerChecks::capabilities));
        c.add(ct("5.5", "Ensure that privileged containers are not used", 1, true, Severity.CRITICAL, (f, x) ->
            x.privileged() ? Verdict.fail("HostConfig.Privileged=true: all capabilities, all devices, no seccomp, "
                + "no AppArmor", "Recreate without --privileged; add only the capabilities (--cap-add) and devices "
                + "(--device) it needs") : Verdict.pass("HostConfig.Privileged=false")));
        c.add(ct("5.6", "Ensure sensitive host system directories are not mounted on containers", 1, true, Severity.HIGH,
            ContainerChecks::sensitiveMounts));
        c.add(ct("5.7", "Ensure sshd is not run within containers", 1, true, Severity.MEDIUM, ContainerChecks::sshd));
        c.add(ct("5.8", "Ensure privileged ports are not mapped within containers", 1, true, Severity.MEDIUM,
            ContainerChecks::privilegedPorts));
        c.add(ct("5.9", "Ensure that only needed ports are open on the container", 1, false, Severity.LOW,
            ContainerChecks::openPorts));
        c.add(ct("5.10", "Ensure that the host's network namespace is not shared", 1, true, Severity.HIGH,
            (f, x) -> hostMode(x, "NetworkMode", "--network host", "--network <user-defined network>")));
        c.add(ct("5.11", "Ensure that the memory usage for containers is limited", 1, true, Severity.MEDIUM, (f, x) ->
            x.hostConfigLong("Memory") > 0 ? Verdict.pass("HostConfig.Memory=" + x.hostConfigLong("Memory"))
                : Verdict.fail("HostConfig.Memory=0: no memory limit", "docker run --memory 256m ... (docker update "
                    + "--memory 256m --memory-swap 256m " + x.name() + " for a running container)")));
        c.add(ct("5.12", "Ensure that CPU priority is set appropriately on containers", 1, true, Severity.MEDIUM,
            ContainerChecks::cpu));
        c.add(ct("5.13", "Ensure that the container's root filesystem is mounted as read only", 1, true, Severity.MEDIUM,
            (f, x) -> x.hostConfig().path("ReadonlyRootfs").asBoolean(false) ? Verdict.pass("HostConfig.ReadonlyRootfs=true")
                : Verdict.fail("HostConfig.ReadonlyRootfs=false", "docker run --read-only --tmpfs /tmp ... "
                    + "(with volumes for the paths it must write)")));
        c.add(ct("5.14", "Ensure that incoming container traffic is bound to a specific host interface", 1, true,
            Severity.MEDIUM, ContainerChecks::boundInterface));
        c.add(ct("5.15", "Ensure that the 'on-failure' container restart policy is set to '5'", 1, true, Severity.LOW,
            ContainerChecks::restartPolicy));
        c.add(ct("5.16", "Ensure that the host's process namespace is not shared", 1, true, Severity.HIGH,
            (f, x) -> hostMode(x, "PidMode", "--pid host", "no --pid flag")));
        c.add(ct("5.17", "Ensure that the host's IPC namespace is not shared", 1, true, Severity.HIGH,
            (f, x) -> hostMode(x, "IpcMode", "--ipc host", "--ipc private")));
        c.add(ct("5.18", "Ensure that host devices are not directly exposed to containers", 1, false, Severity.MEDIUM,
            ContainerChecks::devices));
        c.add(ct("5.19", "Ensure that the default ulimit is overwritten at runtime if needed", 1, false, Severity.LOW,
            ContainerChecks::ulimits));
        c.add(ct("5.20", "Ensure mount propagation mode is not set to shared", 1, true, Severity.MEDIUM,
            ContainerChecks::propagation));
        c.add(ct("5.21", "Ensure that the host's UTS namespace is not shared", 1, true, Severity.MEDIUM,
            (f, x) -> hostMode(x, "UTSMode", "--uts host", "no --uts flag")));
        c.add(ct("5.22", "Ensure the default seccomp profile is not Disabled", 1, true, Severity.HIGH,
            ContainerChecks::seccomp));
        c.add(ct("5.23", "Ensure that docker exec commands are not used with the privileged option", 2, true,
            Severity.HIGH, (f, x) -> exec(f, x, true)));
        c.add(ct("5.24", "Ensure that docker exec commands are not used with the user=root option", 2, true,
            Severity.MEDIUM, (f, x) -> exec(f, x, false)));
        c.add(ct("5.25", "Ensure that cgroup usage is confirmed", 1, true, Severity.LOW, (f, x) -> {
            String p = x.hostConfigText("CgroupParent");
            return p.isEmpty() ? Verdict.pass("HostConfig.CgroupParent empty: the daemon's default cgroup")
                : Verdict.fail("HostConfig.CgroupParent=" + p + ": confirm this cgroup is intended",
                    "Recreate without --cgroup-parent unless it is required");
        }));
        c.add(ct("5.26", "Ensure that the container is restricted from acquiring additional privileges", 1, true,
            Severity.MEDIUM, ContainerChecks::noNewPrivileges));
        c.add(ct("5.27", "Ensure that container health is checked at runtime", 1, true, Severity.LOW,
            ContainerChecks::health));
        c.add(ct("5.28", "Ensure that Docker commands always make use of the latest version of their image", 1, false,
            Severity.LOW, ContainerChecks::imagePinning));
        c.add(ct("5.29", "Ensure that the PIDs cgroup limit is used", 1, true, Severity.MEDIUM, (f, x) -> {
            JsonNode n = x.hostConfig().path("PidsLimit");
            long v = n.isNumber() ? n.asLong() : 0;
            return v > 0 ? Verdict.pass("HostConfig.PidsLimit=" + v)
                : Verdict.fail("HostConfig.PidsLimit=" + (n.isNull() || n.isMissingNode() ? "null" : n.asText())
                    + ": no limit (fork bombs reach the host)", "docker run --pids-limit 100 ... (docker update "
                    + "--pids-limit 100 " + x.name() + ")");
        }));
        c.add(ct("5.30", "Ensure that Docker's default bridge \"docker0\" is not used", 2, false, Severity.LOW,
            ContainerChecks::defaultBridge));
        c.add(ct("5.31", "Ensure that the host's user namespaces are not shared", 1, true, Severity.HIGH,
            (f, x) -> hostMode(x, "UsernsMode", "--userns host", "no --userns flag")));
        c.add(ct("5.32", "Ensure that the Docker socket is not mounted inside any containers", 1, true, Severity.CRITICAL,
            ContainerChecks::dockerSocket));
        return c;
    }

    private static Check ct(String id, String title, int level, boolean automated, Severity sev, Check.ContainerRule rule) {
        return Check.container(new CheckInfo(id, title, 5, level, automated, sev, "container"), rule);
    }

    @FunctionalInterface
    interface Gate {
        Optional<Verdict> test(Facts f) throws Exception;
    }

    /** A per-container check that does not apply on some hosts: then one host-level result says why. */
    private static Check gated(String id, String title, int level, boolean automated, Severity sev, Gate gate,
                               Check.ContainerRule rule) {
        CheckInfo info = new CheckInfo(id, title, 5, level, automated, sev, "container");
        Check inner = Check.container(info, rule);
        return Check.of(info, (f, i) -> {
            Optional<Verdict> g = gate.test(f);
            if (g.isPresent()) return List.of(Check.result(i, g.get(), "host", ""));
            return inner.run(f);
        });
    }

    // ------------------------------------------------------------------ 5.1

    private static Verdict swarmMode(Facts f) {
        String state = f.info().path("Swarm").path("LocalNodeState").asText("inactive");
        if (state.equals("inactive") || state.isEmpty()) return Verdict.pass("/info Swarm.LocalNodeState=inactive");
        return Verdict.fail("/info Swarm.LocalNodeState=" + state + ": confirm this host must be in a swarm",
            "docker swarm leave (on a manager: docker swarm leave --force) if swarm mode is not needed");
    }

    // ------------------------------------------------------------------ 5.2, 5.3

    private static Verdict apparmor(Facts f, Container c) {
        String p = c.inspect().path("AppArmorProfile").asText("");
        if (p.isEmpty() || p.equals("unconfined")) {
            return Verdict.fail("AppArmorProfile=" + (p.isEmpty() ? "(none)" : p),
                "docker run --security-opt apparmor=docker-default ... (or a custom profile loaded with apparmor_parser)");
        }
        return Verdict.pass("AppArmorProfile=" + p);
    }

    private static Verdict selinux(Facts f, Container c) {
        List<String> labels = c.securityOpt().stream().filter(o -> o.startsWith("label=") || o.startsWith("label:")).toList();
        String fix = "docker run --security-opt label=type:container_t ... (with the daemon's \"selinux-enabled\": true)";
        if (labels.stream().anyMatch(l -> l.endsWith("disable"))) {
            return Verdict.fail("SecurityOpt " + String.join(" ", labels) + ": SELinux separation is off", fix);
        }
        String process = c.inspect().path("ProcessLabel").asText("");
        if (!labels.isEmpty() || !process.isEmpty()) {
            return Verdict.pass((labels.isEmpty() ? "" : "SecurityOpt " + String.join(" ", labels) + " ")
                + (process.isEmpty() ? "" : "ProcessLabel=" + process));
        }
        return Verdict.fail("no SELinux label (SecurityOpt label=..., ProcessLabel empty)", fix);
    }

    // ------------------------------------------------------------------ 5.4

    static String cap(String s) {
        String u = s.strip().toUpperCase(Locale.ROOT);
        return u.startsWith("CAP_") ? u.substring(4) : u;
    }

    private static Verdict capabilities(Facts f, Container c) {
        if (c.privileged()) {
            return Verdict.fail("HostConfig.Privileged=true grants every capability",
                "Recreate without --privileged: --cap-drop ALL --cap-add <only what it needs>");
        }
        List<String> added = new ArrayList<>();
        for (String s : Container.strings(c.hostConfig().path("CapAdd"))) {
            String k = cap(s);
            if (!DEFAULT_CAPS.contains(k)) added.add(k);
        }
        Set<String> dropped = new LinkedHashSet<>();
        for (String s : Container.strings(c.hostConfig().path("CapDrop"))) dropped.add(cap(s));
        if (!added.isEmpty()) {
            List<String> dangerous = added.stream().filter(DANGEROUS_CAPS::contains).toList();
            return Verdict.fail("CapAdd beyond Docker's defaults: " + String.join(", ", added)
                    + (dangerous.isEmpty() ? "" : " (host-level: " + String.join(", ", dangerous) + ")"),
                "Recreate with --cap-drop ALL and --cap-add for each capability it really needs, without "
                    + String.join(", ", added));
        }
        String drop = dropped.isEmpty() ? "nothing dropped" : "CapDrop " + String.join(", ", dropped);
        return Verdict.pass("no capability beyond Docker's defaults added; " + drop);
    }

    // ------------------------------------------------------------------ 5.6

    static String normalise(String p) {
        String n = java.nio.file.Path.of(p.isEmpty() ? "/" : p).normalize().toString();
        return n.length() > 1 && n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    private static Verdict sensitiveMounts(Facts f, Container c) {
        List<String> hits = new ArrayList<>();
        boolean rw = false;
        for (JsonNode m : c.mounts()) {
            if (!m.path("Type").asText("bind").equals("bind")) continue;
            String src = normalise(m.path("Source").asText(""));
            for (String s : SENSITIVE) {
                boolean under = s.equals("/") ? src.equals("/") : src.equals(s) || src.startsWith(s + "/");
                if (under) {
                    boolean w = m.path("RW").asBoolean(true);
                    rw |= w;
                    hits.add(src + ":" + m.path("Destination").asText() + (w ? " (read-write)" : " (read-only)"));
                    break;
                }
            }
        }
        if (hits.isEmpty()) return Verdict.pass("no bind mount of /, /boot, /dev, /etc, /lib, /proc, /sys or /usr");
        return Verdict.fail("sensitive host paths mounted: " + String.join(", ", hits)
                + (rw ? "" : "; read-only, still readable host data"),
            "Recreate without these -v/--mount binds; mount only application data directories, read-only (:ro) where possible");
    }

    // ------------------------------------------------------------------ 5.7

    private static Verdict sshd(Facts f, Container c) {
        if (!c.running()) {
            return Verdict.review("not running: its processes cannot be listed (State.Status="
                + c.inspect().path("State").path("Status").asText() + ")", "");
        }
        List<String> commands = new ArrayList<>();
        String how;
        Optional<List<String>> local = f.processesOf(c);
        if (local.isPresent()) {
            commands.addAll(local.get());
            how = "host /proc";
        } else {
            JsonNode top;
            try {
                top = f.top(c);
            } catch (Memo.FactException e) {
                return Verdict.error("cannot list its processes: " + e.getMessage());
            }
            List<String> titles = Container.strings(top.path("Titles"));
            int cmd = Math.max(titles.lastIndexOf("CMD"), titles.lastIndexOf("COMMAND"));
            if (cmd < 0) cmd = titles.size() - 1;
            for (JsonNode p : top.path("Processes")) commands.add(p.path(cmd).asText(""));
            how = "GET /containers/{id}/top";
        }
        for (String command : commands) {
            String first = command.split("\\s+")[0];
            String base = first.substring(first.lastIndexOf('/') + 1);
            if (base.equals("sshd") || base.startsWith("sshd:") || command.startsWith("sshd:") || command.equals("[sshd]")) {
                return Verdict.fail("sshd runs in the container: " + command + " (" + how + ")",
                    "Remove the SSH daemon from the image; use docker exec for access");
            }
        }
        return Verdict.pass("no sshd among its " + commands.size() + " process(es) (" + how + ")");
    }

    // ------------------------------------------------------------------ ports (5.8, 5.9, 5.14)

    /**
     * A published port.
     *
     * @param container "80/tcp"
     * @param hostIp    "" for every interface
     * @param hostPort  "8080", "" when the daemon chooses
     */
    record Published(String container, String hostIp, String hostPort) {
        String describe() {
            return (hostIp.isEmpty() ? "0.0.0.0" : hostIp) + ":" + (hostPort.isEmpty() ? "(random)" : hostPort) + "->"
                + container;
        }
    }

    /** The ports it publishes: NetworkSettings.Ports when running, HostConfig.PortBindings otherwise. */
    static List<Published> published(Container c) {
        Set<Published> out = new LinkedHashSet<>();
        JsonNode live = c.inspect().path("NetworkSettings").path("Ports");
        JsonNode bindings = c.running() && live.isObject() && !live.isEmpty() ? live : c.hostConfig().path("PortBindings");
        Iterator<Map.Entry<String, JsonNode>> it = bindings.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) continue;
            for (JsonNode b : e.getValue()) {
                out.add(new Published(e.getKey(), b.path("HostIp").asText(""), b.path("HostPort").asText("")));
            }
        }
        return List.copyOf(out);
    }

    private static Verdict privilegedPorts(Facts f, Container c) {
        List<String> low = new ArrayList<>();
        for (Published p : published(c)) {
            try {
                int port = Integer.parseInt(p.hostPort());
                if (port > 0 && port < 1024) low.add(p.describe());
            } catch (NumberFormatException ignored) {
                // random or range: not a fixed privileged port
            }
        }
        if (low.isEmpty()) return Verdict.pass(published(c).isEmpty() ? "no published ports" : "no host port below 1024");
        return Verdict.fail("host ports below 1024: " + String.join(", ", low),
            "Publish on a host port of 1024 or more: -p 8080:" + low.getFirst().replaceAll(".*->(\\d+).*", "$1"));
    }

    private static Verdict openPorts(Facts f, Container c) {
        List<Published> p = published(c);
        boolean all = c.hostConfig().path("PublishAllPorts").asBoolean(false);
        if (p.isEmpty() && !all) return Verdict.pass("no published ports");
        List<String> d = p.stream().map(Published::describe).toList();
        return Verdict.review("published: " + (d.isEmpty() ? "" : String.join(", ", d))
                + (all ? (d.isEmpty() ? "" : "; ") + "-P publishes every EXPOSEd port" : "") + "; confirm each is needed",
            "Publish only the ports the service needs (-p), not -P");
    }

    private static Verdict boundInterface(Facts f, Container c) {
        List<String> wild = new ArrayList<>();
        for (Published p : published(c)) {
            String ip = p.hostIp();
            if (ip.isEmpty() || ip.equals("0.0.0.0") || ip.equals("::") || ip.equals("[::]")) wild.add(p.describe());
        }
        if (wild.isEmpty()) return Verdict.pass(published(c).isEmpty() ? "no published ports" : "every published port is bound to one address");
        return Verdict.fail("bound to every host interface: " + String.join(", ", wild),
            "Bind to one address: -p 10.0.0.5:" + published(c).getFirst().hostPort() + ":"
                + published(c).getFirst().container().replaceAll("/.*", ""));
    }

    // ------------------------------------------------------------------ 5.10, 5.16, 5.17, 5.21, 5.31

    private static Verdict hostMode(Container c, String field, String flag, String instead) {
        String v = c.hostConfigText(field);
        if (v.equals("host")) {
            return Verdict.fail("HostConfig." + field + "=host: shares the host's namespace",
                "Recreate without " + flag + " (" + instead + ")");
        }
        return Verdict.pass("HostConfig." + field + "=" + (v.isEmpty() ? "(default)" : v));
    }

    // ------------------------------------------------------------------ 5.12

    private static Verdict cpu(Facts f, Container c) {
        List<String> set = new ArrayList<>();
        for (String k : List.of("CpuShares", "NanoCpus", "CpuQuota", "CpuPeriod")) {
            long v = c.hostConfigLong(k);
            if (v > 0) set.add(k + "=" + v);
        }
        String cpuset = c.hostConfigText("CpusetCpus");
        if (!cpuset.isEmpty()) set.add("CpusetCpus=" + cpuset);
        if (!set.isEmpty()) return Verdict.pass(String.join(", ", set));
        return Verdict.fail("no CPU shares, quota or cpuset: it competes for all CPUs with equal weight",
            "docker run --cpus 0.5 (or --cpu-shares 512) ... (docker update --cpus 0.5 " + c.name() + ")");
    }

    // ------------------------------------------------------------------ 5.15

    private static Verdict restartPolicy(Facts f, Container c) {
        JsonNode rp = c.hostConfig().path("RestartPolicy");
        String name = rp.path("Name").asText("");
        int max = rp.path("MaximumRetryCount").asInt(0);
        String fix = "docker update --restart on-failure:5 " + c.name();
        return switch (name) {
            case "", "no" -> Verdict.pass("RestartPolicy=no");
            case "on-failure" -> max > 0 && max <= 5 ? Verdict.pass("RestartPolicy=on-failure:" + max)
                : Verdict.fail("RestartPolicy=on-failure:" + max + (max == 0 ? " (unlimited retries)" : " (more than 5)"), fix);
            default -> Verdict.fail("RestartPolicy=" + name + ": restarts without limit", fix);
        };
    }

    // ------------------------------------------------------------------ 5.18, 5.19, 5.20

    private static Verdict devices(Facts f, Container c) {
        List<String> d = new ArrayList<>();
        for (JsonNode dev : c.hostConfig().path("Devices")) {
            d.add(dev.path("PathOnHost").asText() + ":" + dev.path("PathInContainer").asText() + ":"
                + dev.path("CgroupPermissions").asText());
        }
        List<String> rules = Container.strings(c.hostConfig().path("DeviceCgroupRules"));
        if (c.privileged()) d.add("every host device (--privileged)");
        if (d.isEmpty() && rules.isEmpty()) return Verdict.pass("no host devices");
        return Verdict.review("host devices: " + String.join(", ", d)
                + (rules.isEmpty() ? "" : " cgroup rules: " + String.join(", ", rules)) + "; confirm each is needed",
            "Expose only needed devices, without mknod: --device " + (d.isEmpty() ? "/dev/x" : d.getFirst().split(":")[0]) + ":"
                + (d.isEmpty() ? "/dev/x" : d.getFirst().split(":")[0]) + ":rw");
    }

    private static Verdict ulimits(Facts f, Container c) {
        List<String> u = new ArrayList<>();
        for (JsonNode l : c.hostConfig().path("Ulimits")) {
            u.add(l.path("Name").asText() + "=" + l.path("Soft").asText() + ":" + l.path("Hard").asText());
        }
        if (u.isEmpty()) return Verdict.pass("no ulimit override: the daemon's default ulimits apply");
        return Verdict.review("ulimits overridden: " + String.join(", ", u) + "; confirm the override is needed",
            "Drop --ulimit unless this container needs limits other than the daemon's defaults");
    }

    private static Verdict propagation(Facts f, Container c) {
        List<String> shared = new ArrayList<>();
        for (JsonNode m : c.mounts()) {
            String p = m.path("Propagation").asText("");
            if (p.equals("shared") || p.equals("rshared")) {
                shared.add(m.path("Source").asText() + ":" + m.path("Destination").asText() + " (" + p + ")");
            }
        }
        if (shared.isEmpty()) return Verdict.pass("no shared mount propagation");
        return Verdict.fail("shared propagation: " + String.join(", ", shared)
            + ": mounts made in the container appear on the host", "Recreate without the :shared/:rshared bind "
            + "option (use the default rprivate, or rslave)");
    }

    // ------------------------------------------------------------------ 5.22

    private static Verdict seccomp(Facts f, Container c) {
        if (c.privileged()) {
            return Verdict.fail("HostConfig.Privileged=true: seccomp is not applied", "Recreate without --privileged");
        }
        for (String o : c.securityOpt()) {
            if (o.equals("seccomp=unconfined") || o.equals("seccomp:unconfined")) {
                return Verdict.fail("SecurityOpt " + o + ": no seccomp filter",
                    "Recreate without --security-opt seccomp=unconfined (Docker's default profile then applies)");
            }
        }
        boolean custom = c.securityOpt().stream().anyMatch(o -> o.startsWith("seccomp=") || o.startsWith("seccomp:"));
        return Verdict.pass(custom ? "a custom seccomp profile (SecurityOpt seccomp=...)" : "the daemon's seccomp profile");
    }

    // ------------------------------------------------------------------ 5.23, 5.24

    private static Verdict exec(Facts f, Container c, boolean privileged) throws DockerException {
        List<String> ids = Container.strings(c.inspect().path("ExecIDs"));
        if (ids.isEmpty()) {
            return Verdict.review("no exec instance recorded by the daemon; earlier docker exec use shows only in the "
                + "daemon's audit trail (auditd rules on the socket, authorization plugin logs)", "");
        }
        List<String> bad = new ArrayList<>();
        for (String id : ids) {
            JsonNode e;
            try {
                e = f.get("/exec/" + id + "/json");
            } catch (DockerException ex) {
                if (ex.status() == 404) continue;
                throw ex;
            }
            JsonNode pc = e.path("ProcessConfig");
            String cmd = (pc.path("entrypoint").asText("") + " " + String.join(" ", Container.strings(pc.path("arguments")))).strip();
            if (privileged && pc.path("privileged").asBoolean(false)) bad.add(id.substring(0, Math.min(12, id.length())) + " " + cmd);
            if (!privileged) {
                String u = pc.path("user").asText("");
                if (!u.isEmpty() && ImageChecks.isRoot(u)) bad.add(id.substring(0, Math.min(12, id.length())) + " --user " + u + " " + cmd);
            }
        }
        if (bad.isEmpty()) {
            return Verdict.pass(ids.size() + " exec instance(s), none " + (privileged ? "privileged" : "with --user root"));
        }
        return Verdict.fail((privileged ? "privileged exec: " : "exec as root: ") + String.join("; ", bad),
            privileged ? "Do not use docker exec --privileged; give the container the capability it needs instead"
                : "Do not use docker exec --user root; run administrative tasks in a separate, short-lived container");
    }

    // ------------------------------------------------------------------ 5.26, 5.27, 5.28

    private static Verdict noNewPrivileges(Facts f, Container c) {
        for (String o : c.securityOpt()) {
            String v = o.toLowerCase(Locale.ROOT);
            if (v.equals("no-new-privileges") || v.equals("no-new-privileges:true") || v.equals("no-new-privileges=true")) {
                return Verdict.pass("SecurityOpt " + o);
            }
            if (v.startsWith("no-new-privileges")) {
                return Verdict.fail("SecurityOpt " + o + " overrides the daemon", "docker run --security-opt no-new-privileges ...");
            }
        }
        if (f.settings().bool("no-new-privileges").orElse(false)) {
            return Verdict.pass("the daemon sets no-new-privileges for every container ("
                + f.settings().get("no-new-privileges").get().source() + ")");
        }
        return Verdict.fail("no no-new-privileges in SecurityOpt and none set daemon-wide",
            "docker run --security-opt no-new-privileges ... (or \"no-new-privileges\": true in daemon.json)");
    }

    private static Verdict health(Facts f, Container c) {
        List<String> test = Container.strings(c.config().path("Healthcheck").path("Test"));
        String status = c.inspect().path("State").path("Health").path("Status").asText("");
        if (test.isEmpty() || test.getFirst().equals("NONE")) {
            return Verdict.fail(test.isEmpty() ? "no health check (neither in the image nor --health-cmd)"
                : "health check disabled (--no-healthcheck or HEALTHCHECK NONE)",
                "docker run --health-cmd '<probe>' --health-interval 30s ... (or HEALTHCHECK in the image)");
        }
        return Verdict.pass("Healthcheck " + String.join(" ", test) + (status.isEmpty() ? "" : " (status " + status + ")"));
    }

    private static Verdict imagePinning(Facts f, Container c) {
        String ref = c.image();
        if (ref.contains("@sha256:")) return Verdict.pass("created from " + ref + " (pinned by digest)");
        String tag = ref.contains(":") && ref.lastIndexOf(':') > ref.lastIndexOf('/') ? ref.substring(ref.lastIndexOf(':') + 1) : "";
        if (ref.startsWith("sha256:")) return Verdict.pass("created from image id " + ref);
        return Verdict.review("created from " + ref + (tag.isEmpty() || tag.equals("latest")
                ? " (mutable 'latest' tag)" : " (tag '" + tag + "', mutable)") + "; confirm it was pulled fresh",
            "Refer to images by digest (image@sha256:...) and pull before run (docker run --pull always)");
    }

    // ------------------------------------------------------------------ 5.30, 5.32

    private static Verdict defaultBridge(Facts f, Container c) {
        String mode = c.hostConfigText("NetworkMode");
        Set<String> nets = new LinkedHashSet<>();
        c.inspect().path("NetworkSettings").path("Networks").fieldNames().forEachRemaining(nets::add);
        if (mode.equals("default") || mode.equals("bridge") || (nets.contains("bridge") && !mode.contains(":"))) {
            boolean exists = DaemonChecks.defaultBridge(f).isPresent();
            return Verdict.review("on the default bridge network (NetworkMode=" + mode + ")"
                    + (exists ? "" : "; the daemon has no default bridge now (--bridge=none): it cannot start as configured"),
                "docker network create app-net && docker network connect app-net " + c.name()
                    + " && docker network disconnect bridge " + c.name());
        }
        return Verdict.pass("NetworkMode=" + mode + (nets.isEmpty() ? "" : " (networks: " + String.join(", ", nets) + ")"));
    }

    private static Verdict dockerSocket(Facts f, Container c) throws Exception {
        Set<String> sockets = new LinkedHashSet<>();
        for (String s : FileChecks.dockerSockets(f)) sockets.add(normalise(s));
        sockets.add("/var/run/docker.sock");
        sockets.add("/run/docker.sock");
        List<String> hits = new ArrayList<>();
        for (JsonNode m : c.mounts()) {
            String src = normalise(m.path("Source").asText(""));
            String dst = m.path("Destination").asText("");
            if (sockets.contains(src) || src.endsWith("/docker.sock") || dst.endsWith("/docker.sock")) {
                hits.add(src + ":" + dst);
            }
        }
        if (hits.isEmpty()) return Verdict.pass("no Docker socket mounted");
        return Verdict.fail("Docker socket mounted: " + String.join(", ", hits) + ": the container controls the daemon "
            + "(root on the host)", "Recreate without -v " + hits.getFirst() + "; if it must talk to Docker, use an "
            + "authorization plugin or a restricted socket proxy");
    }
}
