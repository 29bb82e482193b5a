import dev.bulwark.model.Digest;
import dev.bulwark.model.Finding;
import dev.bulwark.model.FindingStatus;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.Severity;
import dev.bulwark.server.BulwarkServer;
import dev.bulwark.server.ServerConfig;
import dev.bulwark.server.store.Jobs;
import dev.bulwark.server.store.Results;
import dev.bulwark.server.store.Role;
import dev.bulwark.server.store.Store;
import dev.bulwark.server.store.Tokens;
import dev.bulwark.vulndb.DbLocation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * bulwark serve benchmarks (run by bench/serve-bench.sh with the bulwark jar on the class path):
 *   query STORE N_IMAGES N_FINDINGS REQUESTS   fills the store, then times GET /api/v1/images/{id}/findings over HTTP
 *   scans STORE USER PASSWORD REF...           queues the references, waits until every job is done, prints the time
 *   migrate STORE USER PASSWORD                creates the server tables
 */
public final class ServeBench {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "query" -> query(args[1], args.length > 5 ? args[5] : null, args.length > 6 ? args[6] : null,
                    Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "scans" -> scans(args[1], args[2], args[3], Arrays.asList(args).subList(4, args.length));
            case "migrate" -> Store.open(args[1], args[2], args[3], 1).close();
            default -> throw new IllegalArgumentException("query|scans");
        }
    }

    static void query(String spec, String user, String password, int images, int findings, int requests) throws Exception {
        Store store = Store.open(spec, user, password, 8);
        Results results = new Results(store);
        Random rnd = new Random(42);
        Severity[] sevs = Severity.values();
        Instant t0 = Instant.now();
        for (int i = 0; i < images; i++) {
            ImageInfo info = new ImageInfo("registry:bench.invalid/app-" + i + ":1", "registry", Digest.sha256(("img" + i).getBytes()),
                    Digest.sha256(("man" + i).getBytes()), null, null, null, null, null, null);
            Inventory inv = new Inventory(info, null, List.of(), List.of(), Instant.now(), "bench");
            List<Finding> fs = new ArrayList<>(findings);
            for (int f = 0; f < findings; f++) {
                Package p = new Package(PackageType.DEB, "pkg-" + (f % 150), "1." + f, null, null, null,
                        Digest.sha256(("layer" + (f % 5)).getBytes()), List.of("/var/lib/dpkg/status"), null);
                fs.add(new Finding("CVE-2026-" + (10000 + f), null, p, f % 3 == 0 ? List.of() : List.of("1." + f + "+fix"),
                        f % 3 == 0 ? FindingStatus.AFFECTED : FindingStatus.FIXED, sevs[rnd.nextInt(sevs.length)], "bench", null,
                        false, Double.NaN, "a bench finding number " + f, null, null));
            }
            results.storeDirect(new Results.ScanResult(info.target(), Jobs.SCAN, inv, null, fs, "bench", "bench"));
        }
        long fillMs = Duration.between(t0, Instant.now()).toMillis();
        String token = new Tokens(store).create("bench", Role.READ).token();
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, true, 0, Duration.ofSeconds(30), Duration.ofSeconds(1),
                new DbLocation.Embedded(Path.of("/nonexistent")), null, null, false, false, false, null, null, ServerConfig.DEFAULT_MAX_BODY, null);
        long[] ids;
        try (Connection c = store.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM srv_image ORDER BY id")) {
            List<Long> l = new ArrayList<>();
            while (rs.next()) l.add(rs.getLong(1));
            ids = l.stream().mapToLong(Long::longValue).toArray();
        }
        try (BulwarkServer server = BulwarkServer.start(cfg, store, Map.of(), System.err::println)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            String[] variants = {"", "?severity=HIGH", "?fixable=true", "?q=pkg-1"};
            for (int i = 0; i < 300; i++) get(http, base + "/api/v1/images/" + ids[rnd.nextInt(ids.length)] + "/findings" + variants[i % 4], token);
            long[] ns = new long[requests];
            long bytes = 0;
            for (int i = 0; i < requests; i++) {
                String url = base + "/api/v1/images/" + ids[rnd.nextInt(ids.length)] + "/findings" + variants[i % 4];
                long s = System.nanoTime();
                bytes += get(http, url, token);
                ns[i] = System.nanoTime() - s;
            }
            Arrays.sort(ns);
            long[] list = new long[200];
            for (int i = 0; i < list.length; i++) {
                long s = System.nanoTime();
                get(http, base + "/api/v1/images?severity=HIGH", token);
                list[i] = System.nanoTime() - s;
            }
            Arrays.sort(list);
            System.out.printf("query store=%s images=%d findings=%d fill_s=%.1f requests=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f avg_kb=%.0f list_p50_ms=%.2f list_p99_ms=%.2f%n",
                    store.postgres() ? "postgresql" : "h2", images, findings, fillMs / 1000.0, requests, ns[requests / 2] / 1e6,
                    ns[(int) Math.ceil(requests * 0.99) - 1] / 1e6, ns[requests - 1] / 1e6, bytes / 1024.0 / requests,
                    list[list.length / 2] / 1e6, list[(int) Math.ceil(list.length * 0.99) - 1] / 1e6);
        }
    }

    static long get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IllegalStateException(url + ": " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
        return r.body().length;
    }

    /** Queues the references and waits for every job; the workers are other processes (bulwark serve --worker-only). */
    static void scans(String spec, String user, String password, List<String> refs) throws Exception {
        try (Store store = Store.open(spec, user, password, 2)) {
            Jobs jobs = new Jobs(store);
            List<Long> ids = new ArrayList<>();
            for (String r : refs) ids.add(jobs.submit(Jobs.SCAN, r));
            System.out.println("queued " + ids.size());
            System.out.flush();
            long start = System.nanoTime();
            while (true) {
                int open = 0;
                int failed = 0;
                for (long id : ids) {
                    Jobs.Job j = jobs.get(id).orElseThrow();
                    if (j.status() == Jobs.Status.QUEUED || j.status() == Jobs.Status.RUNNING) open++;
                    if (j.status() == Jobs.Status.FAILED) {
                        failed++;
                        System.err.println("failed: " + j.reference() + ": " + j.error());
                    }
                }
                if (open == 0) {
                    double s = (System.nanoTime() - start) / 1e9;
                    System.out.printf("scans jobs=%d failed=%d seconds=%.1f per_hour=%.0f%n", ids.size(), failed, s, ids.size() * 3600 / s);
                    return;
                }
                Thread.sleep(100);
            }
        }
    }
}
