package dev.bulwark.audit.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Docker Engine API stand-in on a unix socket for fast tests: answers GET requests with canned JSON (documents
 * captured from the private dockerd 20.10.24, see {@code src/test/resources/host/engine/README.md}), 404 otherwise.
 * One request per connection (it answers "Connection: close").
 */
final class FakeEngine implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;
    private final ServerSocketChannel server;
    private final Map<String, String> routes = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    FakeEngine(Path dir) throws IOException {
        this.socket = dir.resolve("engine.sock");
        Files.deleteIfExists(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        this.acceptor = Thread.ofVirtual().name("fake-engine").start(this::acceptLoop);
    }

    /** A daemon like the private dockerd with no containers and no images. */
    static FakeEngine privateDaemon(Path dir) throws IOException {
        FakeEngine e = new FakeEngine(dir);
        e.route("/info", resource("info-private.json"));
        e.route("/version", resource("version-private.json"));
        e.route("/networks", resource("networks-private.json"));
        e.containers();
        e.route("/images/json", "[]");
        return e;
    }

    String host() {
        return "unix://" + socket;
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    FakeEngine route(String path, String json) {
        routes.put(path, json);
        return this;
    }

    FakeEngine route(String path, JsonNode json) {
        return route(path, json.toString());
    }

    /** Serves these inspect documents (the first element of `docker inspect` arrays is taken) as the containers. */
    FakeEngine containers(JsonNode... inspects) {
        ArrayNode list = JSON.createArrayNode();
        for (JsonNode i : inspects) {
            JsonNode doc = i.isArray() ? i.get(0) : i;
            String id = doc.path("Id").asText();
            list.addObject().put("Id", id).put("Names", doc.path("Name").asText());
            route("/containers/" + id + "/json", doc);
        }
        route("/containers/json?all=1", list);
        route("/containers/json", list);
        return this;
    }

    /** Serves these images: inspect documents and, optionally, their histories (same order). */
    FakeEngine images(List<JsonNode> inspects, List<JsonNode> histories) {
        ArrayNode list = JSON.createArrayNode();
        for (int i = 0; i < inspects.size(); i++) {
            JsonNode doc = inspects.get(i);
            String id = doc.path("Id").asText();
            list.addObject().put("Id", id);
            route("/images/" + id + "/json", doc);
            route("/images/" + id + "/history", histories.size() > i ? histories.get(i) : JSON.createArrayNode());
        }
        route("/images/json", list);
        return this;
    }

    static JsonNode resource(String name) {
        try (InputStream in = FakeEngine.class.getResourceAsStream("/host/engine/" + name)) {
            if (in == null) throw new IllegalArgumentException("no test resource /host/engine/" + name);
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of a resource to edit. */
    static ObjectNode object(String name) {
        JsonNode n = resource(name);
        return (ObjectNode) (n.isArray() ? n.get(0) : n).deepCopy();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                Thread.ofVirtual().start(() -> serve(ch));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            String head = "";
            while (!head.contains("\r\n\r\n")) {
                if (ch.read(buf) < 0) return;
                head = new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
            }
            String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
            String path = requestLine.length > 1 ? requestLine[1] : "/";
            // the client may prefix a version (/v1.41/info)
            path = java.net.URLDecoder.decode(path.replaceFirst("^/v\\d+\\.\\d+/", "/"), StandardCharsets.UTF_8);
            requests.add(path);
            String body = routes.get(path);
            int status = 200;
            if (body == null) {
                status = 404;
                body = "{\"message\":\"page not found: " + path + "\"}";
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String resp = "HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found") + "\r\nContent-Type: application/json"
                + "\r\nContent-Length: " + b.length + "\r\nConnection: close\r\n\r\n";
            ch.write(ByteBuffer.wrap(resp.getBytes(StandardCharsets.ISO_8859_1)));
            ByteBuffer out = ByteBuffer.wrap(b);
            while (out.hasRemaining()) ch.write(out);
        } catch (IOException e) {
            // the client went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
        Files.deleteIfExists(socket);
    }
}
