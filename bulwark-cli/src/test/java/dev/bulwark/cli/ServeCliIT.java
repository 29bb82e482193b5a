package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.image.testenv.TestComponents;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bulwark serve` as a user runs it: a token made with `serve token create`, the server in its own JVM on an
 * embedded store, a scan queued over HTTP and worked by the server's worker, `serve submit --ping` and `--audit`,
 * and a second process on the same embedded store refused in one line.
 */
class ServeCliIT {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aScanQueuedOverHttpIsWorkedByTheServer() throws Exception {
        String store = tmp.resolve("store").toString();
        String vdb = tmp.resolve("vulndb").toString();
        Run made = run("serve", "token", "create", "--store", store, "--role", "scan");
        assertThat(made.code()).as(made.err()).isZero();
        String token = made.out().strip();
        Path tokenFile = tmp.resolve("token");
        Files.writeString(tokenFile, token);

        Path log = tmp.resolve("serve.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--store", store, "--db", vdb,
                "--listen", "127.0.0.1:0", "--workers", "1", "--allow-local-sources", "--cache-dir", tmp.resolve("cache").toString(),
                "--poll", "200ms"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int port = awaitPort(p, log);
            String base = "http://127.0.0.1:" + port;
            assertThat(run("serve", "submit", "--server", base, "--ping").code()).isZero();

            HttpClient http = HttpClient.newHttpClient();
            String body = "{\"reference\":\"docker-archive:" + TestComponents.bookwormDockerArchive() + "\"}";
            HttpResponse<String> queued = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/scans"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
            String state = "";
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (System.nanoTime() < end && !state.contains("\"done\"") && !state.contains("\"failed\"")) {
                state = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/scans/1")).header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Thread.sleep(200);
            }
            assertThat(state).contains("\"status\":\"done\"");

            // an audit made by the real auditor, sent the way the host-audit DaemonSet sends it
            Path dockerfile = tmp.resolve("Dockerfile");
            Files.writeString(dockerfile, "FROM debian:bookworm\nRUN apt-get update\n");
            Path audit = tmp.resolve("audit.json");
            assertThat(run("audit", dockerfile.toString(), "-f", "json", "-o", audit.toString()).code()).isIn(0, 1);
            Run sent = run("serve", "submit", "--server", base, "--token-file", tokenFile.toString(), "--audit", audit.toString());
            assertThat(sent.code()).as(sent.err()).isZero();
            assertThat(sent.err()).contains("\"id\":1");
            Run refused = run("serve", "submit", "--server", base, "--token-file", audit.toString(), "--audit", audit.toString());
            assertThat(refused.code()).isEqualTo(3);
            assertThat(refused.err().strip()).doesNotContain("\n");

            // the embedded store is one process's: a second one is refused in one line
            Run second = run("serve", "token", "list", "--store", store);
            assertThat(second.code()).isEqualTo(3);
            assertThat(second.err().strip()).startsWith("bulwark: ").doesNotContain("\n").doesNotContain("Exception");
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    private static int awaitPort(Process p, Path log) throws Exception {
        Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            Matcher m = listening.matcher(text);
            if (m.find()) return Integer.parseInt(m.group(1));
            if (!p.isAlive()) throw new AssertionError("bulwark serve exited (" + p.exitValue() + "):\n" + text);
            Thread.sleep(100);
        }
        throw new AssertionError("bulwark serve did not say where it listens within 60 s:\n" + Files.readString(log));
    }

}
