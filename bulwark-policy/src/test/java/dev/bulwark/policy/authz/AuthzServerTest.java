package dev.bulwark.policy.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.model.Decision;
import dev.bulwark.policy.PolicyEngine;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin server over a real unix socket, spoken to in raw HTTP bytes as dockerd's Go client sends them. */
class AuthzServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATE = "/v1.41/containers/create";

    @TempDir
    Path dir;
    private final List<String> problems = new ArrayList<>();
    private AuthzServer server;
    private AuditLog audit;

    private Path start(PolicyEngine engine, RequestDecoder decoder, AuthzServer.Config config) throws IOException {
        audit = AuditLog.open(dir.resolve("audit.jsonl"), null, problems::add);
        server = AuthzServer.start(config, () -> engine, decoder, audit, problems::add);
        return config.socket();
    }

    private Path start() throws IOException {
        return start(TestPolicy.ENGINE, TestPolicy.DECODER, AuthzServer.Config.of(dir.resolve("bulwark.sock")));
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) server.close();
        if (audit != null) audit.close();
    }

    private static JsonNode json(RawClient.Reply r) throws IOException {
        return JSON.readTree(r.body());
    }

    private List<JsonNode> auditLines() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("audit.jsonl"))) out.add(JSON.readTree(l));
        return out;
    }

    @Test
    void activateAnswersAuthz() throws IOException {
        Path s = start();
        try (RawClient c = new RawClient(s)) {
            RawClient.Reply r = c.call("/Plugin.Activate", new byte[0]);
            assertThat(r.status()).isEqualTo(200);
            assertThat(json(r).get("Implements").get(0).asText()).isEqualTo("authz");
            assertThat(r.headers().get("content-type")).isEqualTo("application/vnd.docker.plugins.v1.2+json");
        }
    }

    @Test
    void realCapturedPrivilegedCreateIsDeniedAndAPlainOneAllowedOnOneKeepAliveConnection() throws IOException {
        Path s = start();
        try (RawClient c = new RawClient(s)) {
            RawClient.Reply denied = c.call("/AuthZPlugin.AuthZReq", TestPolicy.sample());
            assertThat(json(denied).get("Allow").asBoolean()).isFalse();
            assertThat(json(denied).get("Msg").asText()).contains("privileged containers are not allowed").contains("no-privileged");
            assertThat(json(denied).get("Err").asText()).isEmpty();
            RawClient.Reply allowed = c.call("/AuthZPlugin.AuthZReq",
                TestPolicy.authzReq("POST", CREATE, "{\"Image\":\"debian:12\",\"HostConfig\":{\"Privileged\":false}}"));
            assertThat(json(allowed).get("Allow").asBoolean()).isTrue();
            RawClient.Reply ping = c.call("/AuthZPlugin.AuthZReq", TestPolicy.authzReq("GET", "/_ping", null));
            assertThat(json(ping).get("Allow").asBoolean()).isTrue();
        }
        List<JsonNode> lines = auditLines();
        assertThat(lines).hasSize(3);
        JsonNode first = lines.get(0);
        assertThat(first.get("decision").asText()).isEqualTo("deny");
        assertThat(first.get("rule").asText()).isEqualTo("no-privileged");
        assertThat(first.get("action").asText()).isEqualTo("container.create");
        assertThat(first.get("request").asText()).isEqualTo("POST " + CREATE);
        assertThat(first.get("object").get("image").asText()).isEqualTo("envcheck/debian:bookworm-minbase");
        assertThat(first.get("object").get("privileged").asBoolean()).isTrue();
        assertThat(first.get("latency_us").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(first.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(lines.get(1).get("decision").asText()).isEqualTo("allow");
    }

    @Test
    void createWithoutBodyOrWithZeroLengthBodyIsDenied() throws IOException {
        Path s = start(r -> Decision.allow("allow-all", ""), TestPolicy.DECODER, AuthzServer.Config.of(dir.resolve("b.sock")));
        try (RawClient c = new RawClient(s)) {
            for (String uri : List.of(CREATE, "/containers/create?name=x", "//v1.41//containers/create/", "/v1.24/containers/abc/exec",
                "/v1.41/containers/abc/update")) {
                JsonNode missing = json(c.call("/AuthZPlugin.AuthZReq", TestPolicy.authzReq("POST", uri, null)));
                assertThat(missing.get("Allow").asBoolean()).as(uri).isFalse();
                assertThat(missing.get("Msg").asText()).as(uri).contains("without its body").contains("body-required");
                JsonNode empty = json(c.call("/AuthZPlugin.AuthZReq", TestPolicy.authzReq("POST", uri, "")));
                assertThat(empty.get("Allow").asBoolean()).as(uri).isFalse();
            }
            // An endpoint without a body is not affected: an allow-all policy allows it.
            JsonNode start = json(c.call("/AuthZPlugin.AuthZReq", TestPolicy.authzReq("POST", "/v1.41/containers/abc/start", null)));
            assertThat(start.get("Allow").asBoolean()).isTrue();
        }
    }

    @Test
    void unparsableCallsAreDeniedWithTheReason() throws IOException {
        Path s = start(r -> Decision.allow("allow-all", ""), TestPolicy.DECODER, AuthzServer.Config.of(dir.resolve("b.sock")));
        String[][] cases = {
            {"not json", "not JSON"},
            {"[1,2]", "not a JSON object"},
            {"{}", "RequestMethod is missing"},
            {"{\"RequestMethod\":\"POST\"}", "RequestUri is missing"},
            {"{\"RequestMethod\":1,\"RequestUri\":\"/x\"}", "RequestMethod is not a string"},
            {"{\"RequestMethod\":\"POST\",\"RequestUri\":\"x\"}", "not a path"},
            {"{\"RequestMethod\":\"POST\",\"RequestUri\":\"/v1.41/containers/create\",\"RequestBody\":\"@@@\"}", "not valid base64"},
            {"{\"RequestMethod\":\"POST\",\"RequestUri\":\"/v1.41/containers/create\",\"RequestBody\":5}", "not a base64 string"},
            {"{\"RequestMethod\":\"GET\",\"RequestUri\":\"/_ping\",\"RequestHeaders\":{\"A\":1}}", "RequestHeaders.A is not a string"},
            {"{\"RequestMethod\":\"GET\",\"RequestUri\":\"/_ping\"", "not JSON"},
            {"", "empty body"},
            {"{\"RequestMethod\":\"GET\",\"RequestUri\":\"/_ping\",\"RequestUri\":\"/v1.41/containers/create\"}", "Duplicate field 'RequestUri'"},
        };
        try (RawClient c = new RawClient(s)) {
            for (String[] k : cases) {
                RawClient.Reply r = c.call("/AuthZPlugin.AuthZReq", k[0].getBytes(StandardCharsets.UTF_8));
                assertThat(r.status()).isEqualTo(200);
                assertThat(json(r).get("Allow").asBoolean()).as(k[0]).isFalse();
                assertThat(json(r).get("Msg").asText()).as(k[0]).contains(k[1]).contains("unparsable-request");
            }
        }
        assertThat(auditLines()).hasSize(cases.length).allSatisfy(l -> assertThat(l.get("decision").asText()).isEqualTo("deny"));
    }

    @Test
    void decoderErrorsAndEngineExceptionsDeny() throws IOException {
        PolicyEngine throwing = r -> {
            throw new IllegalStateException("boom");
        };
        Path s = start(throwing, TestPolicy.DECODER, AuthzServer.Config.of(dir.resolve("b.sock")));
        try (RawClient c = new RawClient(s)) {
            JsonNode undecodable = json(c.call("/AuthZPlugin.AuthZReq", TestPolicy.authzReq("POST", CREATE, "{not json")));
            assertThat(undecodable.get("Allow").asBoolean()).isFalse();
            assertThat(undecodable.get("Msg").asText()).contains("cannot decode").contains("body is not JSON").contains("undecodable-request");
            JsonNode internal = json(c.call("/AuthZPlugin.AuthZReq", TestPolicy.authzReq("GET", "/_ping", null)));
            assertThat(internal.get("Allow").asBoolean()).isFalse();
            assertThat(internal.get("Msg").asText()).contains("boom").contains("internal-error");
        }
    }

    @Test
    void anOversizedCallIsDeniedAndTheConnectionStaysUsable() throws IOException {
        Path s = start(TestPolicy.ENGINE, TestPolicy.DECODER, AuthzServer.Config.of(dir.resolve("b.sock")).withMaxBodyBytes(64 * 1024));
        String big = "{\"Image\":\"debian\",\"Labels\":{\"x\":\"" + "a".repeat(100_000) + "\"}}";
        try (RawClient c = new RawClient(s)) {
            RawClient.Reply r = c.call("/AuthZPlugin.AuthZReq", TestPolicy.authzReq("POST", CREATE, big));
            assertThat(r.status()).isEqualTo(200);
            assertThat(json(r).get("Allow").asBoolean()).isFalse();
            assertThat(json(r).get("Msg").asText()).contains("larger than 65536 bytes").contains("request-too-large");
            RawClient.Reply next = c.call("/AuthZPlugin.AuthZReq", TestPolicy.authzReq("GET", "/_ping", null));
            assertThat(json(next).get("Allow").asBoolean()).isTrue();
        }
    }

    @Test
    void aHugeDeclaredBodyIsDeniedAndTheConnectionClosed() throws IOException {
        Path s = start(TestPolicy.ENGINE, TestPolicy.DECODER, AuthzServer.Config.of(dir.resolve("b.sock")).withMaxBodyBytes(64 * 1024));
        try (RawClient c = new RawClient(s)) {
            c.send(("POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nHost: \r\nContent-Length: 99999999999\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            RawClient.Reply r = c.read();
            assertThat(json(r).get("Allow").asBoolean()).isFalse();
            assertThat(r.headers().get("connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void oversizedHeadersAndBrokenHttpAreRefusedWithADeny() throws IOException {
        Path s = start();
        try (RawClient c = new RawClient(s)) {
            c.send(("POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nHost: \r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            RawClient.Reply r = c.read();
            assertThat(r.status()).isEqualTo(431);
            assertThat(json(r).get("Allow").asBoolean()).isFalse();
        }
        for (String raw : List.of("GARBAGE\r\n\r\n", "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nContent-Length: x\r\n\r\n",
            "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}",
            "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")) {
            try (RawClient c = new RawClient(s)) {
                c.send(raw.getBytes(StandardCharsets.US_ASCII));
                RawClient.Reply r = c.read();
                assertThat(r.status()).as(raw).isEqualTo(400);
                assertThat(json(r).get("Allow").asBoolean()).isFalse();
                assertThat(json(r).get("Msg").asText()).contains("not valid HTTP");
            }
        }
    }

    @Test
    void chunkedBodiesAndPipelinedRequestsWork() throws IOException {
        Path s = start();
        byte[] body = TestPolicy.sample();
        String hex = Integer.toHexString(body.length - 10);
        byte[] head = ("POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nHost: \r\nTransfer-Encoding: chunked\r\n\r\n" + hex + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try (RawClient c = new RawClient(s)) {
            java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
            o.writeBytes(head);
            o.write(body, 0, body.length - 10);
            o.writeBytes("\r\na\r\n".getBytes(StandardCharsets.US_ASCII));
            o.write(body, body.length - 10, 10);
            o.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            o.writeBytes(RawClient.post("/Plugin.Activate", new byte[0]));
            c.send(o.toByteArray());
            RawClient.Reply r = c.read();
            assertThat(json(r).get("Allow").asBoolean()).isFalse();
            assertThat(json(r).get("Msg").asText()).contains("no-privileged");
            assertThat(json(c.read()).get("Implements")).isNotNull();
        }
    }

    @Test
    void responsesAreAllowedWhenWellFormedAndDeniedWhenNot() throws IOException {
        Path s = start();
        try (RawClient c = new RawClient(s)) {
            String ok = "{\"RequestMethod\":\"GET\",\"RequestUri\":\"/v1.41/version\",\"RequestHeaders\":{},\"ResponseStatusCode\":200,"
                + "\"ResponseBody\":\"" + Base64.getEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8)) + "\",\"ResponseHeaders\":{\"Content-Type\":\"application/json\"}}";
            assertThat(json(c.call("/AuthZPlugin.AuthZRes", ok.getBytes(StandardCharsets.UTF_8))).get("Allow").asBoolean()).isTrue();
            JsonNode bad = json(c.call("/AuthZPlugin.AuthZRes", "{\"RequestMethod\":\"GET\",\"RequestUri\":\"/x\",\"ResponseStatusCode\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
            assertThat(bad.get("Allow").asBoolean()).isFalse();
            assertThat(bad.get("Msg").asText()).contains("ResponseStatusCode");
        }
        // only the denied response is in the log
        assertThat(auditLines()).hasSize(1);
    }

    @Test
    void unknownCallsAndMethodsGetErrors() throws IOException {
        Path s = start();
        try (RawClient c = new RawClient(s)) {
            assertThat(c.call("/VolumeDriver.Create", "{}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(404);
            c.send("GET /Plugin.Activate HTTP/1.1\r\nHost: \r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.read().status()).isEqualTo(405);
        }
    }

    @Test
    void anAuditLogThatCannotBeWrittenDeniesAllowsAndSaysSo() throws IOException {
        // /dev/full: every write fails with ENOSPC, a real disk-full without filling a disk
        AuditLog full = AuditLog.open(Path.of("/dev/full"), null, problems::add);
        server = AuthzServer.start(AuthzServer.Config.of(dir.resolve("f.sock")), () -> TestPolicy.ENGINE, TestPolicy.DECODER, full, problems::add);
        try (RawClient c = new RawClient(dir.resolve("f.sock"))) {
            JsonNode r = json(c.call("/AuthZPlugin.AuthZReq", TestPolicy.authzReq("GET", "/_ping", null)));
            assertThat(r.get("Allow").asBoolean()).isFalse();
            assertThat(r.get("Msg").asText()).contains("cannot write the audit log").contains("audit-log-failed");
        } finally {
            full.close();
        }
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("/dev/full"));
    }

    @Test
    void manyConcurrentClientsGetTheirOwnAnswers() throws Exception {
        Path s = start();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    int denied = 0;
                    try (RawClient c = new RawClient(s)) {
                        for (int i = 0; i < 50; i++) {
                            boolean priv = (i + id) % 2 == 0;
                            JsonNode r = json(c.call("/AuthZPlugin.AuthZReq", TestPolicy.authzReq("POST", CREATE,
                                "{\"Image\":\"img" + id + "-" + i + "\",\"HostConfig\":{\"Privileged\":" + priv + "}}")));
                            assertThat(r.get("Allow").asBoolean()).isEqualTo(!priv);
                            if (!priv) continue;
                            denied++;
                        }
                    }
                    return denied;
                }));
            }
            int denied = 0;
            for (Future<Integer> f : fs) denied += f.get();
            assertThat(denied).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        assertThat(auditLines()).hasSize(400);
    }

    @Test
    void closeRemovesTheSocketAndTheSpecFile() throws IOException {
        Path sock = dir.resolve("p.sock");
        Path spec = dir.resolve("plugins/bulwark.spec");
        start(TestPolicy.ENGINE, TestPolicy.DECODER, AuthzServer.Config.of(sock).withSpecFile(spec));
        assertThat(Files.readString(spec)).isEqualTo("unix://" + sock.toAbsolutePath() + "\n");
        server.close();
        assertThat(sock).doesNotExist();
        assertThat(spec).doesNotExist();
    }

    @Test
    void aStaleSocketIsReplacedALiveOneAndOtherFilesAreNot() throws IOException {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(stale)); // bound then closed: the file stays, nobody listens
        }
        assertThat(stale).exists();
        start(TestPolicy.ENGINE, TestPolicy.DECODER, AuthzServer.Config.of(stale));
        try (RawClient c = new RawClient(stale)) {
            assertThat(c.call("/Plugin.Activate", new byte[0]).status()).isEqualTo(200);
        }
        assertThatThrownBy(() -> AuthzServer.start(AuthzServer.Config.of(stale), () -> TestPolicy.ENGINE, TestPolicy.DECODER, null, null))
            .isInstanceOf(IOException.class).hasMessageContaining("in use");
        Path file = Files.writeString(dir.resolve("file.sock"), "keep me");
        assertThatThrownBy(() -> AuthzServer.start(AuthzServer.Config.of(file), () -> TestPolicy.ENGINE, TestPolicy.DECODER, null, null))
            .isInstanceOf(IOException.class).hasMessageContaining("not a socket");
        assertThat(Files.readString(file)).isEqualTo("keep me");
    }

    @Test
    void warmUpDecidesTypicalCallsWithoutLoggingThem() throws IOException {
        int[] seen = {0, 0};
        PolicyEngine counting = r -> {
            seen[0]++;
            if (r.action().equals("container.create") && Boolean.TRUE.equals(r.object().get("privileged"))) seen[1]++;
            return Decision.allow("x", "");
        };
        // the test decoder knows /containers/* and pings; an image pull is a decode error, denied before the engine
        int n = AuthzServer.warmUp(() -> counting, TestPolicy.DECODER, 3);
        assertThat(n).isEqualTo(15);
        assertThat(seen[0]).isEqualTo(12);
        assertThat(seen[1]).isEqualTo(3);
    }

    @Test
    void theEngineIsReadOnEveryDecision() throws IOException {
        PolicyEngine[] current = {r -> Decision.allow("a", "")};
        audit = AuditLog.open(dir.resolve("audit.jsonl"), null, problems::add);
        server = AuthzServer.start(AuthzServer.Config.of(dir.resolve("e.sock")), () -> current[0], TestPolicy.DECODER, audit, problems::add);
        try (RawClient c = new RawClient(dir.resolve("e.sock"))) {
            assertThat(json(c.call("/AuthZPlugin.AuthZReq", TestPolicy.authzReq("GET", "/_ping", null))).get("Allow").asBoolean()).isTrue();
            current[0] = r -> Decision.deny("b", "now denied");
            JsonNode r = json(c.call("/AuthZPlugin.AuthZReq", TestPolicy.authzReq("GET", "/_ping", null)));
            assertThat(r.get("Allow").asBoolean()).isFalse();
            assertThat(r.get("Msg").asText()).isEqualTo("now denied (bulwark rule b)");
        }
    }
}
