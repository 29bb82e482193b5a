package dev.bulwark.policy.authz;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.model.BulwarkException;
import dev.bulwark.model.Decision;
import dev.bulwark.policy.PolicyEngine;
import dev.bulwark.policy.PolicyRequest;
import dev.bulwark.policy.docker.DockerApiRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The plugin protocol above HTTP: Plugin.Activate, AuthZPlugin.AuthZReq and AuthZPlugin.AuthZRes, with the field
 * names dockerd 20.10 really sends (moby pkg/authorization: {@code RequestMethod}, {@code RequestUri},
 * {@code RequestBody} base64, {@code RequestHeaders}, {@code User}, {@code UserAuthNMethod}; responses add
 * {@code ResponseStatusCode}, {@code ResponseBody}, {@code ResponseHeaders}).
 *
 * <p>Every path that is not a clean decision of the policy ends in a deny that says why: a request that does not
 * parse, a body that should be there and is not, a decoder that gives up, an engine that throws, an audit record
 * that cannot be written. dockerd shows the message to the user as "authorization denied by plugin NAME: MSG".
 *
 * <p>Responses (AuthZRes) are allowed: policies decide on requests, which carry everything a rule needs (what is
 * created, mounted, pulled); by the time dockerd asks about the response, the action has happened. A malformed
 * AuthZRes is still denied (dockerd then replaces the response by an error), so a confused daemon fails closed.
 */
final class AuthzHandler {
    static final String CONTENT_TYPE = "application/vnd.docker.plugins.v1.2+json";
    static final byte[] ACTIVATE = "{\"Implements\":[\"authz\"]}".getBytes(StandardCharsets.UTF_8);

    /** Docker API endpoints whose request carries a JSON body the policy must see (API version prefix removed). */
    private static final Pattern BODY_REQUIRED = Pattern.compile(
        "/(containers/create|containers/[^/]+/(update|exec)|services/create|services/[^/]+/update|volumes/create"
            + "|networks/create|networks/[^/]+/connect|plugins/pull|plugins/[^/]+/(upgrade|set)|swarm/(init|join|update)"
            + "|secrets/create|configs/create)");
    private static final Pattern VERSION_PREFIX = Pattern.compile("^/v[0-9]+(\\.[0-9]+)?(?=/)");
    /** Fields of a decoded request worth a place in the audit log (never Env: it holds secrets). */
    private static final Set<String> NOTABLE = Set.of("image", "reference", "registry", "digest", "name", "privileged",
        "networkmode", "pidmode", "ipcmode", "usernsmode", "utsmode", "binds", "mounts", "hostpaths", "capadd", "securityopt",
        "devices", "user", "readonlyrootfs", "cmd", "container", "namespace", "kind");

    private static final Set<String> RAW = Set.of("body", "query", "headers", "env", "labels");

    private final ObjectMapper json;
    private final Supplier<PolicyEngine> engine;
    private final RequestDecoder decoder;
    private final AuditLog audit;
    private final Consumer<String> problems;

    AuthzHandler(Supplier<PolicyEngine> engine, RequestDecoder decoder, AuditLog audit, Consumer<String> problems) {
        this.engine = engine;
        this.decoder = decoder;
        this.audit = audit == null ? AuditLog.none() : audit;
        this.problems = problems == null ? s -> { } : problems;
        // Duplicate keys are refused: Go's decoder keeps the last "RequestUri", a lenient parser might keep the
        // first, and a request must mean one thing to every reader.
        JsonFactory f = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        this.json = new ObjectMapper(f);
    }

    /** Signals a plugin call that is not the JSON dockerd sends. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    /** AuthZPlugin.AuthZReq: decide a request. Never throws; answers the JSON of the authz response. */
    byte[] authzRequest(byte[] body, long startNanos) {
        Instant time = Instant.now();
        String user = "";
        String action = "?";
        String request = "";
        Map<String, Object> object = Map.of();
        Decision d;
        try {
            DockerApiRequest r = wireRequest(body);
            user = r.user();
            request = r.method() + " " + r.uri();
            String path = apiPath(r.uri());
            if (r.method().equalsIgnoreCase("POST") && BODY_REQUIRED.matcher(path).matches()
                && (r.body() == null || r.body().length == 0)) {
                d = Decision.deny("body-required", "the request to " + path + " reached the plugin without its body"
                    + " (a missing or zero-length body on an endpoint that carries one cannot be checked)");
            } else {
                PolicyRequest p = decoder.decode(r);
                action = p.action();
                user = p.user().isEmpty() ? user : p.user();
                if (audit.enabled()) object = summary(p.object());
                d = engine.get().decide(p);
                if (d == null) d = Decision.deny("internal-error", "the policy engine gave no decision");
            }
        } catch (Malformed e) {
            d = Decision.deny("unparsable-request", "cannot parse the AuthZReq: " + e.getMessage());
        } catch (BulwarkException e) {
            d = Decision.deny("undecodable-request", "cannot decode the request: " + e.oneLine());
        } catch (RuntimeException | StackOverflowError e) {
            d = Decision.deny("internal-error", "internal error while deciding: " + e);
        }
        long micros = (System.nanoTime() - startNanos) / 1000;
        d = recorded(new AuditEntry(time, PolicyRequest.DOCKER, user, action, request, object, d, null, micros));
        return reply(d);
    }

    /** AuthZPlugin.AuthZRes: allows well-formed responses (see the class comment), denies malformed ones. */
    byte[] authzResponse(byte[] body, long startNanos) {
        Instant time = Instant.now();
        Decision d;
        String request = "";
        String user = "";
        try {
            JsonNode n = tree(body);
            request = text(n, "RequestMethod", true) + " " + text(n, "RequestUri", true);
            user = text(n, "User", false);
            JsonNode code = n.get("ResponseStatusCode");
            if (code != null && !code.isNull() && !code.isIntegralNumber()) throw new Malformed("ResponseStatusCode is not a number");
            base64(n, "ResponseBody");
            headers(n, "ResponseHeaders");
            d = Decision.allow("response", "");
        } catch (Malformed e) {
            d = Decision.deny("unparsable-response", "cannot parse the AuthZRes: " + e.getMessage());
        } catch (RuntimeException e) {
            d = Decision.deny("internal-error", "internal error while checking the response: " + e);
        }
        long micros = (System.nanoTime() - startNanos) / 1000;
        // Allowed responses are not logged one by one: the request's line already holds the decision. Denials are.
        if (!d.allowed()) d = recorded(new AuditEntry(time, PolicyRequest.DOCKER, user, "response", request, Map.of(), d, null, micros));
        return reply(d);
    }

    /** A deny for a plugin call the HTTP layer refused (too large, malformed HTTP), recorded like any other. */
    byte[] refused(String rule, String message, long startNanos) {
        long micros = (System.nanoTime() - startNanos) / 1000;
        Decision d = recorded(new AuditEntry(Instant.now(), PolicyRequest.DOCKER, "", "?", "", Map.of(), Decision.deny(rule, message), null, micros));
        return reply(d);
    }

    private Decision recorded(AuditEntry e) {
        try {
            audit.record(e);
            return e.decision();
        } catch (IOException | RuntimeException ex) {
            String why = "cannot write the audit log " + (audit.file() == null ? "" : audit.file() + " ") + ": " + ex.getMessage();
            problems.accept(why);
            if (!e.decision().allowed()) return e.decision();
            return Decision.deny("audit-log-failed", why + " (an allow that cannot be recorded is denied)");
        }
    }

    byte[] reply(Decision d) {
        String msg;
        if (d.allowed()) {
            msg = d.warnings().isEmpty() ? "" : String.join("; ", d.warnings());
        } else {
            msg = (d.message().isEmpty() ? "denied by policy" : d.message()) + " (bulwark rule " + d.rule() + ")";
        }
        // written by hand: three fixed fields, and a mapper's tree and serializer were a tenth of a call
        StringBuilder sb = new StringBuilder(msg.length() + 40).append(d.allowed() ? "{\"Allow\":true,\"Msg\":\"" : "{\"Allow\":false,\"Msg\":\"");
        jsonEscape(msg, sb);
        return sb.append("\",\"Err\":\"\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** JSON string escaping (RFC 8259): quote, backslash and control characters; the rest as UTF-8. */
    static void jsonEscape(String s, StringBuilder sb) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
    }

    // ------------------------------------------------------------------ the wire

    DockerApiRequest wireRequest(byte[] body) throws Malformed {
        JsonNode n = wireFields(body);
        String method = text(n, "RequestMethod", true);
        String uri = text(n, "RequestUri", true);
        if (method.isEmpty()) throw new Malformed("RequestMethod is empty");
        if (!uri.startsWith("/")) throw new Malformed("RequestUri is not a path: " + clip(uri));
        byte[] requestBody = base64(n, "RequestBody");
        Map<String, String> headers = headers(n, "RequestHeaders");
        return new DockerApiRequest(method, uri, requestBody, headers, text(n, "User", false), text(n, "UserAuthNMethod", false));
    }

    /** The AuthZReq fields the plugin reads; the others are read through (syntax and duplicates still checked). */
    private static final Set<String> WIRE_FIELDS = Set.of("RequestMethod", "RequestUri", "RequestBody", "RequestHeaders",
        "User", "UserAuthNMethod");

    /**
     * The AuthZReq as a small tree of only the fields {@link #wireRequest} reads, from one streaming pass: a full
     * tree of every field (dockerd adds more over the versions) cost a tenth of a call. Checks are as for
     * {@link #tree}: the same parser settings (duplicates refused at every level), the same messages.
     */
    private JsonNode wireFields(byte[] body) throws Malformed {
        if (body == null || body.length == 0) throw new Malformed("empty body");
        try (com.fasterxml.jackson.core.JsonParser p = json.getFactory().createParser(body)) {
            com.fasterxml.jackson.core.JsonToken t = p.nextToken();
            if (t == null) throw new Malformed("not JSON: no content");
            if (t != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                p.skipChildren();
                throw new Malformed("not a JSON object");
            }
            ObjectNode o = json.createObjectNode();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (WIRE_FIELDS.contains(name)) o.set(name, json.readTree(p));
                else p.skipChildren();
            }
            return o;
        } catch (IOException e) {
            throw new Malformed("not JSON: " + clip(firstLine(e.getMessage())));
        }
    }

    private JsonNode tree(byte[] body) throws Malformed {
        if (body == null || body.length == 0) throw new Malformed("empty body");
        JsonNode n;
        try {
            n = json.readTree(body);
        } catch (IOException e) {
            throw new Malformed("not JSON: " + clip(firstLine(e.getMessage())));
        }
        if (n == null || !n.isObject()) throw new Malformed("not a JSON object");
        return n;
    }

    private static String text(JsonNode n, String field, boolean required) throws Malformed {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new Malformed(field + " is missing");
            return "";
        }
        if (!v.isTextual()) throw new Malformed(field + " is not a string");
        return v.textValue();
    }

    private static byte[] base64(JsonNode n, String field) throws Malformed {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new Malformed(field + " is not a base64 string");
        try {
            return Base64.getDecoder().decode(v.textValue());
        } catch (IllegalArgumentException e) {
            throw new Malformed(field + " is not valid base64: " + e.getMessage());
        }
    }

    private static Map<String, String> headers(JsonNode n, String field) throws Malformed {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return Map.of();
        if (!v.isObject()) throw new Malformed(field + " is not an object");
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()) throw new Malformed(field + "." + e.getKey() + " is not a string");
            m.put(e.getKey(), e.getValue().textValue());
        }
        return m;
    }

    /** The path of a request URI without its query and API version prefix: "/containers/create". */
    static String apiPath(String uri) {
        int q = uri.indexOf('?');
        String p = q < 0 ? uri : uri.substring(0, q);
        // Collapse repeated slashes as dockerd's router does, so "//containers/create" cannot slip past the check.
        while (p.contains("//")) p = p.replace("//", "/");
        p = VERSION_PREFIX.matcher(p).replaceFirst("");
        if (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p;
    }

    /** Notable fields of a decoded request, at any depth up to 3, for the audit line. */
    static Map<String, Object> summary(Map<String, Object> object) {
        Map<String, Object> out = new LinkedHashMap<>();
        collect(object, "", out, 0);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Map<String, Object> m, String prefix, Map<String, Object> out, int depth) {
        if (m == null || depth > 3 || out.size() >= 24) return;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object v = e.getValue();
            if (v instanceof Map<?, ?> sub && !NOTABLE.contains(key.toLowerCase(Locale.ROOT))) {
                // the raw body, query and headers repeat what the decoded fields say, and may carry secrets
                if (depth == 0 && RAW.contains(key.toLowerCase(Locale.ROOT))) continue;
                collect((Map<String, Object>) sub, prefix + key + ".", out, depth + 1);
            } else if (NOTABLE.contains(key.toLowerCase(Locale.ROOT)) && notEmpty(v)) {
                out.put(prefix + key, small(v));
            }
        }
    }

    private static boolean notEmpty(Object v) {
        if (v == null) return false;
        if (v instanceof String s) return !s.isEmpty();
        if (v instanceof List<?> l) return !l.isEmpty();
        if (v instanceof Map<?, ?> m) return !m.isEmpty();
        if (v instanceof Boolean b) return b;
        return true;
    }

    private static Object small(Object v) {
        if (v instanceof String s) return clip(s);
        if (v instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            for (Object o : l) {
                if (c.size() == 16) break;
                c.add(o instanceof String s ? clip(s) : o instanceof Map<?, ?> || o instanceof List<?> ? String.valueOf(o).length() > 200 ? clip(String.valueOf(o)) : o : o);
            }
            return c;
        }
        if (v instanceof Map<?, ?> m) return clip(String.valueOf(m));
        return v;
    }

    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
