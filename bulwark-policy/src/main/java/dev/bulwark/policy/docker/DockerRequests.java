package dev.bulwark.policy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.model.ImageRef;
import dev.bulwark.policy.Fields;
import dev.bulwark.policy.PolicyRequest;
import dev.bulwark.policy.RequestException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Decodes a Docker API call, as dockerd hands it to an authorization plugin, into the {@link PolicyRequest} rules
 * judge: the action of its endpoint ({@link Routes}), and for the calls that can hurt the host (container create,
 * exec, update, image pull and push, build, volume create, service create) the fields of its body and query under
 * the names of {@link Fields}. Host paths are normalised and their symlinks resolved on this host.
 * <p>
 * What cannot be decoded is a {@link RequestException}, never a guess: the caller denies (fail closed). That
 * includes a missing or empty body where the endpoint needs one (the CVE-2024-41110 class: dockerd once passed a
 * create to the plugin without its body), a body over {@link #MAX_BODY}, JSON that is malformed or ambiguous.
 */
public final class DockerRequests {
    /** Bodies larger than this are refused (dockerd itself passes at most 1 MiB to plugins). */
    public static final int MAX_BODY = 1 << 20;
    private static final Set<String> NEEDS_BODY = Set.of("container.create", "container.exec", "container.update",
            "volume.create", "swarm.service.create", "swarm.service.update");
    private static final Pattern IMAGE_ID = Pattern.compile("sha256:[0-9a-f]{64}|[0-9a-f]{1,64}");

    private DockerRequests() {
    }

    /** Decodes with no group mapping (the policy maps groups itself when it has a {@code groups:} section). */
    public static PolicyRequest decode(DockerApiRequest request) throws RequestException {
        return decode(request, u -> List.of());
    }

    /**
     * @param groups the groups of a user (the certificate's CN), e.g. {@code policy::groupsOf}
     */
    public static PolicyRequest decode(DockerApiRequest request, Function<String, List<String>> groups) throws RequestException {
        String where = request.method() + " " + clip(request.uri());
        String path = Routes.path(request.uri());
        if (path == null) throw new RequestException(where, "request URI cannot be decoded");
        String method = request.method().toUpperCase(Locale.ROOT);
        Routes.Match match = Routes.match(method, path);
        String action = match.action();
        Map<String, String> query = query(request.uri(), where);

        Map<String, Object> o = new HashMap<>();
        o.put(Fields.METHOD, method);
        o.put(Fields.PATH, path);
        o.put(Fields.QUERY, query);

        byte[] body = request.body();
        if (body != null && body.length > MAX_BODY) {
            throw new RequestException(where, "body of " + body.length + " bytes is larger than the " + (MAX_BODY >> 20) + " MiB limit");
        }
        boolean needsBody = NEEDS_BODY.contains(action);
        if (needsBody && (body == null || body.length == 0 || isBlank(body))) {
            throw new RequestException(where, "no request body where " + action + " needs one; cannot be judged (denied)");
        }
        ObjectNode json = null;
        if (body != null && body.length > 0 && (needsBody || isJson(request))) {
            try {
                json = Bodies.object(body);
            } catch (IllegalArgumentException e) {
                throw new RequestException(where, e.getMessage());
            }
            o.put(Fields.BODY, Bodies.lazyPlain(json));
        }
        try {
            switch (action) {
                case "container.create" -> containerCreate(json, query, o);
                case "container.exec" -> {
                    o.put(Fields.CONTAINER, match.target());
                    if (path.startsWith("/containers/")) {
                        o.put(Fields.RUN_AS_USER, Bodies.str(json, "User"));
                        o.put(Fields.PRIVILEGED, Bodies.bool(json, "Privileged"));
                        o.put(Fields.CMD, Bodies.strings(json, "Cmd", true));
                        o.put(Fields.ENV, Bodies.strings(json, "Env", false));
                    }
                }
                case "container.update" -> {
                    o.put(Fields.CONTAINER, match.target());
                    resources(json, o);
                }
                case "image.pull" -> action = imageCreate(query, o, where);
                case "image.push" -> image(match.target(), query.getOrDefault("tag", ""), o, where);
                case "image.tag" -> {
                    o.put(Fields.NAME, match.target());
                    String repo = query.getOrDefault("repo", "");
                    if (!repo.isEmpty()) image(repo, query.getOrDefault("tag", ""), o, where);
                }
                case "image.commit" -> {
                    o.put(Fields.CONTAINER, query.getOrDefault("container", ""));
                    String repo = query.getOrDefault("repo", "");
                    if (!repo.isEmpty()) image(repo, query.getOrDefault("tag", ""), o, where);
                }
                case "image.build" -> {
                    o.put(Fields.TAGS, queryAll(request.uri(), "t"));
                    o.put(Fields.NETWORK_MODE, query.getOrDefault("networkmode", ""));
                }
                case "volume.create" -> volumeCreate(json, o, where);
                case "network.create" -> {
                    o.put(Fields.NAME, Bodies.str(json, "Name"));
                    o.put(Fields.DRIVER, Bodies.str(json, "Driver"));
                }
                case "plugin.install", "plugin.upgrade" -> o.put(Fields.NAME, query.getOrDefault("remote", match.target()));
                case "swarm.service.create", "swarm.service.update" -> service(json, o, where);
                default -> {
                    if (!match.target().isEmpty()) {
                        o.put(action.startsWith("container.") ? Fields.CONTAINER : Fields.NAME, match.target());
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new RequestException(where, e.getMessage());
        }
        String user = request.user();
        return new PolicyRequest(PolicyRequest.DOCKER, user, groups == null ? List.of() : groups.apply(user), action,
                java.util.Collections.unmodifiableMap(o));
    }

    private static void containerCreate(JsonNode body, Map<String, String> query, Map<String, Object> o) throws RequestException {
        o.put(Fields.NAME, query.getOrDefault("name", ""));
        String image = Bodies.str(body, "Image");
        if (image.isEmpty()) throw new IllegalArgumentException("container create without an Image");
        image(image, "", o, "Image");
        o.put(Fields.RUN_AS_USER, Bodies.str(body, "User"));
        o.put(Fields.ENV, Bodies.strings(body, "Env", false));
        o.put(Fields.CMD, Bodies.strings(body, "Cmd", true));
        o.put(Fields.ENTRYPOINT, Bodies.strings(body, "Entrypoint", true));
        // dockerd before 25 (ContainerConfigWrapper) also reads host config fields from the top level of the body:
        // with no HostConfig object they are the host config ({"Image":"x","Privileged":true} is privileged); with
        // one, it wins, but Memory and CpuShares still come from the top level when it leaves them at 0.
        JsonNode inner = Bodies.get(body, "HostConfig");
        if (inner != null && !inner.isObject()) throw new IllegalArgumentException("HostConfig must be an object");
        JsonNode hc = inner == null ? body : inner;
        o.put(Fields.PRIVILEGED, Bodies.bool(hc, "Privileged"));
        o.put(Fields.CAP_ADD, caps(Bodies.strings(hc, "CapAdd", false)));
        o.put(Fields.CAP_DROP, caps(Bodies.strings(hc, "CapDrop", false)));
        o.put(Fields.NETWORK_MODE, Bodies.str(hc, "NetworkMode"));
        o.put(Fields.PID_MODE, Bodies.str(hc, "PidMode"));
        o.put(Fields.IPC_MODE, Bodies.str(hc, "IpcMode"));
        o.put(Fields.UTS_MODE, Bodies.str(hc, "UTSMode"));
        o.put(Fields.USERNS_MODE, Bodies.str(hc, "UsernsMode"));
        o.put(Fields.CGROUPNS_MODE, Bodies.str(hc, "CgroupnsMode"));
        o.put(Fields.READONLY_ROOTFS, Bodies.bool(hc, "ReadonlyRootfs"));
        List<String> secOpts = Bodies.strings(hc, "SecurityOpt", false);
        o.put(Fields.SECURITY_OPT, secOpts);
        securityOpts(secOpts, o);
        List<String> devices = new ArrayList<>();
        for (JsonNode d : Bodies.array(hc, "Devices")) {
            String p = Bodies.str(d, "PathOnHost");
            String n = HostPaths.normalise(p);
            devices.add(n == null ? p : n);
        }
        o.put(Fields.DEVICES, devices);
        List<Map<String, Object>> mounts = new ArrayList<>();
        Set<String> hostPaths = new LinkedHashSet<>();
        for (String bind : Bodies.strings(hc, "Binds", false)) {
            String src = bind.split(":", -1)[0];
            String[] parts = bind.split(":", -1);
            boolean ro = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
            Map<String, Object> m = new LinkedHashMap<>();
            if (src.startsWith("/")) {
                String resolved = resolve(src);
                hostPaths.add(resolved);
                m.put("type", "bind");
                m.put("source", resolved);
            } else {
                m.put("type", "volume");
                m.put("source", src);
            }
            m.put("target", parts.length > 1 ? parts[1] : "");
            m.put("readOnly", ro);
            mounts.add(m);
        }
        for (JsonNode mn : Bodies.array(hc, "Mounts")) mounts.add(mount(mn, hostPaths));
        o.put(Fields.MOUNTS, mounts);
        o.put(Fields.HOST_PATHS, List.copyOf(hostPaths));
        resources(hc, o);
        if (inner != null) {
            if (Bodies.integer(inner, "Memory") == 0) o.put(Fields.MEMORY, Bodies.integer(body, "Memory"));
            if (Bodies.integer(inner, "CpuShares") == 0) o.put(Fields.CPU_SHARES, Bodies.integer(body, "CpuShares"));
        }
        List<String> ulimits = new ArrayList<>();
        for (JsonNode u : Bodies.array(hc, "Ulimits")) {
            ulimits.add(Bodies.str(u, "Name") + "=" + Bodies.integer(u, "Soft") + ":" + Bodies.integer(u, "Hard"));
        }
        o.put(Fields.ULIMITS, ulimits);
    }

    /** One entry of HostConfig.Mounts (or a service's Mounts): binds and local volumes bound to a host path. */
    private static Map<String, Object> mount(JsonNode mn, Set<String> hostPaths) throws RequestException {
        String type = Bodies.str(mn, "Type").toLowerCase(Locale.ROOT);
        String source = Bodies.str(mn, "Source");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        if (type.equals("bind")) {
            source = resolve(source);
            hostPaths.add(source);
        } else if (type.equals("volume")) {
            JsonNode opts = Bodies.get(Bodies.get(Bodies.get(mn, "VolumeOptions"), "DriverConfig"), "Options");
            String device = Bodies.str(opts, "device");
            if (device.startsWith("/")) hostPaths.add(resolve(device));
        }
        m.put("source", source);
        m.put("target", Bodies.str(mn, "Target"));
        m.put("readOnly", Bodies.bool(mn, "ReadOnly"));
        return m;
    }

    private static void resources(JsonNode hc, Map<String, Object> o) {
        o.put(Fields.MEMORY, Bodies.integer(hc, "Memory"));
        o.put(Fields.NANO_CPUS, Bodies.integer(hc, "NanoCpus"));
        o.put(Fields.CPU_SHARES, Bodies.integer(hc, "CpuShares"));
        o.put(Fields.PIDS_LIMIT, Bodies.integer(hc, "PidsLimit"));
    }

    /** seccomp and AppArmor profiles and no-new-privileges from SecurityOpt ("seccomp=unconfined", old "seccomp:x"). */
    private static void securityOpts(List<String> opts, Map<String, Object> o) {
        for (String s : opts) {
            int eq = s.indexOf('=');
            int colon = s.indexOf(':');
            int cut = eq >= 0 && (colon < 0 || eq < colon) ? eq : colon;
            String key = (cut >= 0 ? s.substring(0, cut) : s).strip().toLowerCase(Locale.ROOT);
            String value = cut >= 0 ? s.substring(cut + 1).strip() : "";
            switch (key) {
                case "seccomp" -> o.put(Fields.SECCOMP_PROFILE, value.equalsIgnoreCase("unconfined") ? "unconfined"
                        : value.startsWith("{") ? "custom" : value);
                case "apparmor" -> o.put(Fields.APPARMOR_PROFILE, value.equalsIgnoreCase("unconfined") ? "unconfined" : value);
                case "no-new-privileges" -> o.put(Fields.NO_NEW_PRIVILEGES, value.isEmpty() || value.equalsIgnoreCase("true"));
                default -> {
                }
            }
        }
    }

    /** Capability names as dockerd stores them: upper case with the CAP_ prefix; "ALL" as is. */
    public static List<String> caps(List<String> in) {
        List<String> out = new ArrayList<>(in.size());
        for (String c : in) {
            String u = c.strip().toUpperCase(Locale.ROOT);
            out.add(u.equals("ALL") || u.startsWith("CAP_") ? u : "CAP_" + u);
        }
        return out;
    }

    /** POST /images/create: a pull (fromImage) or an import (fromSrc); returns which. */
    private static String imageCreate(Map<String, String> query, Map<String, Object> o, String where) throws RequestException {
        String from = query.getOrDefault("fromImage", "");
        if (from.isEmpty()) {
            if (!query.getOrDefault("fromSrc", "").isEmpty()) {
                String repo = query.getOrDefault("repo", "");
                if (!repo.isEmpty()) image(repo, query.getOrDefault("tag", ""), o, where);
                return "image.import";
            }
            throw new IllegalArgumentException("image create without fromImage or fromSrc");
        }
        image(from, query.getOrDefault("tag", ""), o, where);
        return "image.pull";
    }

    /**
     * The image variables of a reference normalised as Docker does (docker.io/library/...), with a separate tag
     * or digest as the API passes them; an image ID (sha256 hex), or a bare hex name that dockerd may take as a
     * prefix of one, has no registry. Public for the Kubernetes
     * decoder, which names images the same way.
     */
    public static void image(String ref, String tagOrDigest, Map<String, Object> o, String where) throws RequestException {
        String r = ref.strip();
        if (tagOrDigest.isEmpty() && IMAGE_ID.matcher(r).matches()) {
            // an image ID, or a hex name dockerd may resolve as a prefix of a local image's ID ("docker run 3f57d9")
            // when no repository has that name: no registry can be vouched for
            boolean full = r.length() == 64 || r.startsWith("sha256:");
            o.put(Fields.IMAGE, r);
            o.put(Fields.REGISTRY, "");
            o.put(Fields.DIGEST, full ? (r.startsWith("sha256:") ? r : "sha256:" + r) : "");
            return;
        }
        if (!tagOrDigest.isEmpty()) r = r + (tagOrDigest.contains(":") ? "@" : ":") + tagOrDigest;
        ImageRef ir;
        try {
            ir = ImageRef.parse(r);
        } catch (IllegalArgumentException e) {
            throw new RequestException(where, "image reference cannot be parsed: " + e.getMessage());
        }
        o.put(Fields.IMAGE, ir.toString());
        o.put(Fields.REGISTRY, ir.registry());
        o.put(Fields.REPOSITORY, ir.repository());
        o.put(Fields.TAG, ir.tag() == null ? "" : ir.tag());
        o.put(Fields.DIGEST, ir.digest() == null ? "" : ir.digest().toString());
    }

    private static void volumeCreate(JsonNode body, Map<String, Object> o, String where) throws RequestException {
        o.put(Fields.NAME, Bodies.str(body, "Name"));
        o.put(Fields.DRIVER, Bodies.str(body, "Driver"));
        JsonNode opts = Bodies.get(body, "DriverOpts");
        String device = Bodies.str(opts, "device");
        if (device.startsWith("/")) o.put(Fields.HOST_PATHS, List.of(resolve(device)));
    }

    /** A swarm service: its container spec's image, mounts and added capabilities. */
    private static void service(JsonNode body, Map<String, Object> o, String where) throws RequestException {
        o.put(Fields.NAME, Bodies.str(body, "Name"));
        JsonNode spec = Bodies.get(Bodies.get(body, "TaskTemplate"), "ContainerSpec");
        String image = Bodies.str(spec, "Image");
        if (!image.isEmpty()) image(image, "", o, where);
        Set<String> hostPaths = new LinkedHashSet<>();
        List<Map<String, Object>> mounts = new ArrayList<>();
        for (JsonNode mn : Bodies.array(spec, "Mounts")) mounts.add(mount(mn, hostPaths));
        o.put(Fields.MOUNTS, mounts);
        o.put(Fields.HOST_PATHS, List.copyOf(hostPaths));
        o.put(Fields.CAP_ADD, caps(Bodies.strings(spec, "CapabilityAdd", false)));
        o.put(Fields.RUN_AS_USER, Bodies.str(spec, "User"));
        o.put(Fields.READONLY_ROOTFS, Bodies.bool(spec, "ReadOnly"));
    }

    private static String resolve(String hostPath) throws RequestException {
        try {
            return HostPaths.resolve(hostPath);
        } catch (IOException e) {
            throw new RequestException(clip(hostPath), e.getMessage());
        }
    }

    /** The query parameters, each with its first value (as Go's FormValue reads them). */
    static Map<String, String> query(String uri, String where) throws RequestException {
        Map<String, String> out = new LinkedHashMap<>();
        int q = uri.indexOf('?');
        if (q < 0) return out;
        for (String pair : uri.substring(q + 1).split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = Routes.percentDecode(eq >= 0 ? pair.substring(0, eq) : pair, true);
            String v = Routes.percentDecode(eq >= 0 ? pair.substring(eq + 1) : "", true);
            if (k == null || v == null) throw new RequestException(where, "query cannot be decoded");
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static List<String> queryAll(String uri, String key) {
        List<String> out = new ArrayList<>();
        int q = uri.indexOf('?');
        if (q < 0) return out;
        for (String pair : uri.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) continue;
            String k = Routes.percentDecode(pair.substring(0, eq), true);
            String v = Routes.percentDecode(pair.substring(eq + 1), true);
            if (key.equals(k) && v != null) out.add(v);
        }
        return out;
    }

    private static boolean isJson(DockerApiRequest r) {
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            if (h.getKey().equalsIgnoreCase("Content-Type")) return h.getValue().toLowerCase(Locale.ROOT).contains("json");
        }
        return false;
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) if (x != ' ' && x != '\n' && x != '\r' && x != '\t') return false;
        return true;
    }

    /** The endpoint table: "METHOD /path action" for each route (the docs and their test use it). */
    public static List<String> routes() {
        return Routes.table();
    }

    /** At most 120 characters, control characters as '?'; no regex: every decode builds its "where" with it. */
    private static String clip(String s) {
        int n = Math.min(s.length(), 120);
        char[] out = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                if (out == null) out = s.substring(0, n).toCharArray();
                out[i] = '?';
            }
        }
        String t = out == null ? (n == s.length() ? s : s.substring(0, n)) : new String(out);
        return s.length() > 120 ? t + "…" : t;
    }
}
