package dev.bulwark.policy.authz;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A raw HTTP/1.1 client on a unix socket, writing exactly the bytes a test gives (as dockerd's Go client would). */
final class RawClient implements Closeable {
    record Reply(int status, Map<String, String> headers, String body) {
    }

    private final SocketChannel ch;
    private final InputStream in;
    private final OutputStream out;

    RawClient(Path socket) throws IOException {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        in = new BufferedInputStream(Channels.newInputStream(ch));
        out = Channels.newOutputStream(ch);
    }

    /** A POST as dockerd's plugin client sends it: empty Host header, JSON content type, Content-Length. */
    static byte[] post(String path, byte[] body) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: \r\nUser-Agent: Go-http-client/1.1\r\nContent-Length: " + body.length
            + "\r\nAccept: application/vnd.docker.plugins.v1.2+json\r\nContent-Type: application/vnd.docker.plugins.v1.2+json\r\n"
            + "Accept-Encoding: gzip\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    Reply call(String path, byte[] body) throws IOException {
        send(post(path, body));
        return read();
    }

    /** Reads one response (Content-Length framed, as the server writes them); null if the server closed first. */
    Reply read() throws IOException {
        String status = line();
        if (status == null) return null;
        String[] p = status.split(" ", 3);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int c = h.indexOf(':');
            headers.put(h.substring(0, c).trim().toLowerCase(Locale.ROOT), h.substring(c + 1).trim());
        }
        int n = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(n);
        return new Reply(Integer.parseInt(p[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    /** True when the server has closed the connection (reads end of stream). */
    boolean closedByServer() throws IOException {
        return in.read() < 0;
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        if (c < 0 && b.size() == 0) return null;
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
