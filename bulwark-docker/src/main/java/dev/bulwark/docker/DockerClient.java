package dev.bulwark.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.io.Transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Docker Engine API client over the daemon's unix socket, plain TCP, or TCP with TLS (DOCKER_HOST, DOCKER_TLS_VERIFY,
 * DOCKER_TLS, DOCKER_CERT_PATH, as the docker CLI reads them; or an explicit {@link DockerTls}). Responses are
 * streamed; JSON answers are bounded in size.
 */
public final class DockerClient implements AutoCloseable {
    public static final String DEFAULT_SOCKET = "/var/run/docker.sock";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_JSON = 64 << 20;

    private final String host;
    private final Path socket;
    private final URI tcp;
    private final TlsContext tls;
    private final HttpClient http;

    private DockerClient(String host, Path socket, URI tcp, TlsContext tls) throws DockerException {
        this.host = host;
        this.socket = socket;
        this.tcp = tcp;
        this.tls = tls;
        this.http = new HttpClient();
        this.http.setFollowRedirects(false);
        if (tls != null) this.http.setSslContextFactory(tls.factory());
        try {
            this.http.start();
        } catch (Exception e) {
            throw new DockerException(host, "cannot start HTTP client: " + e.getMessage(), 0, e);
        }
    }

    /**
     * The engine named by DOCKER_HOST ({@code unix:///path}, {@code tcp://host[:port]}, {@code https://host[:port]}),
     * with TLS from DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH; when DOCKER_HOST is unset, the default socket,
     * or {@code tcp://localhost:2376} when TLS is on (as the docker CLI).
     */
    public static DockerClient fromEnvironment(Map<String, String> env) throws DockerException {
        DockerTls tls = DockerTls.fromEnvironment(env);
        String h = env.getOrDefault("DOCKER_HOST", "").strip();
        if (h.isEmpty()) h = tls != null ? DockerTls.DEFAULT_TLS_HOST : "unix://" + DEFAULT_SOCKET;
        return open(h, tls, false);
    }

    /**
     * The engine at {@code dockerHost}, with TLS settings from {@code env} (DOCKER_TLS_VERIFY, DOCKER_TLS,
     * DOCKER_CERT_PATH; see {@link DockerTls#fromEnvironment}). They apply to {@code tcp://} and {@code https://}
     * hosts; a unix socket is always plain, whatever the environment says.
     */
    public static DockerClient connect(String dockerHost, Map<String, String> env) throws DockerException {
        return open(dockerHost, DockerTls.fromEnvironment(env), false);
    }

    /**
     * The engine at {@code dockerHost} with explicit TLS settings (null: none; {@code https://} then verifies against
     * the JDK's trust anchors). TLS with a {@code unix://} host is refused.
     */
    public static DockerClient connect(String dockerHost, DockerTls tls) throws DockerException {
        return open(dockerHost, tls, true);
    }

    private static DockerClient open(String dockerHost, DockerTls tls, boolean explicit) throws DockerException {
        if (dockerHost.startsWith("unix://")) {
            if (tls != null && explicit) {
                throw new DockerException(dockerHost, "TLS settings given for a unix socket; the daemon speaks TLS only on tcp:// hosts", 0, null);
            }
            Path p = Path.of(dockerHost.substring("unix://".length()));
            if (!Files.exists(p)) throw new DockerException(dockerHost, "no Docker socket at " + p + " (is dockerd running? set DOCKER_HOST)", 0, null);
            return new DockerClient(dockerHost, p, null, null);
        }
        boolean https = dockerHost.startsWith("https://");
        if (!https && !dockerHost.startsWith("tcp://")) {
            throw new DockerException(dockerHost, "unsupported DOCKER_HOST (expected unix:///path, tcp://host:port or https://host:port)", 0, null);
        }
        String rest = dockerHost.substring(dockerHost.indexOf("://") + 3);
        int slash = rest.indexOf('/');
        String authority = slash >= 0 ? rest.substring(0, slash) : rest;
        String path = slash >= 0 ? rest.substring(slash).replaceAll("/+$", "") : "";
        String name;
        String portText;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            name = close > 0 ? authority.substring(0, close + 1) : "";
            portText = close > 0 && authority.length() > close + 1 && authority.charAt(close + 1) == ':' ? authority.substring(close + 2)
                : close > 0 && authority.length() == close + 1 ? "" : null;
        } else {
            int colon = authority.lastIndexOf(':');
            name = colon >= 0 ? authority.substring(0, colon) : authority;
            portText = colon >= 0 ? authority.substring(colon + 1) : "";
        }
        if (name.isEmpty() || name.equals("[]") || portText == null || !name.matches("\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+")
                || !portText.matches("\\d{0,5}") || !portText.isEmpty() && Integer.parseInt(portText) > 65535
                || !path.matches("[A-Za-z0-9._~/-]*")) {
            throw new DockerException(dockerHost, "malformed DOCKER_HOST (expected " + (https ? "https" : "tcp") + "://host:port)", 0, null);
        }
        if (https && tls == null) tls = new DockerTls(null, null, null, true);
        // the docker CLI's default port for tcp:// is 2375 even with TLS; https:// means 443
        int port = !portText.isEmpty() ? Integer.parseInt(portText) : https ? 443 : 2375;
        URI base = URI.create((tls != null ? "https://" : "http://") + name + ":" + port + path);
        TlsContext ctx = null;
        if (tls != null) {
            String bare = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
            ctx = TlsContext.create(tls, bare, name + ":" + port);
        }
        return new DockerClient(dockerHost, null, base, ctx);
    }

    public String host() {
        return host;
    }

    /** The TLS settings in use, or null when the connection is plain (unix socket, tcp:// without TLS). */
    public DockerTls tls() {
        return tls == null ? null : tls.settings();
    }

    private Request request(String path) {
        Request r = http.newRequest(URI.create((tcp != null ? tcp.toString() : "http://localhost") + path));
        if (socket != null) r.transport(new Transport.TCPUnix(socket));
        return r;
    }

    /** GET returning a streamed body; the caller closes it. Non-2xx answers become a DockerException. */
    public InputStream stream(String path) throws DockerException {
        InputStreamResponseListener l = new InputStreamResponseListener();
        request(path).timeout(0, TimeUnit.SECONDS).idleTimeout(10, TimeUnit.MINUTES).send(l);
        Response resp;
        try {
            resp = l.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DockerException(host, "interrupted", 0, e);
        } catch (TimeoutException e) {
            throw new DockerException(host, "the Docker daemon did not answer within 60 s"
                + (tls != null ? " (a server that does not speak TLS may wait for a request forever)" : ""), 0, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            String why = tls != null ? tls.explain(c) : plainFailure(c);
            throw new DockerException(host, why != null ? why : "cannot reach the Docker daemon: " + describe(c), 0, c);
        }
        InputStream in = l.getInputStream();
        if (resp.getStatus() / 100 != 2) {
            String msg = errorMessage(in);
            if (tls == null && resp.getStatus() == 400 && speaksTls(msg)) {
                throw new DockerException(host, "the daemon speaks TLS on this port and refused plain HTTP: set DOCKER_TLS_VERIFY=1"
                    + " and DOCKER_CERT_PATH (a directory with ca.pem, cert.pem, key.pem), or pass --tlsverify", 400, null);
            }
            throw new DockerException(host, msg.isEmpty() ? "HTTP " + resp.getStatus() + " for " + path : msg, resp.getStatus(), null);
        }
        return in;
    }

    /** GET returning JSON. */
    public JsonNode getJson(String path) throws DockerException {
        try (InputStream in = stream(path)) {
            byte[] body = in.readNBytes(MAX_JSON + 1);
            if (body.length > MAX_JSON) throw new DockerException(host, "answer to " + path + " is larger than " + MAX_JSON + " bytes", 0, null);
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new DockerException(host, "reading " + path + ": " + e.getMessage(), 0, e);
        }
    }

    /** The daemon's {"message": ...}, else the first line of a text answer (a proxy's, a TLS port's). */
    private static String errorMessage(InputStream in) {
        byte[] body;
        try (in) {
            body = in.readNBytes(1 << 16);
        } catch (IOException e) {
            return "";
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.isObject()) return n.path("message").asText("");
        } catch (IOException e) {
            // not JSON: a plain-text answer
        }
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
        int nl = text.indexOf('\n');
        text = nl >= 0 ? text.substring(0, nl).strip() : text;
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    /** Go's TLS listener answers plain HTTP with "Client sent an HTTP request to an HTTPS server."; nginx similarly. */
    private static boolean speaksTls(String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("http request to an https server") || m.contains("plain http request was sent to https port");
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() + " (the connection closed without an answer)" : m;
    }

    /** A plain connection whose answer was not HTTP: the first bytes of a TLS record (an alert) fail the parser. */
    private String plainFailure(Throwable c) {
        if (tcp == null) return null;
        for (Throwable t = c; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.http.BadMessageException || String.valueOf(t.getMessage()).contains("Illegal character")) {
                return "the daemon did not answer in HTTP (a TLS port?): " + Pem.rootMessage(c)
                    + "; if it speaks TLS, set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH";
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception ignored) {
            // the client held only sockets; they are gone with it
        }
    }
}
