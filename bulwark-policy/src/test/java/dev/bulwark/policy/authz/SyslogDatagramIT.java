package dev.bulwark.policy.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.model.Decision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syslog to a unix DATAGRAM socket, the kind /dev/log is under rsyslog and journald: a receiver of the test's own
 * (python3, since the JDK cannot bind one) and Bulwark's records handed over through util-linux logger.
 */
class SyslogDatagramIT {
    @TempDir
    Path dir;

    static String tool(String name) {
        for (String d : (System.getenv().getOrDefault("PATH", "/usr/bin") + ":/usr/bin:/bin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) return Path.of(d, name).toString();
        }
        throw new AssertionError("component " + name + " is missing: run scripts/test-all.sh (" + name + " not on PATH)");
    }

    @Test
    void recordsArriveAsRfc5424DatagramsWithTheirSeverity() throws Exception {
        tool("logger");
        String python = tool("python3");
        Path sock = dir.resolve("log.sock");
        Path out = dir.resolve("received.txt");
        String receiver = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(sys.argv[1])
            open(sys.argv[1] + ".ready", "w").close()
            with open(sys.argv[2], "wb") as f:
                for _ in range(2):
                    f.write(s.recv(65536) + b"\\n")
                    f.flush()
            """;
        Process rx = new ProcessBuilder(python, "-c", receiver, sock.toString(), out.toString()).redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 100 && !Files.exists(Path.of(sock + ".ready")); i++) Thread.sleep(100);
            assertThat(Path.of(sock + ".ready")).exists();
            try (AuditLog log = AuditLog.open(null, sock.toString(), null)) {
                log.record(new AuditEntry(Instant.now(), "docker", "alice", "container.create", "POST /v1.41/containers/create",
                    Map.of("privileged", true), Decision.deny("no-privileged", "privileged containers are not allowed"), null, 12));
                log.record(new AuditEntry(Instant.now(), "docker", "bob", "system.ping", "HEAD /_ping", Map.of(),
                    new Decision(true, "default", "", List.of()), null, 3));
            }
            assertThat(rx.waitFor(30, TimeUnit.SECONDS)).as("the receiver got two datagrams").isTrue();
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertThat(lines).hasSize(2);
            // <84> = authpriv (10) * 8 + warning (4); <86> = authpriv + info
            assertThat(lines.get(0)).matches("<84>1 \\S+ \\S+ bulwark \\S+ decision - .*\\{.*\"user\":\"alice\".*\"rule\":\"no-privileged\".*\\}");
            assertThat(lines.get(1)).startsWith("<86>1 ").contains("\"user\":\"bob\"");
        } finally {
            rx.destroyForcibly();
        }
    }
}
