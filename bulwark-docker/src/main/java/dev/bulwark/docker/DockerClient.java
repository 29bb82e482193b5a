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
 * A Docker Engine API client over the daemon's unix socket or plain TCP (DOCKER_HOST). Responses are streamed;
 * JSON answers are bounded in size.
 */
public final class DockerClient implements AutoCloseable {
    public static final String DEFAULT_SOCKET = "/var/run/docker.sock";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_JSON = 64 << 20;

    private final String host;
    private final Path socket;
    private final URI tcp;
    private final HttpClient http;

    private DockerClient(String host, Path socket, URI tcp) throws DockerException {
        this.host = host;
        this.socket = socket;
        this.tcp = tcp;
        this.http = new HttpClient();
        this.http.setFollowRedirects(false);
        try {
            this.http.start();
        } catch (Exception e) {
            throw new DockerException(host, "cannot start HTTP client: " + e.getMessage(), 0, e);
        }
    }

    /**
     * The engine named by DOCKER_HOST ({@code unix:///path} or {@code tcp://host:port}), else the default socket.
     */
    public static DockerClient fromEnvironment(Map<String, String> env) throws DockerException {
        String h = env.getOrDefault("DOCKER_HOST", "");
        if (h.isBlank()) h = "unix://" + DEFAULT_SOCKET;
        return connect(h, env);
    }

    public static DockerClient connect(String dockerHost, Map<String, String> env) throws DockerException {
        if (dockerHost.startsWith("unix://")) {
            Path p = Path.of(dockerHost.substring("unix://".length()));
            if (!Files.exists(p)) throw new DockerException(dockerHost, "no Docker socket at " + p + " (is dockerd running? set DOCKER_HOST)", 0, null);
            return new DockerClient(dockerHost, p, null);
        }
        if (dockerHost.startsWith("tcp://")) {
            if (!env.getOrDefault("DOCKER_TLS_VERIFY", "").isEmpty())
                throw new DockerException(dockerHost, "TLS to the Docker daemon (DOCKER_TLS_VERIFY) is not supported yet; use the unix socket or an SSH tunnel", 0, null);
            return new DockerClient(dockerHost, null, URI.create("http://" + dockerHost.substring("tcp://".length())));
        }
        throw new DockerException(dockerHost, "unsupported DOCKER_HOST (expected unix:///path or tcp://host:port)", 0, null);
    }

    public String host() {
        return host;
    }

    private Request request(String path) {
        Request r = http.newRequest(tcp != null ? tcp.resolve(path) : URI.create("http://localhost" + path));
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
            throw new DockerException(host, "the Docker daemon did not answer within 60 s", 0, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new DockerException(host, "cannot reach the Docker daemon: " + c.getMessage(), 0, c);
        }
        InputStream in = l.getInputStream();
        if (resp.getStatus() / 100 != 2) {
            String msg = errorMessage(in);
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

    private static String errorMessage(InputStream in) {
        try (in) {
            byte[] body = in.readNBytes(1 << 16);
            JsonNode n = JSON.readTree(body);
            return n == null ? "" : n.path("message").asText("");
        } catch (IOException e) {
            return "";
        }
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
