package dev.bulwark.policy.authz;

import dev.bulwark.policy.PolicyEngine;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Docker authorization plugin: an HTTP/1.1 server on a unix socket that dockerd calls before (AuthZReq) and
 * after (AuthZRes) every Engine API request. One thread per connection (dockerd keeps a few keep-alive connections
 * and calls on them concurrently), at most {@link Config#maxConnections()} connections at once.
 *
 * <p>A plain server on the JDK's unix {@link ServerSocketChannel} rather than Jetty: dockerd's plugin client sends
 * an empty {@code Host:} header, which Jetty answers with 400, and the protocol needs nothing Jetty would add.
 */
public final class AuthzServer implements AutoCloseable {
    /**
     * @param socket         the unix socket to listen on (dockerd looks for /run/docker/plugins/NAME.sock)
     * @param specFile       a NAME.spec file to write with the socket's address ("unix:///..."), or null
     * @param maxHeaderBytes request line plus headers
     * @param maxBodyBytes   a plugin call's JSON (dockerd forwards request bodies up to 1 MiB, base64 in it)
     * @param maxConnections connections served at once; more wait in the listen backlog
     */
    public record Config(Path socket, Path specFile, int maxHeaderBytes, int maxBodyBytes, int maxConnections) {
        public static final int DEFAULT_MAX_HEADER = 16 * 1024;
        public static final int DEFAULT_MAX_BODY = 4 * 1024 * 1024;

        public Config {
            Objects.requireNonNull(socket, "socket");
            if (maxHeaderBytes < 1024) throw new IllegalArgumentException("header limit below 1024 bytes");
            if (maxBodyBytes < 1024) throw new IllegalArgumentException("body limit below 1024 bytes");
            if (maxConnections < 1) throw new IllegalArgumentException("at least one connection");
        }

        public static Config of(Path socket) {
            return new Config(socket, null, DEFAULT_MAX_HEADER, DEFAULT_MAX_BODY, 256);
        }

        public Config withSpecFile(Path spec) {
            return new Config(socket, spec, maxHeaderBytes, maxBodyBytes, maxConnections);
        }

        public Config withMaxBodyBytes(int n) {
            return new Config(socket, specFile, maxHeaderBytes, n, maxConnections);
        }
    }

    private final Config config;
    private final ServerSocketChannel server;
    private final AuthzHandler handler;
    private final Semaphore slots;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Consumer<String> problems;
    private volatile boolean closing;

    private AuthzServer(Config config, ServerSocketChannel server, AuthzHandler handler, Consumer<String> problems) {
        this.config = config;
        this.server = server;
        this.handler = handler;
        this.slots = new Semaphore(config.maxConnections());
        this.problems = problems;
    }

    /**
     * Binds the socket (replacing a stale one nobody answers on; refusing a live one or a file that is not a
     * socket), writes the spec file if asked, and starts serving.
     *
     * @param engine   the policy in force, read on every decision (a reload swaps what it returns)
     * @param problems where failures outside a single decision are reported (audit log unwritable...)
     */
    public static AuthzServer start(Config config, Supplier<PolicyEngine> engine, RequestDecoder decoder, AuditLog audit,
                                    Consumer<String> problems) throws IOException {
        Consumer<String> p = problems == null ? s -> { } : problems;
        Path sock = config.socket().toAbsolutePath();
        prepare(sock);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(sock), 512);
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw----"));
            if (config.specFile() != null) {
                Path spec = config.specFile().toAbsolutePath();
                if (spec.getParent() != null) Files.createDirectories(spec.getParent());
                Files.writeString(spec, "unix://" + sock + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            ch.close();
            Files.deleteIfExists(sock);
            throw e;
        }
        AuthzServer s = new AuthzServer(config, ch, new AuthzHandler(engine, decoder, audit, p), p);
        Thread.ofPlatform().name("bulwark-authz-accept").daemon(true).start(s::acceptLoop);
        return s;
    }

    private static void prepare(Path sock) throws IOException {
        if (sock.getParent() != null) Files.createDirectories(sock.getParent());
        if (!Files.exists(sock, LinkOption.NOFOLLOW_LINKS)) return;
        if (!isSocket(sock)) throw new IOException(sock + " exists and is not a socket; refusing to replace it");
        boolean live;
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(sock));
            live = true;
        } catch (IOException refused) {
            live = false;
        }
        if (live) throw new IOException(sock + " is in use by a running server (another plugin instance?)");
        Files.deleteIfExists(sock); // stale: left by a process that was killed
    }

    private static boolean isSocket(Path p) {
        try {
            Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer m && (m & 0170000) == 0140000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Runs {@code rounds} decisions of typical calls (a privileged and a plain container create, a ping, an exec, an
     * image pull) through the engine before the socket opens, so the JIT has compiled the decision path when
     * dockerd's first calls arrive: a plugin on a quiet daemon would otherwise decide in the interpreter for a long
     * time, and every docker command waits for it. Returns the decisions made; the audit log sees none of them.
     */
    public static int warmUp(Supplier<PolicyEngine> engine, RequestDecoder decoder, int rounds) {
        AuthzHandler h = new AuthzHandler(engine, decoder, AuditLog.none(), null);
        String[] bodies = {
            "{\"Image\":\"debian:12\",\"Cmd\":[\"true\"],\"HostConfig\":{\"Privileged\":true,\"NetworkMode\":\"default\"}}",
            "{\"Image\":\"debian:12\",\"User\":\"1000\",\"Cmd\":[\"sh\"],\"HostConfig\":{\"Binds\":[\"/srv/data:/data:ro\"],"
                + "\"CapAdd\":[\"NET_BIND_SERVICE\"],\"NetworkMode\":\"default\",\"ReadonlyRootfs\":true,\"Memory\":268435456}}",
        };
        byte[][] calls = {
            call("POST", "/v1.41/containers/create", bodies[0]),
            call("POST", "/v1.41/containers/create?name=web", bodies[1]),
            call("HEAD", "/_ping", null),
            call("POST", "/v1.41/containers/abc/exec", "{\"User\":\"\",\"Privileged\":false,\"Cmd\":[\"sh\"]}"),
            call("POST", "/v1.41/images/create?fromImage=debian&tag=12", null),
        };
        int n = 0;
        for (int i = 0; i < rounds; i++) {
            for (byte[] c : calls) {
                h.authzRequest(c, System.nanoTime());
                n++;
            }
        }
        return n;
    }

    private static byte[] call(String method, String uri, String body) {
        String b = body == null ? "" : ",\"RequestBody\":\"" + java.util.Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) + "\"";
        return ("{\"RequestMethod\":\"" + method + "\",\"RequestUri\":\"" + uri + "\"" + b
            + ",\"RequestHeaders\":{\"Content-Type\":\"application/json\"}}").getBytes(StandardCharsets.UTF_8);
    }

    public Path socket() {
        return config.socket();
    }

    private void acceptLoop() {
        try {
            while (!closing) {
                slots.acquire();
                SocketChannel c;
                try {
                    c = server.accept();
                } catch (IOException e) {
                    slots.release();
                    if (closing) break;
                    problems.accept("authz plugin: accept failed: " + e.getMessage());
                    continue;
                }
                open.add(c);
                // A platform thread per connection: dockerd holds a handful, and a thread blocked in read(2) wakes
                // straight from the kernel, one scheduling hop shorter than a virtual thread's poller.
                Thread.ofPlatform().daemon(true).name("bulwark-authz-conn").start(() -> serve(c));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(c), 16 * 1024);
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(c), 16 * 1024);
            long maxDrain = Math.max(4L * config.maxBodyBytes(), 16L << 20);
            while (!closing) {
                PluginHttp.Request r;
                long start;
                try {
                    r = PluginHttp.read(in, config.maxHeaderBytes(), config.maxBodyBytes(), maxDrain);
                    start = System.nanoTime();
                } catch (PluginHttp.BadRequest e) {
                    byte[] body = handler.refused("bad-http", "the plugin call is not valid HTTP: " + e.getMessage(), System.nanoTime());
                    PluginHttp.respond(out, e.status, AuthzHandler.CONTENT_TYPE, body, true);
                    return;
                }
                if (r == null) return;
                boolean close = !r.keepAlive() || r.mustClose() || closing;
                String path = r.target();
                int q = path.indexOf('?');
                if (q >= 0) path = path.substring(0, q);
                byte[] reply;
                int status = 200;
                if (!r.method().equals("POST")) {
                    status = 405;
                    reply = "{\"Err\":\"plugin calls are POST\"}".getBytes(StandardCharsets.UTF_8);
                } else if (r.bodyTooLarge()) {
                    reply = handler.refused("request-too-large", "the plugin call is larger than " + config.maxBodyBytes()
                        + " bytes and cannot be checked", start);
                } else {
                    switch (path) {
                        case "/Plugin.Activate" -> reply = AuthzHandler.ACTIVATE;
                        case "/AuthZPlugin.AuthZReq" -> reply = handler.authzRequest(r.body(), start);
                        case "/AuthZPlugin.AuthZRes" -> reply = handler.authzResponse(r.body(), start);
                        default -> {
                            status = 404;
                            reply = ("{\"Err\":\"bulwark: no such plugin call\"}").getBytes(StandardCharsets.UTF_8);
                        }
                    }
                }
                PluginHttp.respond(out, status, AuthzHandler.CONTENT_TYPE, reply, close);
                if (close) return;
            }
        } catch (IOException e) {
            // the peer went away mid-call: nothing to answer
        } finally {
            open.remove(c);
            slots.release();
        }
    }

    /** Blocks until the server stops (after {@link #close()}). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** Stops accepting, closes every connection, removes the socket and the spec file. */
    @Override
    public void close() {
        if (closing) return;
        closing = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (SocketChannel c : open) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            Files.deleteIfExists(config.socket());
            if (config.specFile() != null) Files.deleteIfExists(config.specFile());
        } catch (IOException e) {
            problems.accept("authz plugin: cannot remove " + config.socket() + ": " + e.getMessage());
        }
        stopped.countDown();
    }
}
