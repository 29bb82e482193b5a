package dev.bulwark.trust;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical JSON TUF signs in Notary (docker/go's canonical encoder): object keys sorted, no insignificant
 * whitespace, strings escaped as Go's encoding/json escapes them. Signatures are over these bytes, so what was
 * parsed is serialised again here rather than trusted as sent.
 */
final class CanonicalJson {
    private CanonicalJson() {
    }

    static byte[] bytes(JsonNode n) {
        StringBuilder b = new StringBuilder();
        write(n, b);
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode n, StringBuilder b) {
        switch (n.getNodeType()) {
            case OBJECT -> {
                List<String> keys = new ArrayList<>();
                for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) keys.add(it.next());
                keys.sort(CanonicalJson::compareUtf8);
                b.append('{');
                boolean first = true;
                for (String k : keys) {
                    if (!first) b.append(',');
                    first = false;
                    string(k, b);
                    b.append(':');
                    write(n.get(k), b);
                }
                b.append('}');
            }
            case ARRAY -> {
                b.append('[');
                for (int i = 0; i < n.size(); i++) {
                    if (i > 0) b.append(',');
                    write(n.get(i), b);
                }
                b.append(']');
            }
            case STRING -> string(n.textValue(), b);
            case NUMBER -> b.append(n.isIntegralNumber() ? n.bigIntegerValue().toString() : n.asText());
            case BOOLEAN -> b.append(n.booleanValue());
            case NULL -> b.append("null");
            default -> throw new IllegalArgumentException("not JSON: " + n.getNodeType());
        }
    }

    /** Go sorts map keys by their UTF-8 bytes. */
    private static int compareUtf8(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8), y = b.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }

    private static void string(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> b.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
