package dev.bulwark.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue on the embedded DB: concurrent claims never share a job; a lost lease writes nothing. */
class JobsTest {
    @TempDir
    Path tmp;

    @Test
    void concurrentWorkersClaimEachJobOnce() throws Exception {
        try (Store store = Store.open(tmp.resolve("db").toString(), null, null, 8)) {
            Jobs jobs = new Jobs(store);
            for (int i = 0; i < 40; i++) jobs.submit(Jobs.SCAN, "registry:example/app:" + i);
            Set<Long> seen = ConcurrentHashMap.newKeySet();
            List<Long> dup = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                String owner = "w" + w;
                fs.add(pool.submit(() -> {
                    Optional<Jobs.Claim> c;
                    while ((c = jobs.claim(owner, 60)).isPresent()) {
                        if (!seen.add(c.get().id())) synchronized (dup) {
                            dup.add(c.get().id());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            assertThat(dup).isEmpty();
            assertThat(seen).hasSize(40);
        }
    }

    @Test
    void aWorkerWhoseLeaseWasTakenOverStoresNothing() throws Exception {
        try (Store store = Store.open(tmp.resolve("db").toString(), null, null, 4)) {
            Jobs jobs = new Jobs(store);
            Results results = new Results(store);
            long id = jobs.submit(Jobs.SCAN, "registry:example/app:1");
            Jobs.Claim first = jobs.claim("slow", 60).orElseThrow();
            // the lease runs out (made so here by the DB's own clock: a lease that ended a second ago)
            try (Connection c = store.connection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE srv_job SET lease_until = CURRENT_TIMESTAMP - INTERVAL '1' SECOND WHERE id = " + id);
            }
            Jobs.Claim second = jobs.claim("fast", 60).orElseThrow();
            assertThat(second.id()).isEqualTo(id);
            assertThat(second.attempt()).isEqualTo(2);
            Inventory inv = new Inventory(new ImageInfo("registry:example/app:1", "registry", null, null, null, null, null, null, null, null),
                    null, List.of(), List.of(), Instant.now(), "test");
            Results.ScanResult r = new Results.ScanResult("registry:example/app:1", Jobs.SCAN, inv, null, List.of(), "v1", "test");
            assertThat(results.complete(first, r)).isFalse();
            assertThat(jobs.renew(first, 60)).isFalse();
            assertThat(results.complete(second, r)).isTrue();
            assertThat(results.complete(second, r)).isFalse();
            try (Connection c = store.connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM srv_scan), completions, status FROM srv_job WHERE id = " + id)) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getInt(2)).isEqualTo(1);
                assertThat(rs.getString(3)).isEqualTo("done");
            }
        }
    }

    @Test
    void aJobWhoseWorkersKeepDyingIsFailedAfterTheLastAttempt() throws Exception {
        try (Store store = Store.open(tmp.resolve("db").toString(), null, null, 4)) {
            Jobs jobs = new Jobs(store);
            long id = jobs.submit(Jobs.SCAN, "registry:example/poison:1");
            for (int i = 0; i < Jobs.MAX_ATTEMPTS; i++) {
                assertThat(jobs.claim("w" + i, 60)).isPresent();
                try (Connection c = store.connection(); Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE srv_job SET lease_until = CURRENT_TIMESTAMP - INTERVAL '1' SECOND WHERE id = " + id);
                }
            }
            assertThat(jobs.claim("last", 60)).isEmpty();
            Jobs.Job j = jobs.get(id).orElseThrow();
            assertThat(j.status()).isEqualTo(Jobs.Status.FAILED);
            assertThat(j.error()).contains("gave up after 3 attempts");
        }
    }

    @Test
    void aJobQueuedAgainWaitsItsDelay() throws Exception {
        try (Store store = Store.open(tmp.resolve("db").toString(), null, null, 4)) {
            Jobs jobs = new Jobs(store);
            long id = jobs.submit(Jobs.SCAN, "registry:example/late:1");
            Jobs.Claim first = jobs.claim("w1", 60).orElseThrow();
            assertThat(jobs.retryLater(first, "manifest unknown", 1)).isTrue();
            assertThat(jobs.get(id).orElseThrow().status()).isEqualTo(Jobs.Status.QUEUED);
            assertThat(jobs.claim("w2", 60)).isEmpty();
            // the delay runs on the DB's clock: poll for the claim, bounded
            Optional<Jobs.Claim> again = Optional.empty();
            long end = System.nanoTime() + 10_000_000_000L;
            while (again.isEmpty() && System.nanoTime() < end) {
                again = jobs.claim("w2", 60);
                if (again.isEmpty()) Thread.sleep(100);
            }
            assertThat(again).isPresent();
            assertThat(again.get().attempt()).isEqualTo(2);
            assertThat(jobs.retryLater(first, "stale", 1)).isFalse();
        }
    }
}
