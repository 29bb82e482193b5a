package dev.bulwark.image;

import dev.bulwark.image.json.ConfigJson;
import dev.bulwark.image.json.DescriptorJson;
import dev.bulwark.image.json.ManifestJson;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image documents every scan reads (OCI index, manifest, image config) parsed without a data binder: a strict
 * RFC 8259 reader into maps and lists, then into the same wire records Jackson would fill, by the same rules
 * (unknown fields ignored, scalars coerced to the string or number a field wants), and stricter in two ways: a
 * field named twice in one object is refused (the binder would bind both and keep the last: two readers of such a
 * document may disagree on what it says), and so is a fraction where a whole number belongs.
 *
 * <p>Why: these few hundred bytes are all a warm re-scan parses, and the first use of Jackson's parser and binder in
 * a JVM costs far more than the documents (binder introspection of the records; on JDK 25, {@code BigDecimal}'s
 * class initialiser, which Jackson's parser triggers, takes tens of milliseconds). Other documents (Docker's
 * manifest list, Engine API answers, credential files) still go through Jackson.
 */
final class WireJson {
    /** Deeper than any image document; bounds the recursion on hostile input. */
    static final int MAX_DEPTH = 256;

    /** A JSON number, kept as written: converted only to what a field asks for. */
    record Num(String text) {
    }

    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final String s;
    private int i;

    private WireJson(String s) {
        this.s = s;
    }

    /**
     * The document as {@code Map<String, Object>} (insertion order), {@code List<Object>}, {@code String},
     * {@link Num}, {@code Boolean} or null (JSON null).
     */
    static Object parse(byte[] utf8) throws Malformed {
        String text;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8));
            text = cb.toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("not valid UTF-8");
        }
        WireJson p = new WireJson(text);
        if (text.startsWith("\uFEFF")) p.i = 1;
        p.space();
        if (p.i >= text.length()) throw new Malformed("no content");
        Object v = p.value(0);
        p.space();
        if (p.i < text.length()) throw p.error("trailing content");
        return v;
    }

    private Malformed error(String what) {
        return new Malformed(what + " at offset " + i);
    }

    private void space() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            i++;
        }
    }

    private Object value(int depth) throws Malformed {
        if (depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH);
        if (i >= s.length()) throw error("unexpected end");
        char c = s.charAt(i);
        switch (c) {
            case '{' -> {
                i++;
                Map<String, Object> o = new LinkedHashMap<>();
                int count = 0;
                space();
                if (peek('}')) return o;
                while (true) {
                    space();
                    if (i >= s.length() || s.charAt(i) != '"') throw error("expected a field name");
                    String k = string();
                    space();
                    expect(':');
                    space();
                    o.put(k, value(depth + 1));
                    if (o.size() != ++count) throw error("duplicate field \"" + k + "\"");
                    space();
                    if (peek('}')) return o;
                    expect(',');
                }
            }
            case '[' -> {
                i++;
                List<Object> a = new ArrayList<>();
                space();
                if (peek(']')) return a;
                while (true) {
                    space();
                    a.add(value(depth + 1));
                    space();
                    if (peek(']')) return a;
                    expect(',');
                }
            }
            case '"' -> {
                return string();
            }
            case 't' -> {
                literal("true");
                return Boolean.TRUE;
            }
            case 'f' -> {
                literal("false");
                return Boolean.FALSE;
            }
            case 'n' -> {
                literal("null");
                return null;
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw error("unexpected character '" + (c < ' ' ? "\\u" + String.format("%04x", (int) c) : c) + "'");
            }
        }
    }

    private boolean peek(char c) {
        if (i < s.length() && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(char c) throws Malformed {
        if (!peek(c)) throw error(i >= s.length() ? "unexpected end" : "expected '" + c + "'");
    }

    private void literal(String word) throws Malformed {
        if (!s.startsWith(word, i)) throw error("unexpected token");
        i += word.length();
    }

    private Num number() throws Malformed {
        int start = i;
        peek('-');
        if (peek('0')) {
            // no leading zeros
        } else if (digits() == 0) {
            throw error("malformed number");
        }
        if (peek('.') && digits() == 0) throw error("malformed number");
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (!peek('+')) peek('-');
            if (digits() == 0) throw error("malformed number");
        }
        return new Num(s.substring(start, i));
    }

    private int digits() {
        int n = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            n++;
        }
        return n;
    }

    private String string() throws Malformed {
        i++; // the opening quote
        StringBuilder b = null;
        int run = i;
        while (true) {
            if (i >= s.length()) throw error("unterminated string");
            char c = s.charAt(i);
            if (c == '"') {
                String out = b == null ? s.substring(run, i) : b.append(s, run, i).toString();
                i++;
                return out;
            }
            if (c < 0x20) throw error("control character in a string");
            if (c != '\\') {
                i++;
                continue;
            }
            if (b == null) b = new StringBuilder();
            b.append(s, run, i);
            i++;
            if (i >= s.length()) throw error("unterminated string");
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length()) throw error("truncated \\u escape");
                    int cp = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(s.charAt(i + k), 16);
                        if (d < 0) throw error("malformed \\u escape");
                        cp = cp * 16 + d;
                    }
                    i += 4;
                    b.append((char) cp);
                }
                default -> throw error("unknown escape '\\" + e + "'");
            }
            run = i;
        }
    }

    // ------------------------------------------------------------------ into the wire records

    static ManifestJson manifest(Object v) throws Malformed {
        Map<String, Object> o = object(v, "document");
        return new ManifestJson(integer(o.get("schemaVersion"), "schemaVersion"), string(o.get("mediaType"), "mediaType"),
                descriptor(o.get("config"), "config"), descriptors(o.get("layers"), "layers"),
                descriptors(o.get("manifests"), "manifests"));
    }

    static ConfigJson config(Object v) throws Malformed {
        Map<String, Object> o = object(v, "document");
        ConfigJson.RunConfig rc = null;
        Map<String, Object> c = object(o.get("config"), "config");
        if (c != null) {
            rc = new ConfigJson.RunConfig(string(c.get("User"), "User"), strings(c.get("Env"), "Env"),
                    strings(c.get("Entrypoint"), "Entrypoint"), strings(c.get("Cmd"), "Cmd"), string(c.get("WorkingDir"), "WorkingDir"),
                    anyMap(c.get("ExposedPorts"), "ExposedPorts"), stringMap(c.get("Labels"), "Labels"),
                    anyMap(c.get("Healthcheck"), "Healthcheck"));
        }
        ConfigJson.RootFs rootfs = null;
        Map<String, Object> r = object(o.get("rootfs"), "rootfs");
        if (r != null) rootfs = new ConfigJson.RootFs(string(r.get("type"), "rootfs.type"), strings(r.get("diff_ids"), "diff_ids"));
        List<ConfigJson.History> history = null;
        List<Object> h = array(o.get("history"), "history");
        if (h != null) {
            history = new ArrayList<>(h.size());
            for (Object e : h) {
                Map<String, Object> x = object(e, "history entry");
                history.add(x == null ? null : new ConfigJson.History(string(x.get("created"), "created"),
                        string(x.get("created_by"), "created_by"), bool(x.get("empty_layer"), "empty_layer"), string(x.get("comment"), "comment")));
            }
        }
        return new ConfigJson(string(o.get("architecture"), "architecture"), string(o.get("os"), "os"), string(o.get("variant"), "variant"),
                string(o.get("created"), "created"), rc, rootfs, history);
    }

    private static DescriptorJson descriptor(Object v, String field) throws Malformed {
        Map<String, Object> o = object(v, field);
        if (o == null) return null;
        DescriptorJson.PlatformJson platform = null;
        Map<String, Object> p = object(o.get("platform"), field + ".platform");
        if (p != null) platform = new DescriptorJson.PlatformJson(string(p.get("architecture"), "architecture"), string(p.get("os"), "os"),
                string(p.get("variant"), "variant"));
        return new DescriptorJson(string(o.get("mediaType"), "mediaType"), string(o.get("digest"), "digest"),
                longValue(o.get("size"), field + ".size"), platform, stringMap(o.get("annotations"), field + ".annotations"));
    }

    private static List<DescriptorJson> descriptors(Object v, String field) throws Malformed {
        List<Object> a = array(v, field);
        if (a == null) return null;
        List<DescriptorJson> out = new ArrayList<>(a.size());
        for (Object e : a) out.add(descriptor(e, field + " entry"));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String field) throws Malformed {
        if (v == null) return null;
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new Malformed(field + ": expected an object");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> array(Object v, String field) throws Malformed {
        if (v == null) return null;
        if (v instanceof List<?> l) return (List<Object>) l;
        throw new Malformed(field + ": expected an array");
    }

    /** Strings as they are; numbers and booleans as written (the binder coerces scalars the same way). */
    private static String string(Object v, String field) throws Malformed {
        if (v == null || v instanceof String) return (String) v;
        if (v instanceof Num n) return n.text();
        if (v instanceof Boolean b) return b.toString();
        throw new Malformed(field + ": expected a string");
    }

    private static List<String> strings(Object v, String field) throws Malformed {
        List<Object> a = array(v, field);
        if (a == null) return null;
        List<String> out = new ArrayList<>(a.size());
        for (Object e : a) out.add(string(e, field));
        return out;
    }

    private static Map<String, String> stringMap(Object v, String field) throws Malformed {
        Map<String, Object> o = object(v, field);
        if (o == null) return null;
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : o.entrySet()) out.put(e.getKey(), string(e.getValue(), field));
        return out;
    }

    /** Any JSON object, its values as plain Java values (numbers as Integer, Long, BigInteger or Double, like the binder's). */
    private static Map<String, Object> anyMap(Object v, String field) throws Malformed {
        Map<String, Object> o = object(v, field);
        if (o == null) return null;
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : o.entrySet()) out.put(e.getKey(), plain(e.getValue()));
        return out;
    }

    private static Object plain(Object v) {
        if (v instanceof Num n) {
            String t = n.text();
            if (t.indexOf('.') >= 0 || t.indexOf('e') >= 0 || t.indexOf('E') >= 0) return Double.parseDouble(t);
            try {
                long l = Long.parseLong(t);
                return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) (int) l : (Object) l;
            } catch (NumberFormatException e) {
                return new java.math.BigInteger(t);
            }
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, plain(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) out.add(plain(x));
            return out;
        }
        return v;
    }

    /**
     * Whole numbers: a JSON number (2.0 and 1e3 are whole too), or a string holding a plain integer. A fraction, or a
     * value beyond a long, is malformed (the binder would truncate a fraction; a size of 1.5 bytes is no size).
     */
    private static Long longValue(Object v, String field) throws Malformed {
        if (v == null) return null;
        if (v instanceof String str) {
            if (str.isEmpty()) return null; // as the binder reads "" into a Long
            try {
                return Long.parseLong(str);
            } catch (NumberFormatException e) {
                throw new Malformed(field + ": expected a whole number, got \"" + str + "\"");
            }
        }
        if (!(v instanceof Num n)) throw new Malformed(field + ": expected a number");
        try {
            return Long.parseLong(n.text());
        } catch (NumberFormatException e) {
            double d = Double.parseDouble(n.text()); // the JSON number grammar is a subset of Java's
            if (d == Math.rint(d) && Math.abs(d) < 0x1p53) return (long) d;
            throw new Malformed(field + ": expected a whole number, got " + n.text());
        }
    }

    private static Integer integer(Object v, String field) throws Malformed {
        Long l = longValue(v, field);
        if (l == null) return null;
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) throw new Malformed(field + ": out of range: " + l);
        return l.intValue();
    }

    private static Boolean bool(Object v, String field) throws Malformed {
        if (v == null || v instanceof Boolean) return (Boolean) v;
        if (v instanceof String str) {
            // as the binder reads a string into a Boolean
            String t = str.trim();
            if (t.isEmpty()) return null;
            if (t.equals("true") || t.equals("True") || t.equals("TRUE")) return Boolean.TRUE;
            if (t.equals("false") || t.equals("False") || t.equals("FALSE")) return Boolean.FALSE;
        }
        if (v instanceof Num n && n.text().chars().allMatch(c -> c == '-' || (c >= '0' && c <= '9')))
            return !n.text().chars().allMatch(c -> c == '-' || c == '0'); // an integer: 0 is false, as the binder has it
        throw new Malformed(field + ": expected true or false");
    }
}
