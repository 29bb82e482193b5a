package dev.bulwark.vulndb.fetch;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A static file server on 127.0.0.1 (an ephemeral port) for the fetcher's tests. It serves real files (streamed,
 * never loaded whole) or fixed bytes with a strong ETag (the content's SHA-256) and a Last-Modified, answers
 * conditional requests with 304 as RFC 9110 says (If-None-Match first, If-Modified-Since only without it), and
 * injects faults per route: failing the first requests, a fixed status, a truncated body, a stall before the
 * headers or in the middle of the body, a redirect, a chunked body without Content-Length.
 */
final class TestFeedServer implements AutoCloseable {
    /** What one path serves, and how it misbehaves. Fields may be changed between fetches. */
    static final class Route {
        volatile Path file;
        volatile byte[] bytes;
        volatile boolean etag = true;
        volatile boolean lastModified = true;
        volatile Instant modified = Instant.parse("2026-11-01T10:00:00Z");
        volatile int failFirst;
        volatile int failStatus = 500;
        volatile int status;
        volatile boolean truncate;
        volatile boolean stallBeforeHeaders;
        volatile boolean stallMidBody;
        volatile boolean chunked;
        volatile String redirect;
        final AtomicInteger hits = new AtomicInteger();

        /** Serve other bytes from now on, as a changed upstream file: a new ETag and a later Last-Modified. */
        Route change(byte[] newBytes) {
            bytes = newBytes;
            file = null;
            modified = modified.plusSeconds(3600);
            return this;
        }
    }

    /** A request as the server saw it. */
    record Seen(String path, String ifNoneMatch, String ifModifiedSince, String userAgent) {
    }

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-feed-server");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch release = new CountDownLatch(1);
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final List<Seen> seen = new ArrayList<>();

    TestFeedServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    URI url(String path) {
        return base().resolve(path);
    }

    Route serve(String path, Path file) {
        Route r = new Route();
        r.file = file;
        routes.put(path, r);
        return r;
    }

    Route serve(String path, byte[] bytes) {
        Route r = new Route();
        r.bytes = bytes;
        routes.put(path, r);
        return r;
    }

    List<Seen> seen(String path) {
        synchronized (seen) {
            return seen.stream().filter(s -> s.path().equals(path)).toList();
        }
    }

    List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** The ETag this server gives the content. */
    static String etagOf(byte[] content) {
        return "\"" + sha256(content).substring(0, 32) + "\"";
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            Headers h = ex.getRequestHeaders();
            synchronized (seen) {
                seen.add(new Seen(path, h.getFirst("If-None-Match"), h.getFirst("If-Modified-Since"),
                        h.getFirst("User-Agent")));
            }
            Route r = routes.get(path);
            if (r == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            int hit = r.hits.incrementAndGet();
            if (r.stallBeforeHeaders) {
                stall();
                return;
            }
            if (hit <= r.failFirst) {
                send(ex, r.failStatus, "failing on purpose\n".getBytes());
                return;
            }
            if (r.status != 0) {
                send(ex, r.status, ("status " + r.status + "\n").getBytes());
                return;
            }
            if (r.redirect != null) {
                ex.getResponseHeaders().set("Location", r.redirect);
                ex.sendResponseHeaders(302, -1);
                return;
            }
            Path file = r.file;
            byte[] bytes = r.bytes;
            long length = file != null ? Files.size(file) : bytes.length;
            String tag = file != null ? "\"" + sha256(file).substring(0, 32) + "\"" : etagOf(bytes);
            Instant modified = r.modified;
            if (r.etag) ex.getResponseHeaders().set("ETag", tag);
            if (r.lastModified) {
                ex.getResponseHeaders().set("Last-Modified", HTTP_DATE.format(modified.atZone(ZoneOffset.UTC)));
            }
            if (notModified(h, r, tag, modified)) {
                ex.sendResponseHeaders(304, -1);
                return;
            }
            ex.sendResponseHeaders(200, r.chunked ? 0 : length);
            try (OutputStream out = ex.getResponseBody();
                 InputStream in = file != null ? Files.newInputStream(file) : new java.io.ByteArrayInputStream(bytes)) {
                if (r.truncate || r.stallMidBody) {
                    out.write(in.readNBytes((int) Math.min(length / 2, 64 * 1024)));
                    out.flush();
                    if (r.stallMidBody) stall();
                    // an exception out of the handler makes the server drop the connection short of Content-Length
                    throw new Truncated();
                }
                in.transferTo(out);
            }
        } catch (IOException e) {
            // the client went away (as it should when it refuses a body): nothing to do
        }
    }

    /** Thrown out of a handler to drop the connection in the middle of a body. */
    private static final class Truncated extends RuntimeException {
        Truncated() {
            super("truncated on purpose", null, false, false);
        }
    }

    private static boolean notModified(Headers h, Route r, String tag, Instant modified) {
        String inm = h.getFirst("If-None-Match");
        if (inm != null) return r.etag && (inm.equals(tag) || inm.equals("*"));
        String ims = h.getFirst("If-Modified-Since");
        if (ims == null || !r.lastModified) return false;
        try {
            Instant since = ZonedDateTime.parse(ims, HTTP_DATE).toInstant();
            return !modified.isAfter(since);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    private void stall() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        if (release.getCount() == 0) return;
        release.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
