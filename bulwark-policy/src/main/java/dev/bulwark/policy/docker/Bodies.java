package dev.bulwark.policy.docker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON request bodies read the way dockerd (Go's encoding/json) reads them, so the policy sees what the daemon
 * will act on. Go matches object keys to struct fields case-insensitively (with Unicode folding: "ſ" is "s", the
 * Kelvin sign is "k"), so {"hostconfig":{"privileged":true}} is a privileged container; lookups here fold the
 * same way. Two keys that fold alike in one object (which Go resolves by order) are refused as ambiguous, as are
 * exact duplicates, trailing data, nesting deeper than {@link #MAX_DEPTH}, and bodies over the size limit.
 */
final class Bodies {
    static final int MAX_DEPTH = 100;
    private static final ObjectMapper JSON = mapper();

    private Bodies() {
    }

    private static ObjectMapper mapper() {
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(DockerRequests.MAX_BODY).maxNumberLength(100).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        ObjectMapper m = new ObjectMapper(f);
        m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        m.enable(DeserializationFeature.USE_LONG_FOR_INTS);
        m.configure(JsonParser.Feature.ALLOW_COMMENTS, false);
        return m;
    }

    /** Parses a body that must be a JSON object; the message says why not. */
    static ObjectNode object(byte[] body) throws IllegalArgumentException {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            int cut = msg.indexOf('\n');
            throw new IllegalArgumentException("body is not valid JSON: " + (cut > 0 ? msg.substring(0, cut) : msg));
        }
        if (!(n instanceof ObjectNode o)) throw new IllegalArgumentException("body is not a JSON object");
        checkFolds(o, 0);
        return o;
    }

    private static void checkFolds(JsonNode n, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("body nested deeper than " + MAX_DEPTH);
        if (n.isObject()) {
            int size = n.size();
            String[] keys = new String[size];
            int[] hashes = new int[size];
            int i = 0;
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                keys[i] = e.getKey();
                hashes[i] = foldHash(keys[i]);
                for (int j = 0; j < i; j++) {
                    if (hashes[j] == hashes[i] && foldEquals(keys[j], keys[i])) {
                        throw new IllegalArgumentException("body has two keys that differ only in case (\"" + clip(keys[i])
                                + "\"): dockerd would take one of them, the policy cannot know which");
                    }
                }
                checkFolds(e.getValue(), depth + 1);
                i++;
            }
        } else if (n.isArray()) {
            for (JsonNode c : n) checkFolds(c, depth + 1);
        }
    }

    private static char foldChar(char c) {
        if (c < 0x80) return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    private static int foldHash(String s) {
        int h = s.length();
        for (int i = 0; i < s.length(); i++) h = 31 * h + foldChar(s.charAt(i));
        return h;
    }

    /** Equal under {@link #fold}, without allocating. */
    static boolean foldEquals(String a, String b) {
        if (a.length() != b.length()) return false;
        for (int i = 0; i < a.length(); i++) if (foldChar(a.charAt(i)) != foldChar(b.charAt(i))) return false;
        return true;
    }

    /**
     * Go's case folding for field names, as far as it matters for ASCII field names: ASCII case, plus the two
     * non-ASCII letters that fold to ASCII ones (U+017F long s, U+212A Kelvin sign), which upper- then
     * lower-casing each char maps the same way.
     */
    static String fold(String s) {
        boolean ascii = true;
        for (int i = 0; i < s.length() && ascii; i++) ascii = s.charAt(i) < 0x80;
        if (ascii) return s.toLowerCase(java.util.Locale.ROOT);
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(Character.toLowerCase(Character.toUpperCase(c)));
        }
        return sb.toString();
    }

    /** The value of a field, matched as Go does (exact first, else folded); null when absent or JSON null. */
    static JsonNode get(JsonNode obj, String field) {
        if (obj == null || !obj.isObject()) return null;
        JsonNode exact = obj.get(field);
        if (exact != null) return exact.isNull() ? null : exact;
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            if (foldEquals(e.getKey(), field)) {
                return e.getValue().isNull() ? null : e.getValue();
            }
        }
        return null;
    }

    static String str(JsonNode obj, String field) throws IllegalArgumentException {
        JsonNode n = get(obj, field);
        if (n == null) return "";
        if (!n.isTextual()) throw new IllegalArgumentException(field + " must be a string");
        return n.textValue();
    }

    static boolean bool(JsonNode obj, String field) throws IllegalArgumentException {
        JsonNode n = get(obj, field);
        if (n == null) return false;
        if (!n.isBoolean()) throw new IllegalArgumentException(field + " must be true or false");
        return n.booleanValue();
    }

    static long integer(JsonNode obj, String field) throws IllegalArgumentException {
        JsonNode n = get(obj, field);
        if (n == null) return 0L;
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw new IllegalArgumentException(field + " must be an integer");
        return n.longValue();
    }

    /** A list of strings; Go's strslice also takes a single string for Cmd and Entrypoint. */
    static List<String> strings(JsonNode obj, String field, boolean singleAllowed) throws IllegalArgumentException {
        JsonNode n = get(obj, field);
        if (n == null) return List.of();
        if (n.isTextual() && singleAllowed) return List.of(n.textValue());
        if (!n.isArray()) throw new IllegalArgumentException(field + " must be a list of strings");
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode c : n) {
            if (!c.isTextual()) throw new IllegalArgumentException(field + " must be a list of strings");
            out.add(c.textValue());
        }
        return out;
    }

    static List<JsonNode> array(JsonNode obj, String field) throws IllegalArgumentException {
        JsonNode n = get(obj, field);
        if (n == null) return List.of();
        if (!n.isArray()) throw new IllegalArgumentException(field + " must be a list");
        List<JsonNode> out = new ArrayList<>(n.size());
        n.forEach(out::add);
        return out;
    }

    /**
     * The JSON object as a map CEL reads, converted on first use: most rules never look at {@code body}, and
     * converting a create body costs more than deciding it.
     */
    static Map<String, Object> lazyPlain(ObjectNode n) {
        return new java.util.AbstractMap<>() {
            private volatile Map<String, Object> map;

            @Override
            @SuppressWarnings("unchecked")
            public Set<Map.Entry<String, Object>> entrySet() {
                Map<String, Object> m = map;
                if (m == null) map = m = java.util.Collections.unmodifiableMap((Map<String, Object>) plain(n));
                return m.entrySet();
            }

            @Override
            public Object get(Object key) {
                entrySet();
                return map.get(key);
            }

            @Override
            public boolean containsKey(Object key) {
                entrySet();
                return map.containsKey(key);
            }
        };
    }

    /** The JSON as plain values CEL reads (null members left out; integers as Long). */
    static Object plain(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return null;
        if (n.isTextual()) return n.textValue();
        if (n.isBoolean()) return n.booleanValue();
        if (n.isIntegralNumber()) return n.canConvertToLong() ? (Object) n.longValue() : (Object) n.doubleValue();
        if (n.isNumber()) return n.doubleValue();
        if (n.isArray()) {
            List<Object> out = new ArrayList<>(n.size());
            for (JsonNode c : n) {
                Object v = plain(c);
                if (v != null) out.add(v);
            }
            return out;
        }
        if (n.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                Object v = plain(e.getValue());
                if (v != null) out.put(e.getKey(), v);
            }
            return out;
        }
        return n.asText();
    }

    static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
