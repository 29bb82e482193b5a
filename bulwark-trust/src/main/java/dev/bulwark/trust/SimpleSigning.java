package dev.bulwark.trust;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.model.Digest;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The payload cosign signs: Red Hat's "simple signing" JSON naming the manifest digest (never a tag) and the
 * repository, plus optional annotations. What is verified is always the exact bytes from the registry, never a
 * re-serialisation, so field order and spacing here only matter to what we write.
 *
 * @param dockerReference the repository the signature was made for (registry/name, no tag)
 * @param digest          the signed manifest digest
 * @param optional        annotations (empty when none)
 */
record SimpleSigning(String dockerReference, Digest digest, Map<String, String> optional) {
    static final String TYPE = "cosign container image signature";
    static final int MAX_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    SimpleSigning {
        optional = optional == null ? Map.of() : Map.copyOf(optional);
    }

    /** Cosign's layout: critical {identity, image, type}, then optional (null when there are no annotations). */
    byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode critical = root.putObject("critical");
        critical.putObject("identity").put("docker-reference", dockerReference);
        critical.putObject("image").put("docker-manifest-digest", digest.toString());
        critical.put("type", TYPE);
        if (optional.isEmpty()) root.putNull("optional");
        else {
            ObjectNode o = root.putObject("optional");
            new TreeMap<>(optional).forEach(o::put);
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses strictly: a payload of another type or without a digest is no signature of an image. */
    static SimpleSigning parse(byte[] bytes, String where) throws TrustException {
        if (bytes.length > MAX_BYTES) throw new TrustException(where, "signature payload is larger than " + MAX_BYTES + " bytes");
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new TrustException(where, "malformed signature payload: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new TrustException(where, "unreadable signature payload");
        }
        if (root == null || !root.isObject()) throw new TrustException(where, "signature payload is not a JSON object");
        JsonNode critical = root.get("critical");
        if (critical == null || !critical.isObject()) throw new TrustException(where, "signature payload has no 'critical' object");
        JsonNode type = critical.get("type");
        if (type == null || !TYPE.equals(type.asText(null)))
            throw new TrustException(where, "signature payload type is " + (type == null ? "missing" : "'" + type.asText() + "'")
                    + ", not '" + TYPE + "'");
        JsonNode d = critical.path("image").get("docker-manifest-digest");
        if (d == null || !d.isTextual()) throw new TrustException(where, "signature payload names no docker-manifest-digest");
        Digest digest;
        try {
            digest = Digest.parse(d.asText());
        } catch (IllegalArgumentException e) {
            throw new TrustException(where, "signature payload: " + e.getMessage());
        }
        JsonNode ref = critical.path("identity").get("docker-reference");
        Map<String, String> optional = new LinkedHashMap<>();
        JsonNode opt = root.get("optional");
        if (opt != null && opt.isObject()) {
            for (var it = opt.fields(); it.hasNext(); ) {
                var e = it.next();
                optional.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            }
        } else if (opt != null && !opt.isNull()) throw new TrustException(where, "signature payload's 'optional' is not an object");
        return new SimpleSigning(ref != null && ref.isTextual() ? ref.asText() : "", digest, optional);
    }
}
