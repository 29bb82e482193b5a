package dev.bulwark.scan.secret;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;

/** The structural checks of {@link Rule.Check}: what a real secret of the kind has that a look-alike has not. */
final class Checks {
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Checks() {
    }

    static boolean pass(Rule.Check check, String secret) {
        return switch (check) {
            case NONE -> true;
            case CRC32_BASE62 -> crc32Base62(secret);
            case JWT_HEADER -> jwtHeader(secret);
            case BASIC_AUTH -> basicAuth(secret);
            case KEY_BODY -> keyBody(secret) != null;
        };
    }

    /** "ghp_" + 30 characters + their CRC32 as 6 base62 digits (the format GitHub documents for its tokens). */
    static boolean crc32Base62(String token) {
        int us = token.indexOf('_');
        String rest = token.substring(us + 1);
        if (rest.length() != 36) return false;
        CRC32 crc = new CRC32();
        crc.update(rest.substring(0, 30).getBytes(StandardCharsets.US_ASCII));
        return base62(crc.getValue(), 6).equals(rest.substring(30));
    }

    static String base62(long v, int width) {
        StringBuilder b = new StringBuilder();
        while (v > 0) {
            b.append(BASE62.charAt((int) (v % 62)));
            v /= 62;
        }
        while (b.length() < width) b.append('0');
        return b.reverse().toString();
    }

    private static boolean jwtHeader(String jwt) {
        int dot = jwt.indexOf('.');
        if (dot < 0) return false;
        try {
            String header = new String(Base64.getUrlDecoder().decode(jwt.substring(0, dot)), StandardCharsets.UTF_8);
            return header.startsWith("{") && header.contains("\"alg\"");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean basicAuth(String auth) {
        try {
            String s = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            int colon = s.indexOf(':');
            return colon > 0 && colon < s.length() - 1 && s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The base64 of a PEM body, without its header lines (Proc-Type, Version...), whitespace and JSON-escaped line
     * breaks; null when it is too short to be a key or holds a "..." placeholder.
     */
    static String keyBody(String body) {
        String s = body.replace("\\n", "\n").replace("\\r", "\n");
        StringBuilder b = new StringBuilder(s.length());
        for (String line : s.split("\n")) {
            String t = line.strip();
            if (t.contains(":")) continue;
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (Character.isLetterOrDigit(c) || c == '+' || c == '/' || c == '=') b.append(c);
                else if (c == '.' || c == '-') return null;
            }
        }
        return b.length() >= 64 ? b.toString() : null;
    }

    /** Whether a private key is protected by a passphrase, as far as its PEM tells. */
    static boolean encrypted(String type, String body) {
        if (type.contains("ENCRYPTED") || body.contains("ENCRYPTED")) return true;
        if (type.startsWith("OPENSSH")) {
            String b64 = keyBody(body);
            if (b64 == null) return false;
            try {
                byte[] raw = Base64.getMimeDecoder().decode(b64.length() > 200 ? b64.substring(0, 200) : b64);
                // "openssh-key-v1\0", then a length-prefixed cipher name: "none" when the key is not encrypted
                int off = 15;
                if (raw.length < off + 8) return false;
                int len = ((raw[off] & 0xff) << 24) | ((raw[off + 1] & 0xff) << 16) | ((raw[off + 2] & 0xff) << 8) | (raw[off + 3] & 0xff);
                if (len <= 0 || len > 64 || raw.length < off + 4 + len) return false;
                return !new String(raw, off + 4, len, StandardCharsets.US_ASCII).equals("none");
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }
}
