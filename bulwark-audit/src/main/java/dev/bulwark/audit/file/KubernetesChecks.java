package dev.bulwark.audit.file;

import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Severity;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks on the pod specs of Kubernetes workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, Job, CronJob, PodTemplate; List items too) in one or more YAML documents: the pod's host
 * namespaces, hostPath volumes and service-account token, and for every container, init container and ephemeral
 * container its effective security context (the pod's settings inherited where the container sets none),
 * resources, image, host ports and literal secrets.
 */
final class KubernetesChecks {
    /** Kind → path from the object to its pod template (the object holding metadata and spec). */
    private static final Map<String, List<String>> TEMPLATE = Map.of(
            "Pod", List.of(),
            "Deployment", List.of("spec", "template"),
            "StatefulSet", List.of("spec", "template"),
            "DaemonSet", List.of("spec", "template"),
            "ReplicaSet", List.of("spec", "template"),
            "ReplicationController", List.of("spec", "template"),
            "Job", List.of("spec", "template"),
            "CronJob", List.of("spec", "jobTemplate", "spec", "template"),
            "PodTemplate", List.of("template"));

    private final String file;
    private final Results r;
    private final Set<String> quietServiceAccounts = new HashSet<>();
    private String workload;
    private Node spec;
    private Node podMeta;

    private KubernetesChecks(String file, Results r) {
        this.file = file;
        this.r = r;
    }

    /** Whether a document is a Kubernetes object (apiVersion and kind). */
    static boolean isObject(Node doc) {
        return Yamls.str(Yamls.get(doc, "apiVersion")) != null && Yamls.str(Yamls.get(doc, "kind")) != null;
    }

    static void run(String file, List<Node> docs, Results r) {
        KubernetesChecks k = new KubernetesChecks(file, r);
        List<Node> objects = new ArrayList<>();
        for (Node d : docs) {
            if (!isObject(d)) {
                if (Yamls.isMap(d)) r.warning(file + ":" + Yamls.line(d) + ": a YAML document without apiVersion and kind: skipped");
                continue;
            }
            if (Yamls.str(Yamls.get(d, "kind")).equals("List")) {
                for (Node item : Yamls.seq(Yamls.get(d, "items"))) {
                    if (isObject(item)) objects.add(item);
                }
            } else {
                objects.add(d);
            }
        }
        for (Node o : objects) {
            if ("ServiceAccount".equals(Yamls.str(Yamls.get(o, "kind")))
                    && Yamls.falsy(Yamls.str(Yamls.get(o, "automountServiceAccountToken")))) {
                k.quietServiceAccounts.add(namespace(o) + "/" + Yamls.str(Yamls.path(o, "metadata", "name")));
            }
        }
        int workloads = 0;
        for (Node o : objects) {
            String kind = Yamls.str(Yamls.get(o, "kind"));
            List<String> path = TEMPLATE.get(kind);
            if (path == null) continue;
            Node template = Yamls.path(o, path.toArray(String[]::new));
            Node spec = Yamls.get(template, "spec");
            if (spec == null || !Yamls.isMap(spec)) {
                r.warning(file + ":" + Yamls.line(o) + ": " + kind + " without a pod spec: skipped");
                continue;
            }
            workloads++;
            k.workload(kind, o, template, spec);
        }
        if (workloads == 0) r.warning(file + ": no workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob)");
    }

    private static String namespace(Node o) {
        String ns = Yamls.str(Yamls.path(o, "metadata", "namespace"));
        return ns == null ? "default" : ns;
    }

    private void workload(String kind, Node object, Node template, Node spec) {
        String name = Yamls.str(Yamls.path(object, "metadata", "name"));
        String ns = Yamls.str(Yamls.path(object, "metadata", "namespace"));
        this.workload = kind + " " + (ns != null ? ns + "/" : "") + (name == null ? "(unnamed)" : name);
        this.spec = spec;
        this.podMeta = Yamls.get(template, "metadata");
        hostNamespace("hostNetwork", Check.RT_HOST_NETWORK, "the node's network stack: the pod can bind node ports and"
                + " reach services listening on the node's localhost");
        hostNamespace("hostPID", Check.RT_HOST_PID, "the node's process namespace: the pod sees and can signal every"
                + " process on the node");
        hostNamespace("hostIPC", Check.RT_HOST_IPC, "the node's IPC namespace: shared memory of node processes is reachable");
        hostPaths();
        serviceAccountToken(namespace(object));
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (Node c : Yamls.seq(Yamls.get(spec, list))) {
                if (Yamls.isMap(c)) container(list, c);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private String ev(String s) {
        return workload + ": " + s;
    }

    private void add(Check c, AuditStatus st, Severity sev, Node at, String evidence, String fix) {
        r.add(c, st, sev, Yamls.line(at), Yamls.col(at), evidence, fix);
    }

    private static int line(Node n) {
        return Yamls.line(n);
    }

    // ---------------------------------------------------------------- pod level

    private void hostNamespace(String key, Check c, String why) {
        NodeTuple t = Yamls.entry(spec, key);
        if (t != null && Yamls.truthy(Yamls.str(t.getValueNode()))) {
            add(c, AuditStatus.FAIL, null, t.getKeyNode(), ev(key + ": true shares " + why),
                    "Replace line " + line(t.getKeyNode()) + " with:\n" + key + ": false");
        } else {
            add(c, AuditStatus.PASS, null, t != null ? t.getKeyNode() : spec, ev(key + (t != null ? ": "
                    + Yamls.str(t.getValueNode()) : " not set")), "");
        }
    }

    private void hostPaths() {
        boolean any = false;
        for (Node v : Yamls.seq(Yamls.get(spec, "volumes"))) {
            Node hp = Yamls.get(v, "hostPath");
            if (hp == null) continue;
            any = true;
            String volume = Yamls.str(Yamls.get(v, "name"));
            String path = Yamls.str(Yamls.get(hp, "path"));
            if (path == null) path = "";
            boolean readOnly = mountedReadOnlyEverywhere(volume);
            HostPaths.Kind k = HostPaths.classify(path, readOnly);
            Severity sev = switch (k) {
                case RUNTIME_SOCKET -> Severity.CRITICAL;
                case SENSITIVE_DIR -> Severity.HIGH;
                case UNDER_SENSITIVE -> readOnly ? Severity.MEDIUM : Severity.HIGH;
                case HARMLESS -> Severity.LOW;
                default -> readOnly ? Severity.LOW : Severity.MEDIUM;
            };
            String what = switch (k) {
                case RUNTIME_SOCKET -> "the container runtime's API socket: whoever holds it controls the node";
                case SENSITIVE_DIR -> "a sensitive node directory (CIS 5.5)";
                case UNDER_SENSITIVE -> "part of a sensitive node directory";
                default -> "a node path: the pod depends on the node and can read (or change) its files";
            };
            add(Check.K8S_HOSTPATH, k == HostPaths.Kind.HARMLESS ? AuditStatus.WARN : AuditStatus.FAIL, sev, v,
                    ev("volume \"" + volume + "\" is hostPath " + path + (readOnly ? " (mounted read-only)" : "")
                            + ": " + what), "Replace the volume (line " + line(v) + ") with one that is not on the node, e.g.:\n"
                            + "- name: " + volume + "\n  emptyDir: {}\n(a ConfigMap, Secret, PersistentVolumeClaim or CSI volume if"
                            + " the data must come from elsewhere" + (k == HostPaths.Kind.RUNTIME_SOCKET ? "; never the runtime socket" : "")
                            + "; if a hostPath is unavoidable, mount it with readOnly: true)");
        }
        if (!any) add(Check.K8S_HOSTPATH, AuditStatus.PASS, null, spec, ev("no hostPath volumes"), "");
    }

    private boolean mountedReadOnlyEverywhere(String volume) {
        boolean mounted = false;
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (Node c : Yamls.seq(Yamls.get(spec, list))) {
                for (Node m : Yamls.seq(Yamls.get(c, "volumeMounts"))) {
                    if (volume != null && volume.equals(Yamls.str(Yamls.get(m, "name")))) {
                        mounted = true;
                        if (!Yamls.truthy(Yamls.str(Yamls.get(m, "readOnly")))) return false;
                    }
                }
            }
        }
        return mounted;
    }

    private void serviceAccountToken(String namespace) {
        NodeTuple t = Yamls.entry(spec, "automountServiceAccountToken");
        String sa = Yamls.str(Yamls.get(spec, "serviceAccountName"));
        if (sa == null) sa = Yamls.str(Yamls.get(spec, "serviceAccount"));
        if (sa == null) sa = "default";
        if (t != null && Yamls.falsy(Yamls.str(t.getValueNode()))) {
            add(Check.K8S_SA_TOKEN, AuditStatus.PASS, null, t.getKeyNode(), ev("automountServiceAccountToken: false"), "");
        } else if (t == null && quietServiceAccounts.contains(namespace + "/" + sa)) {
            add(Check.K8S_SA_TOKEN, AuditStatus.PASS, null, spec, ev("service account " + sa
                    + " sets automountServiceAccountToken: false"), "");
        } else {
            add(Check.K8S_SA_TOKEN, AuditStatus.WARN, null, t != null ? t.getKeyNode() : spec,
                    ev("the token of service account " + sa + " is mounted into every container: anyone who takes"
                            + " over a container can call the API server with it"),
                    (t != null ? "Replace line " + line(t.getKeyNode()) + " with:\n" : "If the pod does not call the"
                            + " Kubernetes API, add to the pod spec (line " + line(spec) + "):\n") + "automountServiceAccountToken: false");
        }
    }

    // ---------------------------------------------------------------- containers

    /** A setting that applies to a container: where it was set ("container" or "pod") and its key node. */
    private record Setting(String value, Node key, String where) {
    }

    private Setting effective(Node csc, String key) {
        NodeTuple t = Yamls.entry(csc, key);
        if (t != null) return new Setting(Yamls.str(t.getValueNode()), t.getKeyNode(), "container");
        NodeTuple p = Yamls.entry(Yamls.get(spec, "securityContext"), key);
        if (p != null) return new Setting(Yamls.str(p.getValueNode()), p.getKeyNode(), "pod");
        return null;
    }

    private void container(String list, Node c) {
        String cname = Yamls.str(Yamls.get(c, "name"));
        String who = workload + ", " + switch (list) {
            case "initContainers" -> "init container";
            case "ephemeralContainers" -> "ephemeral container";
            default -> "container";
        } + " \"" + (cname == null ? "?" : cname) + "\"";
        NodeTuple nameEntry = Yamls.entry(c, "name");
        Node at = nameEntry != null ? nameEntry.getKeyNode() : c;
        NodeTuple scEntry = Yamls.entry(c, "securityContext");
        Node sc = scEntry == null ? null : scEntry.getValueNode();
        C ctx = new C(who, at, cname, sc, scEntry);

        runAsNonRoot(ctx);
        boolean privileged = privileged(ctx);
        readOnlyRoot(ctx);
        privilegeEscalation(ctx, privileged);
        capabilities(ctx);
        seccomp(ctx);
        appArmor(ctx);
        procMount(ctx);
        if (!list.equals("ephemeralContainers")) resources(ctx, c);
        image(ctx, c);
        hostPorts(ctx, c);
        env(ctx, c);
    }

    /** One container's context for its checks. */
    private record C(String who, Node at, String name, Node sc, NodeTuple scEntry) {
        String ev(String s) {
            return who + ": " + s;
        }

        /** "Add under the container's securityContext (line N):" or "Add to the container (line N):\nsecurityContext:". */
        String addToSc(String lines) {
            if (scEntry != null) {
                return "Add under securityContext (line " + Yamls.line(scEntry.getKeyNode()) + "):\n" + lines;
            }
            return "Add to container \"" + name + "\" (line " + Yamls.line(at) + "):\nsecurityContext:\n"
                    + lines.lines().map(l -> "  " + l).reduce((a, b) -> a + "\n" + b).orElse("");
        }
    }

    private void runAsNonRoot(C c) {
        Setting user = effective(c.sc(), "runAsUser");
        Setting nonRoot = effective(c.sc(), "runAsNonRoot");
        if (user != null && user.value() != null && user.value().strip().matches("0+")) {
            add(Check.RT_USER, AuditStatus.FAIL, null, user.key(), c.ev("runAsUser: 0 (" + user.where()
                    + " securityContext) runs it as root"), "Replace line " + line(user.key()) + " with:\nrunAsUser: 10001\nrunAsNonRoot: true");
        } else if (nonRoot != null && Yamls.truthy(nonRoot.value())) {
            add(Check.RT_USER, AuditStatus.PASS, null, nonRoot.key(), c.ev("runAsNonRoot: true (" + nonRoot.where()
                    + " securityContext)"), "");
        } else if (user != null && user.value() != null && user.value().strip().matches("\\d+")) {
            add(Check.RT_USER, AuditStatus.PASS, null, user.key(), c.ev("runAsUser: " + user.value() + " ("
                    + user.where() + " securityContext)"), "");
        } else {
            String why = nonRoot != null ? "runAsNonRoot: " + nonRoot.value() + " and no runAsUser"
                    : "neither runAsNonRoot nor runAsUser is set";
            add(Check.RT_USER, AuditStatus.FAIL, Severity.MEDIUM, nonRoot != null ? nonRoot.key() : c.at(),
                    c.ev(why + ": the image's USER decides, root unless the image sets another, and the kubelet does not refuse root"),
                    nonRoot != null ? "Replace line " + line(nonRoot.key()) + " with:\nrunAsNonRoot: true\nrunAsUser: 10001"
                            : c.addToSc("runAsNonRoot: true\nrunAsUser: 10001"));
        }
    }

    private boolean privileged(C c) {
        NodeTuple t = Yamls.entry(c.sc(), "privileged");
        if (t != null && Yamls.truthy(Yamls.str(t.getValueNode()))) {
            add(Check.RT_PRIVILEGED, AuditStatus.FAIL, null, t.getKeyNode(), c.ev("privileged: true gives it every"
                            + " capability and all of the node's devices"),
                    "Replace line " + line(t.getKeyNode()) + " with:\nprivileged: false\n(add only the capabilities it needs under capabilities.add)");
            return true;
        }
        add(Check.RT_PRIVILEGED, AuditStatus.PASS, null, t != null ? t.getKeyNode() : c.at(), c.ev("not privileged"), "");
        return false;
    }

    private void readOnlyRoot(C c) {
        NodeTuple t = Yamls.entry(c.sc(), "readOnlyRootFilesystem");
        if (t != null && Yamls.truthy(Yamls.str(t.getValueNode()))) {
            add(Check.RT_READ_ONLY, AuditStatus.PASS, null, t.getKeyNode(), c.ev("readOnlyRootFilesystem: true"), "");
            return;
        }
        add(Check.RT_READ_ONLY, AuditStatus.FAIL, null, t != null ? t.getKeyNode() : c.at(),
                c.ev((t == null ? "readOnlyRootFilesystem not set" : "readOnlyRootFilesystem: " + Yamls.str(t.getValueNode()))
                        + ": the root filesystem is writable, so an intruder can drop tools into it"),
                (t != null ? "Replace line " + line(t.getKeyNode()) + " with:\nreadOnlyRootFilesystem: true"
                        : c.addToSc("readOnlyRootFilesystem: true"))
                        + "\n(mount an emptyDir at each path it writes, e.g. /tmp)");
    }

    private void privilegeEscalation(C c, boolean privileged) {
        NodeTuple t = Yamls.entry(c.sc(), "allowPrivilegeEscalation");
        if (t != null && Yamls.falsy(Yamls.str(t.getValueNode())) && !privileged) {
            add(Check.RT_NO_NEW_PRIVILEGES, AuditStatus.PASS, null, t.getKeyNode(), c.ev("allowPrivilegeEscalation: false"), "");
            return;
        }
        add(Check.RT_NO_NEW_PRIVILEGES, AuditStatus.FAIL, null, t != null ? t.getKeyNode() : c.at(),
                c.ev((t == null ? "allowPrivilegeEscalation not set (it defaults to true)" : "allowPrivilegeEscalation: "
                        + Yamls.str(t.getValueNode())) + (privileged ? " and privileged" : "")
                        + ": setuid binaries can raise a process's privileges"),
                t != null ? "Replace line " + line(t.getKeyNode()) + " with:\nallowPrivilegeEscalation: false"
                        : c.addToSc("allowPrivilegeEscalation: false"));
    }

    private void capabilities(C c) {
        Node caps = Yamls.get(c.sc(), "capabilities");
        NodeTuple capsEntry = Yamls.entry(c.sc(), "capabilities");
        boolean bad = false;
        NodeTuple addEntry = Yamls.entry(caps, "add");
        if (addEntry != null) {
            for (Node n : Yamls.seq(addEntry.getValueNode())) {
                String cap = Yamls.str(n);
                if (cap == null) continue;
                String norm = Caps.normalize(cap);
                if (norm.equals("NET_BIND_SERVICE")) continue;
                bad = true;
                boolean dangerous = Caps.DANGEROUS.contains(norm);
                add(Check.RT_CAPS, AuditStatus.FAIL, dangerous ? Severity.HIGH : Severity.MEDIUM, n,
                        c.ev("capabilities.add " + cap + (dangerous ? " gives it a way to control the node or leave"
                                + " the container" : " adds a capability the restricted Pod Security Standard forbids")),
                        "Remove " + cap + " (line " + line(n) + ") from capabilities.add; keep only what it needs:\n"
                                + "capabilities:\n  drop: [\"ALL\"]\n  add: [\"NET_BIND_SERVICE\"]   # only if it binds ports below 1024");
            }
        }
        NodeTuple dropEntry = Yamls.entry(caps, "drop");
        boolean dropsAll = dropEntry != null && Yamls.seq(dropEntry.getValueNode()).stream().map(Yamls::str)
                .anyMatch(s -> s != null && Caps.normalize(s).equals("ALL"));
        if (!dropsAll) {
            bad = true;
            String fix = dropEntry != null ? "Replace capabilities.drop (line " + line(dropEntry.getKeyNode()) + ") with:\ndrop: [\"ALL\"]"
                    : capsEntry != null ? "Add under capabilities (line " + line(capsEntry.getKeyNode()) + "):\ndrop: [\"ALL\"]"
                    : c.addToSc("capabilities:\n  drop: [\"ALL\"]");
            add(Check.RT_CAPS, AuditStatus.FAIL, Severity.MEDIUM, dropEntry != null ? dropEntry.getKeyNode()
                    : capsEntry != null ? capsEntry.getKeyNode() : c.at(), c.ev((dropEntry == null ? "capabilities.drop"
                    + " not set" : "capabilities.drop without ALL") + ": it keeps the runtime's default capabilities"
                    + " (NET_RAW, DAC_OVERRIDE, SETUID...)"), fix);
        }
        if (!bad) add(Check.RT_CAPS, AuditStatus.PASS, null, dropEntry.getKeyNode(), c.ev("drops ALL capabilities"
                + (addEntry != null ? ", adds only NET_BIND_SERVICE" : "")), "");
    }

    private void seccomp(C c) {
        Setting s = null;
        NodeTuple t = Yamls.entry(Yamls.get(c.sc(), "seccompProfile"), "type");
        if (t != null) s = new Setting(Yamls.str(t.getValueNode()), t.getKeyNode(), "container");
        if (s == null) {
            NodeTuple p = Yamls.entry(Yamls.path(spec, "securityContext", "seccompProfile"), "type");
            if (p != null) s = new Setting(Yamls.str(p.getValueNode()), p.getKeyNode(), "pod");
        }
        if (s == null) s = annotation("container.seccomp.security.alpha.kubernetes.io/" + c.name(), "seccomp.security.alpha.kubernetes.io/pod");
        String v = s == null || s.value() == null ? null : s.value().strip().toLowerCase(Locale.ROOT);
        if (v != null && (v.equals("runtimedefault") || v.equals("localhost") || v.equals("runtime/default")
                || v.equals("docker/default") || v.startsWith("localhost/"))) {
            add(Check.RT_SECCOMP, AuditStatus.PASS, null, s.key(), c.ev("seccomp profile " + s.value() + " ("
                    + s.where() + ")"), "");
            return;
        }
        String fix = c.addToSc("seccompProfile:\n  type: RuntimeDefault") + "\n(or once for the whole pod under spec.securityContext)";
        if (v != null && v.equals("unconfined")) {
            add(Check.RT_SECCOMP, AuditStatus.FAIL, null, s.key(), c.ev("seccomp profile Unconfined (" + s.where()
                    + "): every system call reaches the node's kernel"), "Replace line " + line(s.key()) + " with:\n"
                    + (s.where().equals("annotation") ? "(remove the annotation and) " : "") + "type: RuntimeDefault");
        } else {
            add(Check.RT_SECCOMP, AuditStatus.FAIL, Severity.MEDIUM, c.at(), c.ev("no seccomp profile: the kubelet"
                    + " runs it Unconfined unless the node enables --seccomp-default"), fix);
        }
    }

    private Setting annotation(String containerKey, String podKey) {
        Node ann = Yamls.get(podMeta, "annotations");
        for (String k : new String[]{containerKey, podKey}) {
            if (k == null) continue;
            NodeTuple t = Yamls.entry(ann, k);
            if (t != null) return new Setting(Yamls.str(t.getValueNode()), t.getKeyNode(), "annotation");
        }
        return null;
    }

    private void appArmor(C c) {
        Setting s = null;
        NodeTuple t = Yamls.entry(Yamls.get(c.sc(), "appArmorProfile"), "type");
        if (t != null) s = new Setting(Yamls.str(t.getValueNode()), t.getKeyNode(), "container");
        if (s == null) {
            NodeTuple p = Yamls.entry(Yamls.path(spec, "securityContext", "appArmorProfile"), "type");
            if (p != null) s = new Setting(Yamls.str(p.getValueNode()), p.getKeyNode(), "pod");
        }
        if (s == null) s = annotation("container.apparmor.security.beta.kubernetes.io/" + c.name(), null);
        String v = s == null || s.value() == null ? null : s.value().strip().toLowerCase(Locale.ROOT);
        if (v != null && v.equals("unconfined")) {
            add(Check.RT_APPARMOR, AuditStatus.FAIL, null, s.key(), c.ev("AppArmor profile unconfined (" + s.where() + ")"),
                    "Replace line " + line(s.key()) + " with:\n" + (s.where().equals("annotation")
                            ? Yamls.str(s.key()) + ": runtime/default" : "type: RuntimeDefault"));
        } else {
            add(Check.RT_APPARMOR, AuditStatus.PASS, null, s != null ? s.key() : c.at(), c.ev(s != null
                    ? "AppArmor profile " + s.value() + " (" + s.where() + ")"
                    : "AppArmor not disabled (the runtime's default profile applies on AppArmor nodes)"), "");
        }
    }

    private void procMount(C c) {
        NodeTuple t = Yamls.entry(c.sc(), "procMount");
        if (t != null && "unmasked".equalsIgnoreCase(Yamls.str(t.getValueNode()))) {
            add(Check.K8S_PROC_MOUNT, AuditStatus.FAIL, null, t.getKeyNode(), c.ev("procMount: Unmasked exposes"
                    + " /proc paths the runtime normally hides (kernel memory, sysrq, timers)"),
                    "Replace line " + line(t.getKeyNode()) + " with:\nprocMount: Default");
        } else {
            add(Check.K8S_PROC_MOUNT, AuditStatus.PASS, null, t != null ? t.getKeyNode() : c.at(),
                    c.ev("procMount " + (t != null ? Yamls.str(t.getValueNode()) : "Default")), "");
        }
    }

    private void resources(C c, Node container) {
        Node limits = Yamls.path(container, "resources", "limits");
        NodeTuple resEntry = Yamls.entry(container, "resources");
        NodeTuple limEntry = Yamls.entry(Yamls.get(container, "resources"), "limits");
        for (String kind : List.of("memory", "cpu")) {
            Check check = kind.equals("memory") ? Check.RT_MEMORY : Check.RT_CPU;
            NodeTuple t = Yamls.entry(limits, kind);
            String v = t == null ? null : Yamls.str(t.getValueNode());
            if (v != null && !v.isBlank() && !v.strip().matches("0+")) {
                add(check, AuditStatus.PASS, null, t.getKeyNode(), c.ev("limits." + kind + ": " + v), "");
                continue;
            }
            String example = kind.equals("memory") ? "memory: 512Mi" : "cpu: 500m";
            String fix = limEntry != null ? "Add under limits (line " + line(limEntry.getKeyNode()) + "):\n" + example
                    : resEntry != null ? "Add under resources (line " + line(resEntry.getKeyNode()) + "):\nlimits:\n  " + example
                    : "Add to container \"" + c.name() + "\" (line " + line(c.at()) + "):\nresources:\n  requests:\n    "
                    + example + "\n  limits:\n    " + example;
            add(check, AuditStatus.FAIL, null, t != null ? t.getKeyNode() : c.at(), c.ev("no " + kind + " limit: it can take"
                    + (kind.equals("memory") ? " all of the node's memory and get other pods evicted" : " every CPU of the node")), fix
                    + "   # what it needs");
        }
    }

    private void image(C c, Node container) {
        NodeTuple t = Yamls.entry(container, "image");
        if (t == null) return;
        String image = Yamls.str(t.getValueNode());
        if (image == null) return;
        Images.Verdict v = Images.judge(image);
        if (v.status() == AuditStatus.PASS) {
            add(Check.K8S_IMAGE_DIGEST, AuditStatus.PASS, null, t.getKeyNode(), c.ev(v.evidence()), "");
        } else {
            add(Check.K8S_IMAGE_DIGEST, AuditStatus.FAIL, v.severity(), t.getKeyNode(), c.ev(v.evidence()),
                    "Replace line " + line(t.getKeyNode()) + " with:\nimage: " + v.pinned() + "\n(" + Images.howToResolve(image) + ")");
        }
    }

    private void hostPorts(C c, Node container) {
        boolean bad = false;
        for (Node p : Yamls.seq(Yamls.get(container, "ports"))) {
            NodeTuple hp = Yamls.entry(p, "hostPort");
            String v = hp == null ? null : Yamls.str(hp.getValueNode());
            if (v == null || !v.strip().matches("\\d{1,5}")) continue;
            int port = Integer.parseInt(v.strip());
            if (port <= 0 || port >= 1024) continue;
            bad = true;
            add(Check.RT_PRIVILEGED_PORT, AuditStatus.FAIL, null, hp.getKeyNode(), c.ev("hostPort " + port
                    + " binds a privileged port on the node"), "Remove hostPort (line " + line(hp.getKeyNode())
                    + ") and expose the port through a Service; if a node port is unavoidable:\nhostPort: " + (port + 8000));
        }
        if (!bad) add(Check.RT_PRIVILEGED_PORT, AuditStatus.PASS, null, c.at(), c.ev("no privileged host ports"), "");
    }

    private void env(C c, Node container) {
        boolean any = false;
        for (Node e : Yamls.seq(Yamls.get(container, "env"))) {
            String name = Yamls.str(Yamls.get(e, "name"));
            NodeTuple vt = Yamls.entry(e, "value");
            String value = vt == null ? null : Yamls.str(vt.getValueNode());
            if (name == null || value == null || value.isBlank()) continue;
            List<Secrets.Match> shapes = Secrets.find(value);
            boolean reference = value.matches("\\$\\([A-Za-z_][A-Za-z0-9_]*\\)");
            if (shapes.isEmpty() && (!Secrets.isSecretName(name) || reference)) continue;
            any = true;
            String secret = (c.name() == null ? "app" : c.name()) + "-secrets";
            add(Check.K8S_ENV_SECRET, AuditStatus.FAIL, shapes.isEmpty() ? Severity.HIGH : Severity.CRITICAL, vt.getKeyNode(),
                    c.ev("env " + name + " holds " + (shapes.isEmpty() ? "a literal secret " : "what looks like "
                            + shapes.get(0).kind() + " ") + Secrets.redact(value) + " in the manifest"),
                    "Replace the value (line " + line(vt.getKeyNode()) + ") with a reference to a Secret:\n"
                            + "- name: " + name + "\n  valueFrom:\n    secretKeyRef:\n      name: " + secret + "\n      key: "
                            + name.toLowerCase(Locale.ROOT).replace('_', '-') + "\n(create it outside the manifest: kubectl create secret generic "
                            + secret + " --from-literal=" + name.toLowerCase(Locale.ROOT).replace('_', '-') + "=...)");
        }
        if (!any) add(Check.K8S_ENV_SECRET, AuditStatus.PASS, null, c.at(), c.ev("no literal secrets in env"), "");
    }
}
