package dev.bulwark.audit.file;

import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Severity;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CIS section 5 runtime checks (and 4.1) on each service of a Compose file, with the line and column of the
 * setting that decided (or of the service when a setting is missing). Values are interpolated with their defaults
 * ({@code ${PRIVILEGED:-false}}); a value that depends on a variable without a default is reported as WARN (a human must confirm what the variable will be).
 */
final class ComposeChecks {
    private static final Pattern PORT = Pattern.compile(
            "(?:(\\[[^]]*]|[^:\\[]*):)??(?:(\\d*(?:-\\d+)?):)?(\\d+(?:-\\d+)?)(?:/(tcp|udp|sctp))?");
    private static final Pattern RANGE = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");
    private static final Pattern ON_FAILURE = Pattern.compile("on-failure(?::(\\d+))?");

    private final String file;
    private final Results r;
    private String service;
    private Node svc;
    private NodeTuple svcEntry;

    private ComposeChecks(String file, Results r) {
        this.file = file;
        this.r = r;
    }

    static void run(String file, Node root, Results r) throws AuditException {
        Node services = Yamls.get(root, "services");
        if (services == null || !Yamls.isMap(services)) {
            if (services == null && Yamls.get(root, "version") != null) {
                throw AuditException.at(file, Yamls.line(root), "has no services: mapping (Compose file format 1,"
                        + " with services at the top level, is not supported: move them under services:)");
            }
            throw AuditException.at(file, services == null ? Yamls.line(root) : Yamls.line(services),
                    "has no services: mapping: not a Compose file");
        }
        ComposeChecks c = new ComposeChecks(file, r);
        if (Yamls.entries(services).isEmpty()) r.warning(file + ": no services defined");
        for (NodeTuple t : Yamls.entries(services)) {
            String name = Yamls.str(t.getKeyNode());
            if (name == null) continue;
            if (!Yamls.isMap(t.getValueNode())) {
                r.warning(file + ":" + Yamls.line(t.getKeyNode()) + ": service \"" + name + "\" is not a mapping: not audited");
                continue;
            }
            c.service(name, t);
        }
    }

    private void service(String name, NodeTuple entry) {
        this.service = name;
        this.svc = entry.getValueNode();
        this.svcEntry = entry;
        if (Yamls.get(svc, "extends") != null) {
            r.warning(file + ":" + Yamls.line(Yamls.entry(svc, "extends").getKeyNode()) + ": service \"" + name
                    + "\" extends another service: settings it inherits are not audited");
        }
        user();
        securityOpts();
        capabilities();
        privileged();
        volumes();
        ports();
        namespace("network_mode", Check.RT_HOST_NETWORK, "the host's network stack: the service can bind any host"
                + " port and reach services listening on localhost", "Remove network_mode: host and publish the ports"
                + " the service serves:\nports:\n  - \"127.0.0.1:8080:8080\"");
        namespace("pid", Check.RT_HOST_PID, "the host's process namespace: the service sees and can signal every"
                + " host process", "Remove pid: host (line %d)");
        namespace("ipc", Check.RT_HOST_IPC, "the host's IPC namespace: shared memory of host processes is"
                + " reachable", "Remove ipc: host (line %d); share IPC with one service if needed: ipc: \"service:<name>\"");
        namespace("uts", Check.RT_HOST_UTS, "the host's UTS namespace: the service can change the host's hostname",
                "Remove uts: host (line %d)");
        namespace("userns_mode", Check.RT_HOST_USERNS, "the host's user namespace: root in the container is root on"
                + " the host even where the daemon remaps users", "Remove userns_mode: host (line %d)");
        memory();
        cpu();
        readOnly();
        restart();
        devices();
        health();
        pids();
        image();
        environment();
    }

    // ---------------------------------------------------------------- helpers

    private String ev(String s) {
        return "service \"" + service + "\": " + s;
    }

    private int line(Node n) {
        return Yamls.line(n);
    }

    private int svcLine() {
        return Yamls.line(svcEntry.getKeyNode());
    }

    private int svcCol() {
        return Yamls.col(svcEntry.getKeyNode());
    }

    /** A scalar interpolated with defaults; null when missing or not a scalar. */
    private static Vars.Expanded value(Node n) {
        String s = Yamls.str(n);
        return s == null ? null : Vars.compose(s);
    }

    private static String text(Node n) {
        Vars.Expanded e = value(n);
        return e == null ? null : e.value();
    }

    private void fail(Check c, Severity sev, NodeTuple at, String evidence, String fix) {
        Node k = at == null ? svcEntry.getKeyNode() : at.getKeyNode();
        r.add(c, AuditStatus.FAIL, sev, Yamls.line(k), Yamls.col(k), ev(evidence), fix);
    }

    private void failAt(Check c, Severity sev, Node n, String evidence, String fix) {
        r.add(c, AuditStatus.FAIL, sev, Yamls.line(n), Yamls.col(n), ev(evidence), fix);
    }

    private void review(Check c, Severity sev, Node n, String evidence, String fix) {
        Node k = n == null ? svcEntry.getKeyNode() : n;
        r.add(c, AuditStatus.WARN, sev, Yamls.line(k), Yamls.col(k), ev(evidence), fix);
    }

    private void pass(Check c, Node n, String evidence) {
        Node k = n == null ? svcEntry.getKeyNode() : n;
        r.pass(c, Yamls.line(k), Yamls.col(k), ev(evidence));
    }

    // ---------------------------------------------------------------- 4.1 user

    private void user() {
        NodeTuple t = Yamls.entry(svc, "user");
        if (t == null) {
            review(Check.RT_USER, Severity.MEDIUM, null, "no user: set: the image's USER decides, which is root unless"
                    + " the image sets another", "Add to service \"" + service + "\" (line " + svcLine() + "):\nuser: \"10001:10001\"");
            return;
        }
        Vars.Expanded v = value(t.getValueNode());
        String u = v == null ? "" : v.value().strip();
        String name = u.contains(":") ? u.substring(0, u.indexOf(':')) : u;
        if (v == null || !v.complete()) {
            review(Check.RT_USER, Severity.MEDIUM, t.getKeyNode(), "user: " + Yamls.str(t.getValueNode())
                    + " depends on a variable without a default", "Give it a non-root default:\nuser: \"${APP_USER:-10001:10001}\"");
        } else if (name.equals("root") || name.matches("0+") || name.isEmpty()) {
            fail(Check.RT_USER, null, t, "user: " + u + " runs the service as root",
                    "Replace line " + line(t.getKeyNode()) + " with:\nuser: \"10001:10001\"");
        } else {
            pass(Check.RT_USER, t.getKeyNode(), "runs as user " + u);
        }
    }

    // ---------------------------------------------------------------- security_opt: 5.1, 5.2, 5.21, 5.25

    private void securityOpts() {
        NodeTuple t = Yamls.entry(svc, "security_opt");
        List<Node> opts = t == null ? List.of() : Yamls.seq(t.getValueNode());
        boolean apparmor = false;
        boolean selinux = false;
        boolean seccomp = false;
        Node nnp = null;
        Boolean nnpValue = null;
        for (Node o : opts) {
            String s = text(o);
            if (s == null) continue;
            String norm = s.strip().toLowerCase(Locale.ROOT).replace('=', ':');
            if (norm.equals("apparmor:unconfined")) {
                apparmor = true;
                failAt(Check.RT_APPARMOR, null, o, "security_opt " + s + " runs the service without an AppArmor profile",
                        "Remove \"" + s + "\" (line " + line(o) + ") from security_opt: Docker then applies docker-default");
            } else if (norm.equals("label:disable")) {
                selinux = true;
                failAt(Check.RT_SELINUX, null, o, "security_opt " + s + " turns SELinux labelling off for the service",
                        "Remove \"" + s + "\" (line " + line(o) + ") from security_opt");
            } else if (norm.equals("seccomp:unconfined")) {
                seccomp = true;
                failAt(Check.RT_SECCOMP, null, o, "security_opt " + s + " turns the seccomp filter off: every system"
                        + " call reaches the host kernel", "Remove \"" + s + "\" (line " + line(o) + ") from security_opt;"
                        + " if the default profile blocks a call the service needs, give a custom profile:\n  - seccomp:./seccomp.json");
            } else if (norm.startsWith("no-new-privileges")) {
                nnp = o;
                String rest = norm.substring("no-new-privileges".length());
                nnpValue = rest.isEmpty() || rest.equals(":true") || rest.equals(":1");
            }
        }
        if (!apparmor) pass(Check.RT_APPARMOR, t == null ? null : t.getKeyNode(), "AppArmor not disabled (docker-default applies where AppArmor is enabled)");
        if (!selinux) pass(Check.RT_SELINUX, t == null ? null : t.getKeyNode(), "SELinux labelling not disabled");
        if (!seccomp) pass(Check.RT_SECCOMP, t == null ? null : t.getKeyNode(), "seccomp not disabled (Docker's default profile applies)");
        if (Boolean.TRUE.equals(nnpValue)) {
            pass(Check.RT_NO_NEW_PRIVILEGES, nnp, "security_opt " + Yamls.str(nnp));
        } else if (nnp != null) {
            failAt(Check.RT_NO_NEW_PRIVILEGES, null, nnp, "security_opt " + Yamls.str(nnp) + " lets processes gain"
                    + " privileges through setuid binaries", "Replace line " + line(nnp) + " with:\n  - no-new-privileges:true");
        } else if (t != null) {
            fail(Check.RT_NO_NEW_PRIVILEGES, null, t, "security_opt lacks no-new-privileges: setuid binaries can raise"
                    + " a process's privileges", "Add to security_opt (line " + line(t.getKeyNode()) + "):\n  - no-new-privileges:true");
        } else {
            fail(Check.RT_NO_NEW_PRIVILEGES, null, null, "no security_opt no-new-privileges: setuid binaries can raise"
                    + " a process's privileges", "Add to service \"" + service + "\":\nsecurity_opt:\n  - no-new-privileges:true");
        }
    }

    // ---------------------------------------------------------------- 5.3 capabilities

    private void capabilities() {
        NodeTuple add = Yamls.entry(svc, "cap_add");
        NodeTuple drop = Yamls.entry(svc, "cap_drop");
        boolean bad = false;
        if (add != null) {
            for (Node c : Yamls.seq(add.getValueNode())) {
                String cap = text(c);
                if (cap == null) continue;
                String n = Caps.normalize(cap);
                if (Caps.DOCKER_DEFAULT.contains(n)) continue;
                bad = true;
                boolean dangerous = Caps.DANGEROUS.contains(n);
                failAt(Check.RT_CAPS, dangerous ? Severity.HIGH : Severity.MEDIUM, c, "cap_add " + cap
                                + (dangerous ? " gives the service a way to control the host or leave the container"
                                : " adds a capability Docker does not grant by default"),
                        "Remove " + cap + " from cap_add (line " + line(c) + "); grant only what the service needs:\n"
                                + "cap_drop:\n  - ALL\ncap_add:\n  - NET_BIND_SERVICE   # for example: only the capabilities it uses");
            }
        }
        boolean dropsAll = drop != null && Yamls.seq(drop.getValueNode()).stream().map(ComposeChecks::text)
                .anyMatch(s -> s != null && Caps.normalize(s).equals("ALL"));
        if (!dropsAll) {
            bad = true;
            fail(Check.RT_CAPS, Severity.LOW, drop, (drop == null ? "no cap_drop" : "cap_drop without ALL")
                            + ": the service keeps Docker's default capabilities (NET_RAW, DAC_OVERRIDE, SETUID...)",
                    drop == null ? "Add to service \"" + service + "\":\ncap_drop:\n  - ALL" : "Replace the cap_drop list (line "
                            + line(drop.getKeyNode()) + ") with:\ncap_drop:\n  - ALL");
        }
        if (!bad) pass(Check.RT_CAPS, drop.getKeyNode(), "cap_drop ALL and no capabilities beyond Docker's defaults added");
    }

    // ---------------------------------------------------------------- 5.4 privileged

    private void privileged() {
        NodeTuple t = Yamls.entry(svc, "privileged");
        Vars.Expanded v = t == null ? null : value(t.getValueNode());
        if (v != null && Yamls.truthy(v.value())) {
            fail(Check.RT_PRIVILEGED, null, t, "privileged: " + Yamls.str(t.getValueNode()) + " gives the service every"
                    + " capability and all host devices, and turns off AppArmor, seccomp and the read-only /sys",
                    "Replace line " + line(t.getKeyNode()) + " with:\nprivileged: false\n(add only the capabilities the service"
                            + " needs under cap_add, and the devices under devices)");
        } else if (v != null && !v.complete()) {
            review(Check.RT_PRIVILEGED, null, t.getKeyNode(), "privileged: " + Yamls.str(t.getValueNode())
                    + " depends on a variable without a default", "Replace line " + line(t.getKeyNode()) + " with:\nprivileged: false");
        } else {
            pass(Check.RT_PRIVILEGED, t == null ? null : t.getKeyNode(), "not privileged");
        }
    }

    // ---------------------------------------------------------------- volumes: 5.5, 5.19, 5.31

    private record Mount(Node node, String source, String target, boolean readOnly, String propagation, boolean bind) {
    }

    private List<Mount> mounts() {
        List<Mount> out = new ArrayList<>();
        NodeTuple t = Yamls.entry(svc, "volumes");
        if (t == null) return out;
        for (Node v : Yamls.seq(t.getValueNode())) {
            if (Yamls.isMap(v)) {
                String type = text(Yamls.get(v, "type"));
                String src = text(Yamls.get(v, "source"));
                String dst = text(Yamls.get(v, "target"));
                boolean ro = Yamls.truthy(text(Yamls.get(v, "read_only")));
                String prop = text(Yamls.path(v, "bind", "propagation"));
                boolean bind = "bind".equals(type) || (type == null && src != null && isHostPath(src));
                out.add(new Mount(v, src, dst == null ? "" : dst, ro, prop, bind));
                continue;
            }
            String s = text(v);
            if (s == null) continue;
            String[] parts = s.split(":", -1);
            if (parts.length < 2) continue;
            String src = parts[0];
            String dst = parts[1];
            boolean ro = false;
            String prop = null;
            if (parts.length >= 3) {
                for (String o : parts[2].split(",")) {
                    String opt = o.strip().toLowerCase(Locale.ROOT);
                    if (opt.equals("ro")) ro = true;
                    if (opt.matches("r?shared|r?slave|r?private")) prop = opt;
                }
            }
            out.add(new Mount(v, src, dst, ro, prop, isHostPath(src)));
        }
        return out;
    }

    private static boolean isHostPath(String src) {
        return src.startsWith("/") || src.startsWith(".") || src.startsWith("~");
    }

    private void volumes() {
        boolean sensitive = false;
        boolean socket = false;
        boolean propagation = false;
        for (Mount m : mounts()) {
            String shown = m.source() + ":" + m.target() + (m.readOnly() ? ":ro" : "");
            if (m.propagation() != null && m.propagation().endsWith("shared")) {
                propagation = true;
                failAt(Check.RT_PROPAGATION, null, m.node(), "volume " + shown + " uses " + m.propagation()
                        + " mount propagation: mounts made in the container appear on the host",
                        "Replace line " + line(m.node()) + " with:\n  - " + m.source() + ":" + m.target()
                                + (m.readOnly() ? ":ro" : "") + "\n(the default propagation, rprivate)");
            }
            if (!m.bind() || m.source() == null || !m.source().startsWith("/")) continue;
            HostPaths.Kind k = HostPaths.classify(m.source(), m.readOnly());
            switch (k) {
                case RUNTIME_SOCKET -> {
                    socket = true;
                    failAt(Check.RT_DOCKER_SOCKET, null, m.node(), "volume " + shown + " gives the service the container"
                                    + " runtime's API socket: it can start a privileged container and own the host"
                                    + (m.readOnly() ? " (:ro does not stop API calls)" : ""),
                            "Remove the mount at line " + line(m.node()) + ". If the service must talk to Docker, give it a"
                                    + " filtering proxy (for example tecnativa/docker-socket-proxy allowing only the API"
                                    + " calls it needs) on an internal network instead of the socket");
                }
                case SENSITIVE_DIR -> {
                    sensitive = true;
                    failAt(Check.RT_SENSITIVE_MOUNT, m.readOnly() ? Severity.MEDIUM : Severity.HIGH, m.node(),
                            "volume " + shown + " mounts the host's " + HostPaths.normalize(m.source())
                                    + (m.readOnly() ? " (read-only)" : " read-write"),
                            "Mount only the file or directory the service needs, read-only, e.g.:\n  - "
                                    + HostPaths.normalize(m.source()).replaceAll("/$", "") + "/<what it needs>:"
                                    + m.target().replaceAll("/$", "") + "/<what it needs>:ro");
                }
                case UNDER_SENSITIVE -> {
                    sensitive = true;
                    if (m.readOnly()) {
                        review(Check.RT_SENSITIVE_MOUNT, Severity.LOW, m.node(), "volume " + shown
                                + " mounts part of a sensitive host directory read-only: check that it is needed", "");
                    } else {
                        failAt(Check.RT_SENSITIVE_MOUNT, Severity.MEDIUM, m.node(), "volume " + shown
                                + " mounts part of a sensitive host directory read-write",
                                "Replace line " + line(m.node()) + " with:\n  - " + m.source() + ":" + m.target() + ":ro");
                    }
                }
                default -> {
                }
            }
        }
        NodeTuple t = Yamls.entry(svc, "volumes");
        Node at = t == null ? null : t.getKeyNode();
        if (!sensitive) pass(Check.RT_SENSITIVE_MOUNT, at, "no sensitive host directory mounted");
        if (!socket) pass(Check.RT_DOCKER_SOCKET, at, "no container runtime socket mounted");
        if (!propagation) pass(Check.RT_PROPAGATION, at, "no shared mount propagation");
    }

    // ---------------------------------------------------------------- ports: 5.7, 5.13

    private record Port(Node node, String ip, int hostLo, int hostHi, String container, String proto) {
    }

    private List<Port> portsOf() {
        List<Port> out = new ArrayList<>();
        NodeTuple t = Yamls.entry(svc, "ports");
        if (t == null) return out;
        for (Node p : Yamls.seq(t.getValueNode())) {
            if (Yamls.isMap(p)) {
                String published = text(Yamls.get(p, "published"));
                String ip = text(Yamls.get(p, "host_ip"));
                String target = text(Yamls.get(p, "target"));
                String proto = text(Yamls.get(p, "protocol"));
                int[] range = range(published);
                out.add(new Port(p, ip, range[0], range[1], target, proto));
                continue;
            }
            String s = text(p);
            if (s == null) continue;
            Matcher m = PORT.matcher(s.strip());
            if (!m.matches()) continue;
            String ip = m.group(1);
            if (ip != null && ip.startsWith("[")) ip = ip.substring(1, ip.length() - 1);
            int[] range = range(m.group(2));
            out.add(new Port(p, ip == null || ip.isEmpty() ? null : ip, range[0], range[1], m.group(3), m.group(4)));
        }
        return out;
    }

    private static int[] range(String s) {
        if (s == null || s.isBlank()) return new int[]{-1, -1};
        Matcher m = RANGE.matcher(s.strip());
        if (!m.matches()) return new int[]{-1, -1};
        int lo = Integer.parseInt(m.group(1));
        return new int[]{lo, m.group(2) != null ? Integer.parseInt(m.group(2)) : lo};
    }

    private void ports() {
        List<Port> ports = portsOf();
        boolean privileged = false;
        boolean unbound = false;
        for (Port p : ports) {
            String host = p.hostLo() < 0 ? "" : p.hostLo() == p.hostHi() ? String.valueOf(p.hostLo()) : p.hostLo() + "-" + p.hostHi();
            String proto = p.proto() == null ? "" : "/" + p.proto();
            String ip = p.ip() == null ? "" : (p.ip().contains(":") ? "[" + p.ip() + "]" : p.ip()) + ":";
            String shown = ip + (host.isEmpty() ? "" : host + ":") + p.container() + proto;
            if (p.hostLo() > 0 && p.hostLo() < 1024) {
                privileged = true;
                int alt = p.hostLo() + 8000;
                failAt(Check.RT_PRIVILEGED_PORT, null, p.node(), "port " + shown + " maps to the privileged host port "
                        + p.hostLo(), "Replace line " + line(p.node()) + " with:\n  - \"" + ip + alt
                        + (p.hostHi() != p.hostLo() ? "-" + (p.hostHi() + 8000) : "") + ":" + p.container() + proto + "\"");
            }
            boolean allInterfaces = p.ip() == null || p.ip().equals("0.0.0.0") || p.ip().equals("::");
            if (allInterfaces) {
                unbound = true;
                failAt(Check.RT_BIND_INTERFACE, null, p.node(), "port " + shown + " is published on every host interface",
                        "Replace line " + line(p.node()) + " with:\n  - \"127.0.0.1:" + (host.isEmpty() ? "" : host + ":")
                                + p.container() + proto + "\"\n(or the address of the one interface that should receive the traffic)");
            }
        }
        NodeTuple t = Yamls.entry(svc, "ports");
        Node at = t == null ? null : t.getKeyNode();
        if (!privileged) pass(Check.RT_PRIVILEGED_PORT, at, ports.isEmpty() ? "no ports published" : "no privileged host ports");
        if (!unbound) pass(Check.RT_BIND_INTERFACE, at, ports.isEmpty() ? "no ports published" : "every published port is bound to an address");
    }

    // ---------------------------------------------------------------- namespaces: 5.9, 5.15, 5.16, 5.20, 5.30

    private void namespace(String key, Check c, String why, String fix) {
        NodeTuple t = Yamls.entry(svc, key);
        String v = t == null ? null : text(t.getValueNode());
        if (v != null && v.strip().equalsIgnoreCase("host")) {
            fail(c, null, t, key + ": host shares " + why, String.format(fix, line(t.getKeyNode())));
        } else {
            pass(c, t == null ? null : t.getKeyNode(), v == null ? key + " not set" : key + ": " + v);
        }
    }

    // ---------------------------------------------------------------- limits: 5.10, 5.11, 5.28

    private void memory() {
        NodeTuple mem = Yamls.entry(svc, "mem_limit");
        Node deploy = Yamls.path(svc, "deploy", "resources", "limits", "memory");
        String v = mem != null ? text(mem.getValueNode()) : text(deploy);
        if (v != null && !v.isBlank() && !v.strip().matches("0+|-1")) {
            pass(Check.RT_MEMORY, mem != null ? mem.getKeyNode() : deploy, "memory limited to " + v);
            return;
        }
        fail(Check.RT_MEMORY, null, mem, (v == null ? "no memory limit" : "memory limit " + v + " means none")
                + ": one service can take all of the host's memory", mem != null
                ? "Replace line " + line(mem.getKeyNode()) + " with:\nmem_limit: 512m   # what the service needs"
                : "Add to service \"" + service + "\":\n"
                + "deploy:\n  resources:\n    limits:\n      memory: 512M   # what the service needs\n(or mem_limit: 512m)");
    }

    private void cpu() {
        for (String k : List.of("cpus", "cpu_shares", "cpu_quota")) {
            NodeTuple t = Yamls.entry(svc, k);
            String v = t == null ? null : text(t.getValueNode());
            if (v != null && !v.isBlank() && !v.strip().matches("0+(\\.0+)?|-1")) {
                pass(Check.RT_CPU, t.getKeyNode(), k + ": " + v);
                return;
            }
        }
        Node d = Yamls.path(svc, "deploy", "resources", "limits", "cpus");
        String v = text(d);
        if (v != null && !v.isBlank() && !v.strip().matches("0+(\\.0+)?")) {
            pass(Check.RT_CPU, d, "deploy.resources.limits.cpus: " + v);
            return;
        }
        fail(Check.RT_CPU, null, null, "no CPU limit or shares: one service can starve the others", "Add to service \""
                + service + "\":\ndeploy:\n  resources:\n    limits:\n      cpus: \"1.0\"   # what the service needs\n(or cpus: 1.0)");
    }

    private void pids() {
        NodeTuple t = Yamls.entry(svc, "pids_limit");
        Node d = Yamls.path(svc, "deploy", "resources", "limits", "pids");
        String v = t != null ? text(t.getValueNode()) : text(d);
        if (v != null && v.strip().matches("[1-9]\\d*")) {
            pass(Check.RT_PIDS, t != null ? t.getKeyNode() : d, "at most " + v.strip() + " processes");
            return;
        }
        fail(Check.RT_PIDS, null, t, (v == null ? "no pids_limit" : "pids_limit " + v + " means none")
                + ": a fork bomb in the service can exhaust the host's process table", t != null
                ? "Replace line " + line(t.getKeyNode()) + " with:\npids_limit: 200"
                : "Add to service \"" + service + "\":\npids_limit: 200   # above the most processes the service runs");
    }

    // ---------------------------------------------------------------- 5.12 read-only root

    private void readOnly() {
        NodeTuple t = Yamls.entry(svc, "read_only");
        String v = t == null ? null : text(t.getValueNode());
        if (Yamls.truthy(v)) {
            pass(Check.RT_READ_ONLY, t.getKeyNode(), "read_only: " + v);
            return;
        }
        fail(Check.RT_READ_ONLY, null, t, t == null ? "no read_only: the root filesystem is writable"
                : "read_only: " + v + ": the root filesystem is writable", (t == null ? "Add to service \"" + service + "\":\n"
                : "Replace line " + line(t.getKeyNode()) + " with:\n") + "read_only: true\ntmpfs:\n  - /tmp   # and any other path the service writes");
    }

    // ---------------------------------------------------------------- 5.14 restart

    private void restart() {
        NodeTuple t = Yamls.entry(svc, "restart");
        Node policy = Yamls.path(svc, "deploy", "restart_policy");
        if (t == null && policy != null && Yamls.isMap(policy)) {
            String cond = text(Yamls.get(policy, "condition"));
            String max = text(Yamls.get(policy, "max_attempts"));
            String c = cond == null ? "any" : cond.strip().toLowerCase(Locale.ROOT);
            String fix = "Replace deploy.restart_policy (line " + line(policy) + ") with:\nrestart_policy:\n  condition: on-failure\n  max_attempts: 5";
            if (c.equals("none")) {
                pass(Check.RT_RESTART, policy, "deploy.restart_policy.condition: none");
            } else if (max != null && max.strip().matches("\\d+") && Integer.parseInt(max.strip()) <= 5 && Integer.parseInt(max.strip()) > 0) {
                pass(Check.RT_RESTART, policy, "restart_policy condition " + c + ", at most " + max.strip() + " attempts");
            } else {
                r.add(Check.RT_RESTART, c.equals("any") ? AuditStatus.WARN : AuditStatus.FAIL, null, line(policy), Yamls.col(policy),
                        ev("deploy.restart_policy condition " + c + (max == null ? " without max_attempts" : " with max_attempts " + max)
                                + ": a crashing service restarts forever"), fix);
            }
            return;
        }
        String v = t == null ? null : text(t.getValueNode());
        if (v == null || v.strip().equals("no") || v.strip().equals("\"no\"")) {
            pass(Check.RT_RESTART, t == null ? null : t.getKeyNode(), v == null ? "no restart policy" : "restart: no");
            return;
        }
        String s = v.strip().toLowerCase(Locale.ROOT);
        String fix = "Replace line " + line(t.getKeyNode()) + " with:\nrestart: on-failure:5";
        Matcher m = ON_FAILURE.matcher(s);
        if (m.matches()) {
            if (m.group(1) != null && Integer.parseInt(m.group(1)) <= 5 && Integer.parseInt(m.group(1)) > 0) {
                pass(Check.RT_RESTART, t.getKeyNode(), "restart: " + v);
            } else {
                fail(Check.RT_RESTART, null, t, "restart: " + v + (m.group(1) == null ? " retries without limit"
                        : " allows more than 5 retries"), fix);
            }
        } else if (s.equals("always") || s.equals("unless-stopped")) {
            review(Check.RT_RESTART, null, t.getKeyNode(), "restart: " + v + " restarts a crashing service forever"
                    + " (a crash loop can hide an attack or exhaust the host)", fix);
        } else {
            fail(Check.RT_RESTART, null, t, "restart: " + v + " is not a restart policy Docker knows", fix);
        }
    }

    // ---------------------------------------------------------------- 5.17 devices

    private void devices() {
        NodeTuple t = Yamls.entry(svc, "devices");
        NodeTuple rules = Yamls.entry(svc, "device_cgroup_rules");
        boolean any = false;
        if (t != null) {
            for (Node d : Yamls.seq(t.getValueNode())) {
                String s = Yamls.isMap(d) ? text(Yamls.get(d, "source")) : text(d);
                if (s == null) continue;
                any = true;
                String[] p = s.split(":");
                boolean readOnly = p.length >= 3 && !p[2].contains("w") && !p[2].contains("m");
                failAt(Check.RT_DEVICES, readOnly ? Severity.LOW : Severity.MEDIUM, d, "device " + s
                                + " gives the service direct access to host hardware" + (readOnly ? " (read-only)" : ""),
                        "Remove the device (line " + line(d) + ") if the service can do without it; otherwise allow only reading:\n  - \""
                                + p[0] + ":" + (p.length >= 2 ? p[1] : p[0]) + ":r\"");
            }
        }
        if (rules != null && !Yamls.seq(rules.getValueNode()).isEmpty()) {
            any = true;
            fail(Check.RT_DEVICES, null, rules, "device_cgroup_rules lets the service use host devices it creates",
                    "Remove device_cgroup_rules (line " + line(rules.getKeyNode()) + ") or narrow each rule to one device and r access");
        }
        if (!any) pass(Check.RT_DEVICES, null, "no host devices");
    }

    // ---------------------------------------------------------------- 5.26 healthcheck

    private void health() {
        NodeTuple t = Yamls.entry(svc, "healthcheck");
        if (t == null) {
            review(Check.RT_HEALTH, null, null, "no healthcheck: only the image's HEALTHCHECK, if it has one, applies",
                    "Add to service \"" + service + "\":\nhealthcheck:\n  test: [\"CMD\", \"curl\", \"-fsS\", \"http://127.0.0.1:8080/\"]"
                            + "\n  interval: 30s\n  timeout: 5s\n  retries: 3");
            return;
        }
        Node h = t.getValueNode();
        boolean disabled = Yamls.truthy(text(Yamls.get(h, "disable")));
        Node test = Yamls.get(h, "test");
        String first = test == null ? null : Yamls.seq(test).isEmpty() ? text(test) : text(Yamls.seq(test).get(0));
        if (disabled || (first != null && first.strip().equalsIgnoreCase("NONE"))) {
            fail(Check.RT_HEALTH, null, t, "healthcheck disabled: Docker cannot tell a hung service from a healthy one",
                    "Replace the healthcheck (line " + line(t.getKeyNode()) + ") with:\nhealthcheck:\n  test: [\"CMD\", \"curl\", \"-fsS\","
                            + " \"http://127.0.0.1:8080/\"]\n  interval: 30s\n  timeout: 5s\n  retries: 3");
        } else {
            pass(Check.RT_HEALTH, t.getKeyNode(), "healthcheck " + (first == null ? "set" : "test " + String.join(" ",
                    Yamls.seq(test).isEmpty() ? List.of(first) : Yamls.seq(test).stream().map(ComposeChecks::text).toList())));
        }
    }

    // ---------------------------------------------------------------- image digest

    private void image() {
        NodeTuple t = Yamls.entry(svc, "image");
        boolean build = Yamls.get(svc, "build") != null;
        if (t == null) {
            r.add(Check.COMPOSE_IMAGE_DIGEST, AuditStatus.INFO, null, svcLine(), svcCol(), ev("built from build:, no image"
                    + " to pin here: audit its Dockerfile"), "");
            return;
        }
        Vars.Expanded v = value(t.getValueNode());
        if (v == null || !v.complete()) {
            review(Check.COMPOSE_IMAGE_DIGEST, null, t.getKeyNode(), "image: " + Yamls.str(t.getValueNode())
                    + " depends on a variable without a default", "image: <image>:<tag>@sha256:<digest>");
            return;
        }
        if (build) {
            r.add(Check.COMPOSE_IMAGE_DIGEST, AuditStatus.INFO, null, line(t.getKeyNode()), Yamls.col(t.getKeyNode()),
                    ev("image: " + v.value() + " names what build: produces: audit its Dockerfile"), "");
            return;
        }
        Images.Verdict verdict = Images.judge(v.value());
        if (verdict.status() == AuditStatus.PASS) {
            pass(Check.COMPOSE_IMAGE_DIGEST, t.getKeyNode(), verdict.evidence());
        } else {
            r.add(Check.COMPOSE_IMAGE_DIGEST, AuditStatus.FAIL, verdict.severity(), line(t.getKeyNode()),
                    Yamls.col(t.getKeyNode()), ev(verdict.evidence()), "Replace line " + line(t.getKeyNode())
                            + " with:\nimage: " + verdict.pinned() + "\n(" + Images.howToResolve(v.value()) + ")");
        }
    }

    // ---------------------------------------------------------------- secrets in environment and build args

    private void environment() {
        boolean any = false;
        any |= envEntries(Yamls.get(svc, "environment"), "environment");
        any |= envEntries(Yamls.path(svc, "build", "args"), "build arg");
        if (!any) pass(Check.COMPOSE_ENV_SECRET, null, "no secrets in environment or build args");
    }

    private boolean envEntries(Node env, String what) {
        if (env == null) return false;
        List<Object[]> pairs = new ArrayList<>();
        if (Yamls.isMap(env)) {
            for (NodeTuple t : Yamls.entries(env)) pairs.add(new Object[]{Yamls.str(t.getKeyNode()), Yamls.str(t.getValueNode()), t.getKeyNode()});
        } else {
            for (Node n : Yamls.seq(env)) {
                String s = Yamls.str(n);
                if (s == null) continue;
                int eq = s.indexOf('=');
                pairs.add(new Object[]{eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1), n});
            }
        }
        boolean any = false;
        for (Object[] p : pairs) {
            String name = (String) p[0];
            String raw = (String) p[1];
            Node at = (Node) p[2];
            if (name == null || raw == null || raw.isBlank()) continue;
            List<Secrets.Match> shapes = Secrets.find(raw);
            boolean interpolated = raw.contains("$") && !raw.contains("$$");
            if (shapes.isEmpty() && (!Secrets.isSecretName(name) || interpolated)) continue;
            any = true;
            String id = name.toLowerCase(Locale.ROOT);
            String fix = what.equals("environment")
                    ? "Remove " + name + " (line " + line(at) + ") and give it as a Compose secret:\n"
                    + "services:\n  " + service + ":\n    secrets:\n      - " + id + "\n    environment:\n      " + name
                    + "_FILE: /run/secrets/" + id + "   # if the image reads *_FILE; else read /run/secrets/" + id + "\n"
                    + "secrets:\n  " + id + ":\n    file: ./" + id + ".txt   # kept out of version control"
                    + "\n(or, at the least, take it from the environment: " + name + ": ${" + name + "})"
                    : "Remove the build arg " + name + " (line " + line(at) + "); pass it as a build secret:\n"
                    + "build:\n  secrets:\n    - " + id + "\n(and in the Dockerfile: RUN --mount=type=secret,id=" + id + ",env=" + name + " ...)";
            failAt(Check.COMPOSE_ENV_SECRET, shapes.isEmpty() ? Severity.HIGH : Severity.CRITICAL, at,
                    what + " " + name + " holds " + (shapes.isEmpty() ? "a literal secret " : "what looks like "
                            + shapes.get(0).kind() + " ") + Secrets.redact(raw) + " written into the file", fix);
        }
        return any;
    }
}
