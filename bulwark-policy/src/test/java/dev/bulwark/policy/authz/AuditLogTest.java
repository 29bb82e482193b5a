package dev.bulwark.policy.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.model.Decision;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static AuditEntry entry(boolean allowed, String user) {
        Decision d = allowed ? new Decision(true, "default", "", List.of("w1")) : Decision.deny("no-privileged", "privileged containers are not allowed");
        return new AuditEntry(Instant.parse("2026-12-07T02:00:00Z"), "docker", user, "container.create", "POST /v1.41/containers/create",
            Map.of("image", "debian:12", "privileged", !allowed), d, null, 42);
    }

    @Test
    void appendsWholeJsonLinesAfterWhatIsThereAndNeverTruncates() throws IOException {
        Path f = dir.resolve("sub/audit.jsonl");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "{\"earlier\":true}\n");
        try (AuditLog log = AuditLog.open(f, null, null)) {
            log.record(entry(false, "alice"));
            log.record(entry(true, "bob"));
            log.event("policy-reload", false, "x.yaml:3: bad");
        }
        try (AuditLog log = AuditLog.open(f, null, null)) { // reopening appends too
            log.record(entry(true, "carol"));
        }
        List<String> lines = Files.readAllLines(f);
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo("{\"earlier\":true}");
        JsonNode deny = JSON.readTree(lines.get(1));
        assertThat(deny.get("time").asText()).isEqualTo("2026-12-07T02:00:00Z");
        assertThat(deny.get("user").asText()).isEqualTo("alice");
        assertThat(deny.get("action").asText()).isEqualTo("container.create");
        assertThat(deny.get("object").get("image").asText()).isEqualTo("debian:12");
        assertThat(deny.get("decision").asText()).isEqualTo("deny");
        assertThat(deny.get("rule").asText()).isEqualTo("no-privileged");
        assertThat(deny.get("message").asText()).contains("privileged");
        assertThat(deny.get("latency_us").asLong()).isEqualTo(42);
        assertThat(JSON.readTree(lines.get(2)).get("warnings").get(0).asText()).isEqualTo("w1");
        JsonNode ev = JSON.readTree(lines.get(3));
        assertThat(ev.get("event").asText()).isEqualTo("policy-reload");
        assertThat(ev.get("ok").asBoolean()).isFalse();
        assertThat(JSON.readTree(lines.get(4)).get("user").asText()).isEqualTo("carol");
    }

    @Test
    void concurrentWritersNeverInterleaveLines() throws Exception {
        Path f = dir.resolve("audit.jsonl");
        try (AuditLog a = AuditLog.open(f, null, null); AuditLog b = AuditLog.open(f, null, null)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            for (int t = 0; t < 4; t++) {
                AuditLog log = t % 2 == 0 ? a : b;
                String user = "u" + t + "x".repeat(3000);
                pool.submit(() -> {
                    for (int i = 0; i < 200; i++) log.record(entry(i % 2 == 0, user));
                    return null;
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        List<String> lines = Files.readAllLines(f);
        assertThat(lines).hasSize(800);
        for (String l : lines) assertThat(JSON.readTree(l).get("user").asText()).startsWith("u");
    }

    @Test
    void aFailedWriteIsAnException() throws IOException {
        try (AuditLog log = AuditLog.open(Path.of("/dev/full"), null, null)) {
            assertThatThrownBy(() -> log.record(entry(true, "x"))).isInstanceOf(IOException.class);
        }
    }

    @Test
    void syslogOverUdpIsRfc5424() throws IOException {
        try (DatagramChannel rx = DatagramChannel.open()) {
            rx.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) rx.getLocalAddress()).getPort();
            try (AuditLog log = AuditLog.open(null, "udp:127.0.0.1:" + port, null)) {
                log.record(entry(false, "alice"));
                log.record(entry(true, "bob"));
            }
            ByteBuffer b = ByteBuffer.allocate(65536);
            rx.receive(b);
            String deny = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
            // authpriv (10) * 8 + warning (4) = 84
            assertThat(deny).matches("<84>1 \\d{4}-\\d\\d-\\d\\dT[^ ]+Z [^ ]+ bulwark \\d+ decision - \\{.*\"user\":\"alice\".*\\}");
            b.clear();
            rx.receive(b);
            assertThat(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8)).startsWith("<86>1 ").contains("\"user\":\"bob\"");
        }
    }

    @Test
    void syslogOverAUnixStreamSocketIsOctetCounted() throws Exception {
        Path sock = dir.resolve("log.sock");
        try (ServerSocketChannel srv = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            srv.bind(UnixDomainSocketAddress.of(sock));
            try (AuditLog log = AuditLog.open(null, "unix:" + sock, null); SocketChannel c = srv.accept()) {
                log.record(entry(false, "alice"));
                log.record(entry(true, "bob"));
                InputStream in = Channels.newInputStream(c);
                List<String> msgs = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    StringBuilder len = new StringBuilder();
                    for (int ch = in.read(); ch != ' '; ch = in.read()) len.append((char) ch);
                    msgs.add(new String(in.readNBytes(Integer.parseInt(len.toString())), StandardCharsets.UTF_8));
                }
                assertThat(msgs.get(0)).startsWith("<84>1 ").endsWith("}").contains("\"user\":\"alice\"");
                assertThat(msgs.get(1)).startsWith("<86>1 ").endsWith("}").contains("\"user\":\"bob\"");
            }
        }
    }

    @Test
    void aSyslogThatGoesAwayIsReportedAndTheFileStillWritten() throws Exception {
        Path sock = dir.resolve("log2.sock");
        Path f = dir.resolve("audit.jsonl");
        List<String> problems = new ArrayList<>();
        try (ServerSocketChannel srv = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            srv.bind(UnixDomainSocketAddress.of(sock));
            try (AuditLog log = AuditLog.open(f, sock.toString(), problems::add)) {
                srv.accept().close();
                srv.close();
                Files.delete(sock);
                for (int i = 0; i < 5; i++) log.record(entry(true, "u" + i)); // the first writes may still land in the socket buffer
                assertThat(problems).hasSize(1);
                assertThat(problems.get(0)).contains("syslog").contains("still recorded");
            }
        }
        assertThat(Files.readAllLines(f)).hasSize(5);
    }

    @Test
    void unusableSyslogTargetsAreRefusedAtOpen() {
        assertThatThrownBy(() -> AuditLog.open(null, "udp:127.0.0.1", null)).hasMessageContaining("udp:HOST:PORT");
        assertThatThrownBy(() -> AuditLog.open(null, "udp:127.0.0.1:x", null)).hasMessageContaining("not a number");
        assertThatThrownBy(() -> AuditLog.open(null, dir.resolve("none.sock").toString(), null)).hasMessageContaining("cannot connect");
    }
}
