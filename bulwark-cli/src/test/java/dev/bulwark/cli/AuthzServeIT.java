package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bulwark authz serve` as a process: signals (SIGHUP reloads, SIGTERM stops cleanly), the real policy, the audit log. */
class AuthzServeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String POLICY_V1 = """
        apiVersion: bulwark.dev/v1
        kind: Policy
        metadata: {name: serve-it}
        extends: baseline
        default: allow
        """;
    static final String POLICY_V2 = POLICY_V1 + """
        rules:
          - name: no-ping
            match: {actions: [system.ping]}
            effect: deny
            message: "pings are off"
        """;

    @TempDir
    Path tmp;

    /** One plugin call on a fresh connection, the way dockerd frames it (empty Host header). */
    static JsonNode call(Path sock, String path, String body) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: \r\nUser-Agent: Go-http-client/1.1\r\nContent-Length: " + b.length
                + "\r\nContent-Type: application/vnd.docker.plugins.v1.2+json\r\nConnection: close\r\n\r\n";
            ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
            ch.write(ByteBuffer.wrap(b));
            InputStream in = Channels.newInputStream(ch);
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(all).startsWith("HTTP/1.1 200 ");
            return JSON.readTree(all.substring(all.indexOf("\r\n\r\n") + 4));
        }
    }

    static String ping() {
        return "{\"RequestMethod\":\"GET\",\"RequestUri\":\"/_ping\",\"RequestHeaders\":{}}";
    }

    @Test
    void sighupReloadsARejectedPolicyLeavesTheOldOneAndSigtermRemovesTheSocket() throws Exception {
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), POLICY_V1);
        Path sock = tmp.resolve("bulwark.sock");
        Path spec = tmp.resolve("spec/bulwark.spec");
        Path audit = tmp.resolve("audit.jsonl");
        try (AuthzPluginProcess p = AuthzPluginProcess.start(tmp.resolve("serve.log"), "authz", "serve", "--policy", policy.toString(),
            "--no-watch", "--socket", sock.toString(), "--spec-dir", spec.getParent().toString(), "--audit-log", audit.toString())) {
            p.awaitLog("listening on unix://" + sock, 60);
            assertThat(Files.readString(spec)).isEqualTo("unix://" + sock + "\n");
            assertThat(call(sock, "/Plugin.Activate", "").get("Implements").toString()).isEqualTo("[\"authz\"]");
            assertThat(call(sock, "/AuthZPlugin.AuthZReq", ping()).get("Allow").asBoolean()).isTrue();

            Files.writeString(policy, POLICY_V2);
            p.signal("HUP");
            p.awaitLog("policy reloaded from " + policy + " (SIGHUP)", 30);
            JsonNode denied = call(sock, "/AuthZPlugin.AuthZReq", ping());
            assertThat(denied.get("Allow").asBoolean()).isFalse();
            assertThat(denied.get("Msg").asText()).isEqualTo("pings are off (bulwark rule no-ping)");

            Files.writeString(policy, POLICY_V2 + "    condition: nosuchfield == 1\n");
            p.signal("HUP");
            p.awaitLog("new policy rejected (SIGHUP)", 30);
            assertThat(call(sock, "/AuthZPlugin.AuthZReq", ping()).get("Msg").asText()).contains("no-ping"); // v2 still in force

            assertThat(p.stop()).isZero();
            assertThat(p.log()).contains("authz plugin stopped");
        }
        assertThat(sock).doesNotExist();
        assertThat(spec).doesNotExist();
        List<String> lines = Files.readAllLines(audit);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event\":\"policy-reload\"").contains("\"ok\":true"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event\":\"policy-reload\"").contains("\"ok\":false").contains("policy.yaml"));
        assertThat(lines).filteredOn(l -> l.contains("\"action\":\"system.ping\"")).hasSize(3);
    }

    @Test
    void anEditedPolicyFileIsPickedUpWithoutASignal() throws Exception {
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), POLICY_V1);
        Path sock = tmp.resolve("w.sock");
        try (AuthzPluginProcess p = AuthzPluginProcess.start(tmp.resolve("serve.log"), "authz", "serve", "--policy", policy.toString(),
            "--socket", sock.toString())) {
            p.awaitLog("listening", 60);
            assertThat(call(sock, "/AuthZPlugin.AuthZReq", ping()).get("Allow").asBoolean()).isTrue();
            Path tmpFile = Files.writeString(tmp.resolve(".policy.yaml.new"), POLICY_V2);
            Files.move(tmpFile, policy, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            p.awaitLog("policy reloaded from " + policy + " (file change)", 30);
            assertThat(call(sock, "/AuthZPlugin.AuthZReq", ping()).get("Allow").asBoolean()).isFalse();
            assertThat(p.stop()).isZero();
        }
    }
}
