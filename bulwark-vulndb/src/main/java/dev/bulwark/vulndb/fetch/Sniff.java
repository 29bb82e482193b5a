package dev.bulwark.vulndb.fetch;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A last look at a body's first bytes before it replaces a good file: a zip must start like a zip, a gzip like a
 * gzip, JSON with '{' or '['; and an HTML page (a proxy's login or error page served with 200) is never a feed.
 */
final class Sniff {
    private Sniff() {
    }

    /** Why the body cannot be the file it is to be stored as, or null when it may be. */
    static String problem(String fileName, byte[] head, long size) {
        if (size == 0) return "the body is empty";
        String n = fileName.toLowerCase(Locale.ROOT);
        String text = new String(head, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        String start = text.stripLeading().toLowerCase(Locale.ROOT);
        if (start.startsWith("<!doctype html") || start.startsWith("<html")) {
            return "the body is an HTML page, not a feed (an error or login page?)";
        }
        if (n.endsWith(".zip")) {
            return startsWith(head, 'P', 'K', 3, 4) || startsWith(head, 'P', 'K', 5, 6) ? null
                    : "the body is not a zip archive (it starts with " + show(head) + ")";
        }
        if (n.endsWith(".gz") || n.endsWith(".tgz")) {
            return startsWith(head, 0x1f, 0x8b) ? null : "the body is not gzip data (it starts with " + show(head) + ")";
        }
        if (n.endsWith(".json") && !start.isEmpty() && !start.startsWith("{") && !start.startsWith("[")) {
            return "the body is not JSON (it starts with " + show(head) + ")";
        }
        return null;
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) if ((head[i] & 0xff) != magic[i]) return false;
        return true;
    }

    /** Up to 16 leading bytes, printable ones as text and the rest as hex escapes. */
    static String show(byte[] head) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < Math.min(16, head.length); i++) {
            int b = head[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\'') sb.append((char) b);
            else sb.append(String.format("\\x%02x", b));
        }
        return sb.append(head.length > 16 ? "...'" : "'").toString();
    }
}
