package dev.bulwark.policy.kube;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.model.Decision;
import dev.bulwark.policy.Fields;
import dev.bulwark.policy.PolicyEngine;
import dev.bulwark.policy.PolicyRequest;
import dev.bulwark.policy.RequestException;
import dev.bulwark.policy.docker.DockerRequests;
import dev.bulwark.policy.docker.HostPaths;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes admission with the same rules as Docker: an AdmissionReview v1 request becomes one
 * {@link PolicyRequest} per container of the pod spec (containers, initContainers, ephemeralContainers) of any
 * workload kind, with the fields Docker rules use ({@code privileged}, {@code hostPaths}, {@code networkMode}
 * "host" for hostNetwork...). CREATE and UPDATE of a workload are both {@code container.create}: an updated spec
 * is what the next pods are created from. CONNECT to pods/exec and pods/attach are {@code container.exec} and
 * {@code container.attach}; any other object is {@code kubernetes.KIND.OPERATION}.
 * <p>
 * Host paths of hostPath volumes are normalised only: they name the node's filesystem, not this one's.
 */
public final class KubeAdmission {
    /** An AdmissionReview is refused above this size (kube-apiserver's own request limit is 3 MiB). */
    public static final int MAX_REVIEW = 3 << 20;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).maxStringLength(MAX_REVIEW).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final Set<String> TEMPLATED = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job",
            "ReplicationController");

    private KubeAdmission() {
    }

    /** A decoded review: its uid (to echo in the response), whether it is a dry run, and the requests to judge. */
    public record Decoded(String uid, boolean dryRun, List<PolicyRequest> requests) {
        public Decoded {
            requests = List.copyOf(requests);
        }
    }

    /** The verdict on a review: deny if any container is denied; warnings of audit rules from every container. */
    public record Review(String uid, boolean dryRun, Decision decision) {
    }

    /**
     * Judges a review; never throws. A review that cannot be decoded is denied ({@code unparsable-request}), with
     * the uid when it could be read, so the webhook can still answer it.
     */
    public static Review review(PolicyEngine engine, byte[] reviewJson) {
        Decoded d;
        try {
            d = decode(reviewJson);
        } catch (RequestException e) {
            return new Review(uidOf(reviewJson), false, Decision.deny("unparsable-request", e.oneLine()));
        } catch (RuntimeException e) {
            return new Review(uidOf(reviewJson), false, Decision.deny("unparsable-request", "AdmissionReview cannot be decoded"));
        }
        return new Review(d.uid(), d.dryRun(), decide(engine, d.requests()));
    }

    /** The combined decision over the requests of one review. */
    public static Decision decide(PolicyEngine engine, List<PolicyRequest> requests) {
        Set<String> warnings = new LinkedHashSet<>();
        Decision first = null;
        for (PolicyRequest r : requests) {
            Decision d = engine.decide(r);
            warnings.addAll(d.warnings());
            String who = containerOf(r);
            if (!d.allowed()) {
                String msg = who.isEmpty() ? d.message() : "container " + who + ": " + d.message();
                return new Decision(false, d.rule(), msg, List.copyOf(warnings));
            }
            if (first == null) first = d;
        }
        if (first == null) return Decision.deny("unparsable-request", "no request to judge");
        return new Decision(true, first.rule(), first.message(), List.copyOf(warnings));
    }

    private static String containerOf(PolicyRequest r) {
        return r.object().get(Fields.CONTAINER_NAME) instanceof String s ? s : "";
    }

    private static String uidOf(byte[] json) {
        try {
            JsonNode n = JSON.readTree(json);
            JsonNode u = n.path("request").path("uid");
            return u.isTextual() ? u.textValue() : "";
        } catch (Exception e) {
            return "";
        }
    }

    /** Decodes an AdmissionReview v1 (admission.k8s.io/v1; v1beta1 has the same request shape). */
    public static Decoded decode(byte[] reviewJson) throws RequestException {
        String where = "AdmissionReview";
        if (reviewJson == null || reviewJson.length == 0) throw new RequestException(where, "empty body");
        if (reviewJson.length > MAX_REVIEW) throw new RequestException(where, "larger than " + (MAX_REVIEW >> 20) + " MiB");
        JsonNode root;
        try {
            root = JSON.readTree(reviewJson);
        } catch (Exception e) {
            String m = String.valueOf(e.getMessage());
            int cut = m.indexOf('\n');
            throw new RequestException(where, "not valid JSON: " + (cut > 0 ? m.substring(0, cut) : m));
        }
        if (root == null || !root.isObject()) throw new RequestException(where, "not a JSON object");
        if (!"AdmissionReview".equals(root.path("kind").asText())) throw new RequestException(where, "kind is not AdmissionReview");
        JsonNode req = root.get("request");
        if (req == null || !req.isObject()) throw new RequestException(where, "no request");
        String uid = text(req, "uid");
        if (uid.isEmpty()) throw new RequestException(where, "request has no uid");
        where = "AdmissionReview " + clip(uid);
        String kind = text(req.path("kind"), "kind");
        if (kind.isEmpty()) throw new RequestException(where, "request.kind.kind is missing");
        String op = text(req, "operation").toUpperCase(Locale.ROOT);
        if (!Set.of("CREATE", "UPDATE", "DELETE", "CONNECT").contains(op)) throw new RequestException(where, "unknown operation \"" + clip(op) + "\"");
        String sub = text(req, "subResource");
        String user = text(req.path("userInfo"), "username");
        List<String> groups = new ArrayList<>();
        for (JsonNode g : req.path("userInfo").path("groups")) if (g.isTextual()) groups.add(g.textValue());
        boolean dryRun = req.path("dryRun").asBoolean(false);
        JsonNode object = req.get("object");

        Map<String, Object> common = new HashMap<>();
        common.put(Fields.NAMESPACE, text(req, "namespace"));
        common.put(Fields.KIND, kind);
        common.put(Fields.OPERATION, op);
        common.put(Fields.NAME, text(req, "name").isEmpty() && object != null ? text(object.path("metadata"), "name") : text(req, "name"));

        List<PolicyRequest> out = new ArrayList<>();
        if (op.equals("CONNECT") && kind.equals("PodExecOptions") || (op.equals("CONNECT") && (sub.equals("exec") || sub.equals("attach")))) {
            String action = sub.equals("attach") ? "container.attach" : "container.exec";
            Map<String, Object> o = new HashMap<>(common);
            if (object != null) {
                o.put(Fields.CONTAINER_NAME, text(object, "container"));
                List<String> cmd = new ArrayList<>();
                for (JsonNode c : object.path("command")) if (c.isTextual()) cmd.add(c.textValue());
                o.put(Fields.CMD, cmd);
            }
            o.put(Fields.CONTAINER, text(req, "name"));
            out.add(new PolicyRequest(PolicyRequest.KUBERNETES, user, groups, action, java.util.Collections.unmodifiableMap(o)));
            return new Decoded(uid, dryRun, out);
        }
        JsonNode template = op.equals("DELETE") || object == null ? null : podTemplate(kind, object);
        if (template == null) {
            Map<String, Object> o = new HashMap<>(common);
            if (object != null && object.isObject()) o.put(Fields.BODY, plain(object));
            String action = "kubernetes." + kind.toLowerCase(Locale.ROOT) + "." + op.toLowerCase(Locale.ROOT);
            out.add(new PolicyRequest(PolicyRequest.KUBERNETES, user, groups, action, java.util.Collections.unmodifiableMap(o)));
            return new Decoded(uid, dryRun, out);
        }
        JsonNode spec = template.path("spec");
        if (!spec.isObject()) throw new RequestException(where, kind + " has no pod spec");
        Map<String, String> annotations = new HashMap<>();
        template.path("metadata").path("annotations").properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
        boolean onlyEphemeral = sub.equals("ephemeralcontainers");
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            if (onlyEphemeral && !list.equals("ephemeralContainers")) continue;
            JsonNode cs = spec.path(list);
            if (!cs.isMissingNode() && !cs.isNull() && !cs.isArray()) throw new RequestException(where, "spec." + list + " is not a list");
            for (JsonNode c : cs) {
                if (!c.isObject()) throw new RequestException(where, "spec." + list + " has an entry that is not an object");
                Map<String, Object> o = new HashMap<>(common);
                container(spec, c, annotations, o, where);
                out.add(new PolicyRequest(PolicyRequest.KUBERNETES, user, groups, "container.create", java.util.Collections.unmodifiableMap(o)));
            }
        }
        if (out.isEmpty()) throw new RequestException(where, kind + " has no containers");
        return new Decoded(uid, dryRun, out);
    }

    /** The pod template (metadata + spec) of a workload, the object itself for a Pod, or null for other kinds. */
    private static JsonNode podTemplate(String kind, JsonNode object) {
        if (kind.equals("Pod")) return object;
        if (TEMPLATED.contains(kind)) return object.path("spec").path("template");
        if (kind.equals("CronJob")) return object.path("spec").path("jobTemplate").path("spec").path("template");
        if (kind.equals("PodTemplate")) return object.path("template");
        return null;
    }

    private static void container(JsonNode pod, JsonNode c, Map<String, String> annotations, Map<String, Object> o,
                                  String where) throws RequestException {
        String name = text(c, "name");
        o.put(Fields.CONTAINER_NAME, name);
        String image = text(c, "image");
        if (image.isEmpty()) throw new RequestException(where, "container " + clip(name) + " has no image");
        DockerRequests.image(image, "", o, where + " container " + clip(name));
        JsonNode psc = pod.path("securityContext");
        JsonNode sc = c.path("securityContext");
        o.put(Fields.PRIVILEGED, sc.path("privileged").asBoolean(false));
        o.put(Fields.CAP_ADD, DockerRequests.caps(strings(sc.path("capabilities").path("add"))));
        o.put(Fields.CAP_DROP, DockerRequests.caps(strings(sc.path("capabilities").path("drop"))));
        o.put(Fields.NETWORK_MODE, pod.path("hostNetwork").asBoolean(false) ? "host" : "");
        o.put(Fields.PID_MODE, pod.path("hostPID").asBoolean(false) ? "host" : "");
        o.put(Fields.IPC_MODE, pod.path("hostIPC").asBoolean(false) ? "host" : "");
        JsonNode hostUsers = pod.get("hostUsers");
        o.put(Fields.USERNS_MODE, hostUsers != null && hostUsers.isBoolean() && !hostUsers.booleanValue() ? "private" : "");
        o.put(Fields.SECCOMP_PROFILE, profile(sc.path("seccompProfile"), psc.path("seccompProfile"),
                annotations.getOrDefault("container.seccomp.security.alpha.kubernetes.io/" + name,
                        annotations.get("seccomp.security.alpha.kubernetes.io/pod"))));
        o.put(Fields.APPARMOR_PROFILE, profile(sc.path("appArmorProfile"), psc.path("appArmorProfile"),
                annotations.get("container.apparmor.security.beta.kubernetes.io/" + name)));
        JsonNode ape = sc.get("allowPrivilegeEscalation");
        o.put(Fields.NO_NEW_PRIVILEGES, ape != null && ape.isBoolean() && !ape.booleanValue());
        JsonNode uid = sc.has("runAsUser") ? sc.get("runAsUser") : psc.get("runAsUser");
        o.put(Fields.RUN_AS_USER, uid == null || uid.isNull() ? "" : uid.asText());
        o.put(Fields.READONLY_ROOTFS, sc.path("readOnlyRootFilesystem").asBoolean(false));
        JsonNode limits = c.path("resources").path("limits");
        o.put(Fields.MEMORY, Quantities.bytes(limits.path("memory").asText("")));
        o.put(Fields.NANO_CPUS, Quantities.nanoCpus(limits.path("cpu").asText("")));
        o.put(Fields.ENTRYPOINT, strings(c.path("command")));
        o.put(Fields.CMD, strings(c.path("args")));
        List<String> env = new ArrayList<>();
        for (JsonNode e : c.path("env")) if (e.has("value")) env.add(text(e, "name") + "=" + e.path("value").asText());
        o.put(Fields.ENV, env);

        Map<String, String> hostPathVolumes = new HashMap<>();
        for (JsonNode v : pod.path("volumes")) {
            JsonNode hp = v.path("hostPath").path("path");
            if (hp.isTextual()) hostPathVolumes.put(text(v, "name"), hp.textValue());
        }
        Set<String> hostPaths = new LinkedHashSet<>();
        List<Map<String, Object>> mounts = new ArrayList<>();
        for (JsonNode vm : c.path("volumeMounts")) {
            String vol = text(vm, "name");
            Map<String, Object> m = new LinkedHashMap<>();
            String host = hostPathVolumes.get(vol);
            if (host != null) {
                String sub = text(vm, "subPath");
                String full = HostPaths.normalise(sub.isEmpty() ? host : host + "/" + sub);
                if (full == null) throw new RequestException(where, "hostPath " + clip(host) + " is not an absolute path");
                hostPaths.add(full);
                m.put("type", "bind");
                m.put("source", full);
            } else {
                m.put("type", "volume");
                m.put("source", vol);
            }
            m.put("target", text(vm, "mountPath"));
            m.put("readOnly", vm.path("readOnly").asBoolean(false));
            mounts.add(m);
        }
        o.put(Fields.HOST_PATHS, List.copyOf(hostPaths));
        o.put(Fields.MOUNTS, mounts);
        o.put(Fields.BODY, plain(c));
    }

    /** A seccomp or AppArmor profile: the container's, else the pod's, else the legacy annotation. */
    private static String profile(JsonNode container, JsonNode pod, String annotation) {
        JsonNode p = container.isObject() ? container : pod;
        if (p.isObject()) {
            String type = text(p, "type");
            return switch (type) {
                case "Unconfined" -> "unconfined";
                case "RuntimeDefault" -> "default";
                case "Localhost" -> "localhost/" + text(p, "localhostProfile");
                default -> type.toLowerCase(Locale.ROOT);
            };
        }
        if (annotation == null) return "";
        if (annotation.equals("unconfined")) return "unconfined";
        if (annotation.equals("runtime/default") || annotation.equals("docker/default")) return "default";
        return annotation;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : n) if (c.isTextual()) out.add(c.textValue());
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v != null && v.isTextual() ? v.textValue() : "";
    }

    private static Object plain(JsonNode n) {
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return n.textValue();
        if (n.isBoolean()) return n.booleanValue();
        if (n.isIntegralNumber()) return n.canConvertToLong() ? (Object) n.longValue() : (Object) n.doubleValue();
        if (n.isNumber()) return n.doubleValue();
        if (n.isArray()) {
            List<Object> out = new ArrayList<>();
            for (JsonNode c : n) {
                Object v = plain(c);
                if (v != null) out.add(v);
            }
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            Object v = plain(e.getValue());
            if (v != null) out.put(e.getKey(), v);
        }
        return out;
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
