package dev.bulwark.harden.settings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.image.ImageRunConfig;
import dev.bulwark.model.ImageInfo;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Hardened settings for an image, and their renderings. The choices (docs/harden.md says why each):
 * a non-root user (the image's own USER when it names one, else 65534:65534, "nobody"); a read-only root with tmpfs
 * only where the image declares it writes (its VOLUMEs) plus /tmp and /run, the two directories nearly every
 * program writes; every capability dropped, NET_BIND_SERVICE back only for an exposed port below 1024; no new
 * privileges; seccomp; memory, CPU and pids limits; restart on-failure:5; no host namespaces; and no network at all
 * unless the image exposes a port, then a private bridge with the ports published on 127.0.0.1 only.
 */
public final class Hardening {
    /** Used when the image runs as root or names no user: "nobody" on Debian, Alpine and distroless. */
    public static final String FALLBACK_USER = "65534:65534";
    public static final long DEFAULT_MEMORY = 512L << 20;
    public static final double DEFAULT_CPUS = 1.0;
    public static final int DEFAULT_PIDS = 256;
    public static final String RESTART = "on-failure:5";
    private static final List<String> ALWAYS_TMPFS = List.of("/tmp", "/run");
    /** Only `harden -f json` needs it; `bulwark run` uses this class too, and a mapper costs it ~50 ms to make. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /**
     * What the caller may choose; null fields take the defaults.
     *
     * @param seccomp "default", "unconfined" or a profile file (a learned profile)
     * @param tmpfs   extra writable paths (e.g. found by a learn run)
     */
    public record Overrides(String user, Long memoryBytes, Double cpus, Integer pidsLimit, String seccomp, String apparmor,
                            List<String> tmpfs, List<String> capAdd) {
        public static Overrides none() {
            return new Overrides(null, null, null, null, null, null, List.of(), List.of());
        }
    }

    private Hardening() {}

    /** The hardened settings for an image; {@code image} is the reference to print. */
    public static HardenedSettings settings(String image, ImageRunConfig config, Overrides o) {
        List<String> notes = new ArrayList<>();
        String user = o.user();
        if (user == null) {
            String u = config.user().strip();
            String name = u.contains(":") ? u.substring(0, u.indexOf(':')) : u;
            if (u.isEmpty() || name.equals("root") || name.matches("0+")) {
                user = FALLBACK_USER;
                notes.add("the image runs as " + (u.isEmpty() ? "root (no USER)" : "root (USER " + u + ")") + ": run as "
                        + FALLBACK_USER + " (nobody); give --user if the program needs its own account");
            } else {
                user = u;
                if (HardenedSettings.numeric(name) < 0)
                    notes.add("USER " + u + " is a name: Kubernetes' runAsNonRoot cannot check a name, give --user UID:GID");
            }
        }
        Set<String> tmpfs = new LinkedHashSet<>(ALWAYS_TMPFS);
        tmpfs.addAll(config.volumes());
        if (o.tmpfs() != null) tmpfs.addAll(o.tmpfs());
        if (!config.volumes().isEmpty())
            notes.add("VOLUME " + String.join(" ", config.volumes()) + ": writable tmpfs here; mount a named volume instead when the data must persist");
        Set<String> caps = new LinkedHashSet<>();
        List<String> ports = config.exposedPorts();
        for (String p : ports) {
            int n = port(p);
            if (n > 0 && n < 1024) caps.add("NET_BIND_SERVICE");
        }
        if (caps.contains("NET_BIND_SERVICE"))
            notes.add("a port below 1024 is exposed: NET_BIND_SERVICE kept to bind it as non-root; published on host port + 8000");
        if (o.capAdd() != null) o.capAdd().forEach(c -> caps.add(c.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "")));
        if (!config.complete())
            notes.add("the image has no config document (a root filesystem): VOLUMEs unknown");
        String seccomp = o.seccomp() == null ? "default" : o.seccomp();
        return new HardenedSettings(image, user, true, List.copyOf(tmpfs), List.copyOf(caps), seccomp,
                o.apparmor(), o.memoryBytes() == null ? DEFAULT_MEMORY : o.memoryBytes(), o.cpus() == null ? DEFAULT_CPUS : o.cpus(),
                o.pidsLimit() == null ? DEFAULT_PIDS : o.pidsLimit(), RESTART, ports, config.healthcheck(), notes);
    }

    /** A valid reference for an image that has no name (an OCI layout's ref.name is only a tag). */
    public static final String UNNAMED = "localhost/image";

    /**
     * The reference to print for an image: {@code name}, else its first tag, pinned by the manifest digest when
     * known. A bare tag (an OCI layout's ref.name) goes on {@link #UNNAMED}, so the reference stays valid.
     */
    public static String reference(ImageInfo info, String name) {
        String base = name != null ? name : !info.repoTags().isEmpty() ? info.repoTags().get(0) : UNNAMED;
        if (base.contains("@")) return base;
        if (!base.contains(":") && !base.contains("/") && !base.equals(UNNAMED)) base = UNNAMED + ":" + base;
        return info.manifestDigest() == null ? base : base + "@" + info.manifestDigest();
    }

    static int port(String exposed) {
        String n = exposed.contains("/") ? exposed.substring(0, exposed.indexOf('/')) : exposed;
        try {
            return Integer.parseInt(n.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The host side of a published port: a privileged port (below 1024) moves up by 8000 (CIS 5.7). */
    static int hostPort(String exposed) {
        int p = port(exposed);
        return p > 0 && p < 1024 ? p + 8000 : p;
    }

    static String proto(String exposed) {
        return exposed.contains("/") ? exposed.substring(exposed.indexOf('/') + 1) : "tcp";
    }

    // ------------------------------------------------------------------ renderings

    /** {@code docker run} flags, one per line, ending with the image. */
    public static String dockerRun(HardenedSettings s) {
        List<String> f = new ArrayList<>();
        f.add("docker run");
        f.add("--user " + s.user());
        f.add("--read-only");
        for (String t : s.tmpfs()) f.add("--tmpfs " + t + ":rw,noexec,nosuid,nodev,size=64m");
        f.add("--cap-drop ALL");
        for (String c : s.capAdd()) f.add("--cap-add " + c);
        f.add("--security-opt no-new-privileges:true");
        f.add("--security-opt seccomp=" + s.seccomp());
        if (!s.apparmor().isEmpty()) f.add("--security-opt apparmor=" + s.apparmor());
        f.add("--memory " + mem(s.memoryBytes()));
        f.add("--memory-swap " + mem(s.memoryBytes()));
        f.add("--cpus " + cpus(s.cpus()));
        f.add("--pids-limit " + s.pidsLimit());
        f.add("--restart " + s.restart());
        if (s.networkNone()) f.add("--network none");
        for (String p : s.ports()) f.add("-p 127.0.0.1:" + hostPort(p) + ":" + port(p) + "/" + proto(p));
        if (!s.healthcheck()) f.add("--health-cmd 'CMD-TO-CHECK'   # the image has no HEALTHCHECK: add one");
        f.add(s.image());
        return String.join(" \\\n  ", f) + "\n";
    }

    /** A Compose service named {@code service}. */
    public static String compose(HardenedSettings s, String service) {
        StringBuilder b = new StringBuilder();
        b.append("services:\n  ").append(yamlKey(service)).append(":\n");
        String i = "    ";
        b.append(i).append("image: ").append(q(s.image())).append('\n');
        b.append(i).append("user: ").append(q(s.user())).append('\n');
        b.append(i).append("read_only: true\n");
        b.append(i).append("tmpfs:\n");
        for (String t : s.tmpfs()) b.append(i).append("  - ").append(q(t + ":rw,noexec,nosuid,nodev,size=64m")).append('\n');
        b.append(i).append("cap_drop:\n").append(i).append("  - ALL\n");
        if (!s.capAdd().isEmpty()) {
            b.append(i).append("cap_add:\n");
            for (String c : s.capAdd()) b.append(i).append("  - ").append(c).append('\n');
        }
        b.append(i).append("security_opt:\n");
        b.append(i).append("  - \"no-new-privileges:true\"\n");
        b.append(i).append("  - ").append(q("seccomp=" + s.seccomp())).append('\n');
        if (!s.apparmor().isEmpty()) b.append(i).append("  - ").append(q("apparmor=" + s.apparmor())).append('\n');
        b.append(i).append("mem_limit: ").append(mem(s.memoryBytes())).append('\n');
        b.append(i).append("memswap_limit: ").append(mem(s.memoryBytes())).append('\n');
        b.append(i).append("cpus: ").append(q(cpus(s.cpus()))).append('\n');
        b.append(i).append("pids_limit: ").append(s.pidsLimit()).append('\n');
        b.append(i).append("restart: ").append(q(s.restart())).append('\n');
        if (s.networkNone()) {
            b.append(i).append("network_mode: \"none\"\n");
        } else {
            b.append(i).append("networks:\n").append(i).append("  - private\n");
            b.append(i).append("ports:\n");
            for (String p : s.ports())
                b.append(i).append("  - ").append(q("127.0.0.1:" + hostPort(p) + ":" + port(p) + "/" + proto(p))).append('\n');
        }
        if (!s.healthcheck()) {
            b.append(i).append("healthcheck:   # the image has no HEALTHCHECK: replace the test with the program's own check\n");
            b.append(i).append("  test: [\"CMD\", \"true\"]\n").append(i).append("  interval: 30s\n")
                    .append(i).append("  timeout: 5s\n").append(i).append("  retries: 3\n");
        }
        if (!s.networkNone()) b.append("networks:\n  private:\n    internal: false\n");
        return b.toString();
    }

    /** A Kubernetes Pod with one container: the securityContext, resources and read-only root with emptyDirs. */
    public static String kubernetes(HardenedSettings s, String name) {
        String n = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (n.isEmpty()) n = "app";
        long uid = s.uid() > 0 ? s.uid() : 65534;
        long gid = s.gid() > 0 ? s.gid() : uid;
        StringBuilder b = new StringBuilder();
        b.append("apiVersion: v1\nkind: Pod\nmetadata:\n  name: ").append(n).append('\n');
        b.append("spec:\n");
        b.append("  automountServiceAccountToken: false\n");
        b.append("  hostNetwork: false\n  hostPID: false\n  hostIPC: false\n");
        b.append("  securityContext:\n    runAsNonRoot: true\n    runAsUser: ").append(uid).append("\n    runAsGroup: ").append(gid)
                .append("\n    fsGroup: ").append(gid).append('\n');
        seccompK8s(b, s, "    ");
        b.append("  containers:\n    - name: ").append(n).append('\n');
        b.append("      image: ").append(q(s.image())).append('\n');
        b.append("      securityContext:\n");
        b.append("        runAsNonRoot: true\n        runAsUser: ").append(uid).append("\n        runAsGroup: ").append(gid).append('\n');
        b.append("        readOnlyRootFilesystem: true\n        allowPrivilegeEscalation: false\n        privileged: false\n");
        b.append("        capabilities:\n          drop: [\"ALL\"]\n");
        if (!s.capAdd().isEmpty()) b.append("          add: [").append(String.join(", ", s.capAdd().stream().map(Hardening::q).toList())).append("]\n");
        seccompK8s(b, s, "        ");
        if (!s.apparmor().isEmpty())
            b.append("        appArmorProfile:\n          type: Localhost\n          localhostProfile: ").append(q(s.apparmor())).append('\n');
        b.append("      resources:\n");
        for (String kind : List.of("limits", "requests")) {
            b.append("        ").append(kind).append(":\n          memory: ").append(q(k8sMem(s.memoryBytes())))
                    .append("\n          cpu: ").append(q(cpus(s.cpus()))).append('\n');
        }
        if (!s.ports().isEmpty()) {
            b.append("      ports:\n");
            for (String p : s.ports())
                b.append("        - containerPort: ").append(port(p)).append("\n          protocol: ").append(proto(p).toUpperCase(Locale.ROOT)).append('\n');
        }
        if (!s.healthcheck()) {
            b.append("      livenessProbe:   # the image has no HEALTHCHECK: replace with the program's own check\n")
                    .append("        exec:\n          command: [\"true\"]\n        periodSeconds: 30\n");
        }
        b.append("      volumeMounts:\n");
        for (int k = 0; k < s.tmpfs().size(); k++)
            b.append("        - name: tmp-").append(k).append("\n          mountPath: ").append(q(s.tmpfs().get(k))).append('\n');
        b.append("  volumes:\n");
        for (int k = 0; k < s.tmpfs().size(); k++)
            b.append("    - name: tmp-").append(k).append("\n      emptyDir:\n        medium: Memory\n        sizeLimit: 64Mi\n");
        b.append("  restartPolicy: OnFailure   # the kubelet backs off; Docker's on-failure:5 count has no Pod field\n");
        return b.toString();
    }

    private static void seccompK8s(StringBuilder b, HardenedSettings s, String ind) {
        b.append(ind).append("seccompProfile:\n");
        if (s.seccomp().equals("default") || s.seccomp().equals("unconfined")) {
            // unconfined is never rendered as Unconfined: the pod falls back to the runtime's default
            b.append(ind).append("  type: RuntimeDefault\n");
        } else {
            String file = s.seccomp().replaceAll(".*/", "");
            b.append(ind).append("  type: Localhost\n").append(ind).append("  localhostProfile: ").append(q("bulwark/" + file)).append('\n');
        }
    }

    /** The settings as JSON (what `bulwark harden -f json` prints). */
    public static String json(HardenedSettings s) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("image", s.image());
        o.put("user", s.user());
        o.put("readOnlyRootFilesystem", s.readOnlyRoot());
        ArrayNode t = o.putArray("tmpfs");
        s.tmpfs().forEach(t::add);
        o.putArray("capDrop").add("ALL");
        ArrayNode c = o.putArray("capAdd");
        s.capAdd().forEach(c::add);
        o.put("noNewPrivileges", true);
        o.put("seccomp", s.seccomp());
        if (!s.apparmor().isEmpty()) o.put("apparmor", s.apparmor());
        o.put("memoryBytes", s.memoryBytes());
        o.put("cpus", s.cpus());
        o.put("pidsLimit", s.pidsLimit());
        o.put("restart", s.restart());
        o.put("network", s.networkNone() ? "none" : "private");
        ArrayNode p = o.putArray("ports");
        s.ports().forEach(p::add);
        o.put("userNamespace", true);
        o.put("hostNamespaces", false);
        ArrayNode nt = o.putArray("notes");
        s.notes().forEach(nt::add);
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String mem(long bytes) {
        if (bytes % (1L << 30) == 0) return (bytes >> 30) + "g";
        if (bytes % (1L << 20) == 0) return (bytes >> 20) + "m";
        if (bytes % (1L << 10) == 0) return (bytes >> 10) + "k";
        return Long.toString(bytes);
    }

    static String k8sMem(long bytes) {
        if (bytes % (1L << 30) == 0) return (bytes >> 30) + "Gi";
        if (bytes % (1L << 20) == 0) return (bytes >> 20) + "Mi";
        if (bytes % (1L << 10) == 0) return (bytes >> 10) + "Ki";
        return Long.toString(bytes);
    }

    static String cpus(double c) {
        return c == Math.rint(c) ? String.format(Locale.ROOT, "%.1f", c) : String.format(Locale.ROOT, "%s", c);
    }

    /** A YAML double-quoted scalar. */
    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') b.append('\\').append(ch);
            else if (ch < 0x20 || ch == 0x7f) b.append(String.format("\\x%02x", (int) ch));
            else b.append(ch);
        }
        return b.append('"').toString();
    }

    private static String yamlKey(String s) {
        String k = s.replaceAll("[^A-Za-z0-9_.-]", "-");
        return k.isEmpty() ? "app" : k;
    }

    /** Parses "512m", "1g", "100000" (bytes), as docker run's --memory does. */
    public static long parseMemory(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith("b")) t = t.substring(0, t.length() - 1);
        long mult = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> mult = 1L << 10;
                case 'm' -> mult = 1L << 20;
                case 'g' -> mult = 1L << 30;
                default -> mult = 1;
            }
            if (mult != 1) t = t.substring(0, t.length() - 1);
        }
        long v;
        try {
            v = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a memory size: " + s + " (e.g. 512m, 1g)");
        }
        if (v <= 0 || v > (1L << 50) / mult) throw new IllegalArgumentException("memory size out of range: " + s);
        long bytes = v * mult;
        if (bytes < 6L << 20) throw new IllegalArgumentException("memory limit " + s + " is below runc's minimum of 6m");
        return bytes;
    }
}
