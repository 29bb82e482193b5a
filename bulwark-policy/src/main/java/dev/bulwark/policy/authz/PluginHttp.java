package dev.bulwark.policy.authz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Just enough HTTP/1.1 for dockerd's plugin client (Go net/http): request line, headers, a body by Content-Length
 * or chunked, keep-alive. It accepts what Jetty refuses (the empty {@code Host:} header dockerd sends over unix
 * sockets) and bounds everything it reads: the header block, the body, and how much of an oversized body it will
 * read past (to keep the connection and answer with a deny rather than a reset).
 */
final class PluginHttp {
    private PluginHttp() {
    }

    /** One parsed request; {@code bodyTooLarge} when the body exceeded the limit (then {@code body} is empty). */
    record Request(String method, String target, byte[] body, boolean keepAlive, boolean bodyTooLarge, boolean mustClose) {
    }

    /** The request cannot be read as HTTP; answer {@code status} and close. */
    static final class BadRequest extends Exception {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /**
     * Reads one request. Returns null at a clean end of stream between requests.
     *
     * @param maxHeader bytes of request line plus headers
     * @param maxBody   bytes of body kept; a larger body is read and thrown away up to {@code maxDrain}, else the
     *                  request is answered and the connection closed
     */
    static Request read(InputStream in, int maxHeader, int maxBody, long maxDrain) throws IOException, BadRequest {
        int[] budget = {maxHeader};
        String line = line(in, budget, true);
        if (line == null) return null;
        while (line.isEmpty()) { // tolerate stray CRLF between requests (RFC 9112 2.2)
            line = line(in, budget, true);
            if (line == null) return null;
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequest(400, "malformed request line");
        }
        boolean http10 = parts[2].equals("HTTP/1.0");
        long contentLength = -1;
        boolean chunked = false;
        Boolean connectionClose = null;
        while (true) {
            String h = line(in, budget, false);
            if (h == null) throw new BadRequest(400, "connection closed inside the headers");
            if (h.isEmpty()) break;
            int colon = h.indexOf(':');
            if (colon <= 0 || h.charAt(0) == ' ' || h.charAt(0) == '\t') throw new BadRequest(400, "malformed header line");
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> {
                    long v;
                    try {
                        v = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new BadRequest(400, "Content-Length is not a number");
                    }
                    if (v < 0 || (contentLength >= 0 && contentLength != v)) throw new BadRequest(400, "bad or conflicting Content-Length");
                    contentLength = v;
                }
                case "transfer-encoding" -> {
                    if (value.equalsIgnoreCase("chunked")) chunked = true;
                    else if (!value.equalsIgnoreCase("identity")) throw new BadRequest(501, "unsupported Transfer-Encoding " + value);
                }
                case "connection" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (v.contains("close")) connectionClose = true;
                    else if (v.contains("keep-alive")) connectionClose = false;
                }
                default -> { }
            }
        }
        // Both framings at once is a smuggling shape (RFC 9112 6.3): refuse it rather than pick one.
        if (chunked && contentLength >= 0) throw new BadRequest(400, "both Content-Length and chunked Transfer-Encoding");
        boolean keepAlive = connectionClose == null ? !http10 : !connectionClose;
        if (chunked) return chunkedBody(in, parts[0], parts[1], keepAlive, maxBody, maxDrain);
        long n = Math.max(contentLength, 0);
        if (n > maxBody) {
            if (n > maxDrain) return new Request(parts[0], parts[1], new byte[0], false, true, true);
            skip(in, n);
            return new Request(parts[0], parts[1], new byte[0], keepAlive, true, false);
        }
        byte[] body = in.readNBytes((int) n);
        if (body.length != n) throw new BadRequest(400, "connection closed inside the body");
        return new Request(parts[0], parts[1], body, keepAlive, false, false);
    }

    private static Request chunkedBody(InputStream in, String method, String target, boolean keepAlive, int maxBody, long maxDrain)
            throws IOException, BadRequest {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long total = 0;
        boolean tooLarge = false;
        int[] budget = {64 * 1024};
        while (true) {
            String sizeLine = line(in, budget, false);
            if (sizeLine == null) throw new BadRequest(400, "connection closed inside a chunked body");
            int semi = sizeLine.indexOf(';');
            String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "malformed chunk size");
            }
            if (size < 0 || hex.length() > 15) throw new BadRequest(400, "malformed chunk size");
            if (size == 0) break;
            total += size;
            if (total > maxDrain) return new Request(method, target, new byte[0], false, true, true);
            if (total > maxBody) {
                tooLarge = true;
                out.reset();
                skip(in, size);
            } else {
                byte[] chunk = in.readNBytes((int) size);
                if (chunk.length != size) throw new BadRequest(400, "connection closed inside a chunk");
                out.write(chunk);
            }
            if (!"".equals(line(in, budget, false))) throw new BadRequest(400, "chunk not followed by CRLF");
        }
        while (true) { // trailers
            String t = line(in, budget, false);
            if (t == null) throw new BadRequest(400, "connection closed inside the trailers");
            if (t.isEmpty()) break;
        }
        return new Request(method, target, tooLarge ? new byte[0] : out.toByteArray(), keepAlive, tooLarge, false);
    }

    private static void skip(InputStream in, long n) throws IOException, BadRequest {
        long left = n;
        byte[] buf = new byte[8192];
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) throw new BadRequest(400, "connection closed inside the body");
            left -= r;
        }
    }

    /** A line without its CRLF (a bare LF is accepted); null at end of stream before any byte when {@code eofOk}. */
    private static String line(InputStream in, int[] budget, boolean eofOk) throws IOException, BadRequest {
        StringBuilder b = new StringBuilder(64);
        boolean any = false;
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (!any && eofOk) return null;
                if (!any) return null;
                throw new BadRequest(400, "connection closed inside a line");
            }
            any = true;
            if (--budget[0] < 0) throw new BadRequest(431, "request header block larger than the limit");
            if (c == '\n') {
                int len = b.length();
                if (len > 0 && b.charAt(len - 1) == '\r') b.setLength(len - 1);
                return b.toString();
            }
            if (c == 0) throw new BadRequest(400, "NUL byte in the header block");
            b.append((char) c); // ISO-8859-1, as HTTP header bytes are
        }
    }

    static void respond(OutputStream out, int status, String contentType, byte[] body, boolean close) throws IOException {
        String reason = switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            default -> "Error";
        };
        String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
            + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        out.write(all);
        out.flush();
    }
}
