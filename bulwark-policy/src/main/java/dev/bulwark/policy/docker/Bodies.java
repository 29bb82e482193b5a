package dev.bulwark.policy.docker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
    /** Objects with up to this many keys are checked for folded duplicates by comparing, larger ones through a hash table. */
    private static final int SMALL = 16;
    private static final JsonFactory JSON = factory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(false);

    private Bodies() {
    }

    private static JsonFactory factory() {
        // duplicates are found while building (folded keys include exact ones), so the parser's own detection,
        // a HashSet per object, is not switched on
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(DockerRequests.MAX_BODY).maxNumberLength(100).build())
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .build();
    }

    /**
     * Parses a body that must be a JSON object; the message says why not. One pass: the tree is built from the
     * token stream and each object's keys are checked for folded duplicates as they arrive (a tree first and a
     * second walk for the check cost twice as much).
     */
    static ObjectNode object(byte[] body) throws IllegalArgumentException {
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                if (t == null) throw new IllegalArgumentException("body is not valid JSON: no content");
                // a scalar or an array: read it through for a syntax error first, as a JSON reader would
                build(p, t, 0);
                if (p.nextToken() != null) throw new IllegalArgumentException("body is not valid JSON: trailing data after the value");
                throw new IllegalArgumentException("body is not a JSON object");
            }
            ObjectNode o = (ObjectNode) build(p, t, 0);
            if (p.nextToken() != null) throw new IllegalArgumentException("body is not valid JSON: trailing data after the value");
            return o;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            int cut = msg.indexOf('\n');
            throw new IllegalArgumentException("body is not valid JSON: " + (cut > 0 ? msg.substring(0, cut) : msg));
        }
    }

    private static JsonNode build(JsonParser p, JsonToken t, int depth) throws java.io.IOException {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("body nested deeper than " + MAX_DEPTH);
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                Keys keys = null;
                JsonToken k;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    if (keys == null) keys = new Keys();
                    String clash = keys.add(key);
                    if (clash != null) throw ambiguous(clash, key);
                    o.set(key, build(p, p.nextToken(), depth + 1));
                }
                if (k != JsonToken.END_OBJECT) throw new IllegalArgumentException("body is not valid JSON: truncated object");
                return o;
            }
            case START_ARRAY -> {
                com.fasterxml.jackson.databind.node.ArrayNode a = NODES.arrayNode();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (e == null) throw new IllegalArgumentException("body is not valid JSON: truncated array");
                    a.add(build(p, e, depth + 1));
                }
                return a;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? NODES.numberNode(p.getBigIntegerValue())
                        : NODES.numberNode(p.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new IllegalArgumentException("body is not valid JSON: unexpected " + (t == null ? "end of input" : t));
        }
    }

    /**
     * The keys of one object so far, found by folded hash: compared one by one while few, through an
     * open-addressing table of indices after that (no folded copies of the keys are made).
     */
    private static final class Keys {
        private String[] keys = new String[8];
        private int[] hashes = new int[8];
        private int n;
        private int[] table;

        /** Adds the key; returns the earlier key it folds equal to, or null. */
        String add(String key) {
            int h = foldHash(key);
            if (table == null) {
                for (int j = 0; j < n; j++) if (hashes[j] == h && foldEquals(keys[j], key)) return keys[j];
            } else {
                int mask = table.length - 1;
                for (int i = mix(h) & mask; table[i] != 0; i = (i + 1) & mask) {
                    int j = table[i] - 1;
                    if (hashes[j] == h && foldEquals(keys[j], key)) return keys[j];
                }
            }
            if (n == keys.length) {
                keys = java.util.Arrays.copyOf(keys, n * 2);
                hashes = java.util.Arrays.copyOf(hashes, n * 2);
            }
            keys[n] = key;
            hashes[n] = h;
            n++;
            if (table != null && n * 2 > table.length) table = null;
            if (table == null && n >= SMALL) rehash();
            else if (table != null) insert(n - 1);
            return null;
        }

        private void rehash() {
            table = new int[Integer.highestOneBit(n * 4)];
            for (int j = 0; j < n; j++) insert(j);
        }

        private void insert(int j) {
            int mask = table.length - 1;
            int i = mix(hashes[j]) & mask;
            while (table[i] != 0) i = (i + 1) & mask;
            table[i] = j + 1;
        }

        private static int mix(int h) {
            return h ^ (h >>> 16);
        }
    }

    private static IllegalArgumentException ambiguous(String earlier, String key) {
        if (earlier.equals(key)) return new IllegalArgumentException("body is not valid JSON: Duplicate field '" + clip(key) + "'");
        return new IllegalArgumentException("body has two keys that differ only in case (\"" + clip(key)
                + "\"): dockerd would take one of them, the policy cannot know which");
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
