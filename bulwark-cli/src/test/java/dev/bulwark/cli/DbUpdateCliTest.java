package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import dev.bulwark.image.testenv.TestComponents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `db update` end to end against a feed server on 127.0.0.1 that serves the real Go vulnerability database (as OSV
 * publishes it: one zip) and the real CISA KEV catalog, with conditional requests and an injectable failure.
 */
class DbUpdateCliTest {
    @TempDir
    Path tmp;
    private HttpServer server;
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final AtomicBoolean failGo = new AtomicBoolean();
    private static final String LAST_MODIFIED = "Mon, 07 Dec 2026 00:00:00 GMT";

    @BeforeEach
    void serve() throws IOException {
        Path shared = TestComponents.root().resolve("../shared/vulndata").normalize();
        Path zip = tmp.resolve("all.zip");
        Path go = shared.resolve("golang-vulndb/data/osv");
        try (OutputStream o = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(o);
             Stream<Path> s = Files.list(go)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                z.putNextEntry(new ZipEntry(f.getFileName().toString()));
                Files.copy(f, z);
                z.closeEntry();
            }
        }
        files.put("/Go/all.zip", zip);
        files.put("/kev.json", shared.resolve("cisa-kev/known_exploited_vulnerabilities.json"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                String path = ex.getRequestURI().getPath();
                Path f = files.get(path);
                if (f == null) {
                    ex.sendResponseHeaders(404, -1);
                } else if (path.startsWith("/Go") && failGo.get()) {
                    ex.sendResponseHeaders(500, -1);
                } else if (LAST_MODIFIED.equals(ex.getRequestHeaders().getFirst("If-Modified-Since"))) {
                    ex.sendResponseHeaders(304, -1);
                } else {
                    ex.getResponseHeaders().add("Last-Modified", LAST_MODIFIED);
                    ex.sendResponseHeaders(200, Files.size(f));
                    try (OutputStream out = ex.getResponseBody()) {
                        Files.copy(f, out);
                    }
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Path sources() throws IOException {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Path f = tmp.resolve("sources.properties");
        Files.writeString(f, "defaults = false\nosv-go = " + base + "/Go/all.zip\nkev = " + base + "/kev.json\n");
        return f;
    }

    @Test
    void updateImportsThenKnowsItIsUpToDateAndSurvivesAFailingSource() throws Exception {
        String db = tmp.resolve("db").toString();
        Run first = run("db", "update", "--db", db, "--sources", sources().toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("osv-go").contains("4,291").contains("kev").contains("1,404");
        Run status = run("db", "status", "--db", db);
        assertThat(status.out()).contains("osv-go").contains("kev");
        Path current = tmp.resolve("db/current").toRealPath();

        Run second = run("db", "update", "--db", db, "--sources", sources().toString());
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out()).contains("up to date");
        assertThat(tmp.resolve("db/current").toRealPath()).as("an unchanged feed does not rebuild the DB").isEqualTo(current);

        failGo.set(true);
        files.put("/kev.json", files.get("/kev.json")); // unchanged
        Run failing = run("db", "update", "--db", db, "--sources", sources().toString());
        assertThat(failing.code()).isEqualTo(3);
        assertThat(failing.err()).contains("osv-go").contains("500");
        // the DB keeps answering with what it had
        Run still = run("db", "status", "--db", db);
        assertThat(still.code()).isZero();
        assertThat(still.out()).contains("4,291");
        // and a scan still works
        Path rootfs = tmp.resolve("rootfs/etc");
        Files.createDirectories(rootfs);
        Run scan = run("scan", "-q", "--no-cache", "--db", db, "rootfs:" + rootfs.getParent());
        assertThat(scan.code()).as(scan.err()).isZero();
        assertThat(List.of(first, second)).allSatisfy(r -> assertThat(r.err()).doesNotContain("Exception"));
    }
}
