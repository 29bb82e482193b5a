package dev.bulwark.policy.admission;

import dev.bulwark.policy.PolicyEngine;
import dev.bulwark.policy.authz.AuditLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Kubernetes validating admission webhook: HTTPS only (the API server calls webhooks over TLS and nothing
 * else), {@code POST /validate} with an AdmissionReview v1, {@code GET /healthz} for the kubelet's probes.
 * Request bodies are bounded; a larger one is refused with 413 (the API server then applies failurePolicy).
 */
public final class AdmissionServer implements AutoCloseable {
    /**
     * @param host         address to bind ("0.0.0.0" in a pod, "127.0.0.1" in tests)
     * @param port         port, 0 for any free one
     * @param tlsCert      PEM certificate chain (leaf first)
     * @param tlsKey       PEM private key of the leaf
     * @param dryRun       allow everything, warn and log what would have been denied
     * @param maxBodyBytes largest AdmissionReview accepted (object and oldObject together)
     */
    public record Config(String host, int port, Path tlsCert, Path tlsKey, boolean dryRun, int maxBodyBytes) {
        public static final int DEFAULT_MAX_BODY = 4 * 1024 * 1024;

        public Config {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(tlsCert, "tlsCert");
            Objects.requireNonNull(tlsKey, "tlsKey");
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " out of range");
            if (maxBodyBytes < 1024) throw new IllegalArgumentException("body limit below 1024 bytes");
        }
    }

    /** The TLS files cannot be used: what and which file. */
    public static final class TlsProblem extends Exception {
        TlsProblem(String message) {
            super(message);
        }
    }

    private final Server server;
    private final ServerConnector connector;

    private AdmissionServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    public static AdmissionServer start(Config config, Supplier<PolicyEngine> engine, Reviewer reviewer, AuditLog audit,
                                        Consumer<String> problems) throws TlsProblem, IOException {
        SSLContext ssl;
        try {
            ssl = ServerTls.context(config.tlsCert(), config.tlsKey());
        } catch (ServerTls.Problem e) {
            throw new TlsProblem(e.getMessage());
        }
        AdmissionHandler handler = new AdmissionHandler(engine, reviewer, audit, config.dryRun(), problems);
        QueuedThreadPool pool = new QueuedThreadPool(32, 4);
        pool.setName("bulwark-admission");
        pool.setDaemon(true);
        Server server = new Server(pool);
        SslContextFactory.Server sslFactory = new SslContextFactory.Server();
        sslFactory.setSslContext(ssl);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(16 * 1024);
        http.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector connector = new ServerConnector(server,
            new SslConnectionFactory(sslFactory, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                long start = System.nanoTime();
                String path = Request.getPathInContext(request);
                if (path.equals("/healthz") || path.equals("/readyz")) {
                    send(response, callback, 200, "text/plain; charset=utf-8", "ok\n".getBytes(StandardCharsets.UTF_8));
                    return true;
                }
                if (!path.equals("/validate")) {
                    send(response, callback, 404, "text/plain; charset=utf-8", "bulwark: no such path; POST AdmissionReviews to /validate\n".getBytes(StandardCharsets.UTF_8));
                    return true;
                }
                if (!request.getMethod().equals("POST")) {
                    send(response, callback, 405, "text/plain; charset=utf-8", "bulwark: POST an AdmissionReview\n".getBytes(StandardCharsets.UTF_8));
                    return true;
                }
                long declared = request.getLength();
                long drainLimit = 4L * config.maxBodyBytes();
                byte[] body = null;
                if (declared <= drainLimit) {
                    try (InputStream in = Content.Source.asInputStream(request)) {
                        body = in.readNBytes(config.maxBodyBytes() + 1);
                        // An oversized body is read to its end (within 4x the limit) before the 413, so the client,
                        // still sending, gets the answer instead of a reset connection.
                        if (body.length > config.maxBodyBytes()) drain(in, drainLimit);
                    }
                }
                if (body == null || body.length > config.maxBodyBytes()) {
                    send(response, callback, 413, "text/plain; charset=utf-8",
                        ("bulwark: the AdmissionReview is larger than " + config.maxBodyBytes() + " bytes\n").getBytes(StandardCharsets.UTF_8));
                    return true;
                }
                AdmissionHandler.Reply r = handler.validate(body, start);
                send(response, callback, r.status(), r.contentType(), r.body());
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // already failing
            }
            throw new IOException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        return new AdmissionServer(server, connector);
    }

    private static void drain(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[16384];
        long total = 0;
        int n;
        while (total < limit && (n = in.read(buf)) > 0) total += n;
    }

    private static void send(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** The port listened on (the chosen one when configured with 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // stopping anyway
        }
    }
}
