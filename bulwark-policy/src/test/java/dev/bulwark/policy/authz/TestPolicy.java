package dev.bulwark.policy.authz;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.model.Decision;
import dev.bulwark.policy.PolicyEngine;
import dev.bulwark.policy.PolicyRequest;
import dev.bulwark.policy.RequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * A small engine and decoder for the server's tests, independent of the real policy language: privileged
 * containers are denied, images from "evil.example/" denied, an image named "audit/..." allowed with a warning,
 * everything else allowed. The decoder understands container create bodies only as far as these rules need.
 */
final class TestPolicy {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestPolicy() {
    }

    static final PolicyEngine ENGINE = r -> {
        Object priv = r.object().get("privileged");
        if (Boolean.TRUE.equals(priv)) return Decision.deny("no-privileged", "privileged containers are not allowed");
        Object image = r.object().get("image");
        if (image instanceof String s && s.startsWith("evil.example/")) return Decision.deny("registries", "image " + s + " is from an unapproved registry");
        if (image instanceof String s && s.startsWith("audit/")) return new Decision(true, "default", "", List.of("image " + s + " is audited"));
        return Decision.allow("default", "");
    };

    static final RequestDecoder DECODER = req -> {
        String path = AuthzHandler.apiPath(req.uri());
        if (path.equals("/containers/create")) {
            if (req.body() == null || req.body().length == 0) throw new RequestException(req.uri(), "no body");
            Map<?, ?> body;
            try {
                body = JSON.readValue(req.body(), Map.class);
            } catch (IOException e) {
                throw new RequestException(req.uri(), "body is not JSON");
            }
            Object hc = body.get("HostConfig");
            boolean priv = hc instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("Privileged"));
            Object image = body.get("Image");
            return new PolicyRequest(PolicyRequest.DOCKER, req.user(), List.of(), "container.create",
                Map.of("privileged", priv, "image", image == null ? "" : image));
        }
        if (path.startsWith("/_ping") || path.startsWith("/version") || path.startsWith("/containers")) {
            return new PolicyRequest(PolicyRequest.DOCKER, req.user(), List.of(), "system.info", Map.of());
        }
        throw new RequestException(req.uri(), "unknown endpoint in the test decoder");
    };

    static byte[] sample() {
        try (InputStream in = TestPolicy.class.getResourceAsStream("authz-req-sample.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An AuthZReq as dockerd would send it, for a create body given as JSON text. */
    static byte[] authzReq(String method, String uri, String bodyJson) {
        try {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("RequestMethod", method);
            m.put("RequestUri", uri);
            if (bodyJson != null) m.put("RequestBody", java.util.Base64.getEncoder().encodeToString(bodyJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            m.put("RequestHeaders", Map.of("Content-Type", "application/json", "User-Agent", "Docker-Client/28.2.2 (linux)"));
            return JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
