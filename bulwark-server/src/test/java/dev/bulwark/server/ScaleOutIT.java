package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.server.store.Jobs;
import dev.bulwark.server.store.Store;
import dev.bulwark.vulndb.DbLocation;
import dev.bulwark.vulndb.VulnDb;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two worker processes (real child JVMs) on one PostgreSQL share a queue of real scans; one is killed with SIGKILL
 * while it holds a job. Its lease runs out, the other process takes the job over, and every job completes exactly
 * once: one completion, one stored scan per job, and the killed job claimed twice.
 */
class ScaleOutIT {
    private static final int LEASE_SECONDS = 3;

    @TempDir
    Path tmp;

    @Test
    void aKilledWorkersJobIsDoneOnceByTheOther() throws Exception {
        TestComponents.requireImages();
        try (PostgresSchema pg = PostgresSchema.create()) {
            DbLocation.Embedded vulnDb = new DbLocation.Embedded(tmp.resolve("vulndb"));
            VulnDb.importBuiltin(vulnDb, null);
            List<String> refs = List.of(
                    "rootfs:" + TestComponents.path("BASE_ROOTFS_DIR"),
                    "rootfs:" + TestComponents.rootfsDir(),
                    "docker-archive:" + TestComponents.bookwormDockerArchive(),
                    "docker-archive:" + TestComponents.appDockerArchive(),
                    "oci:" + TestComponents.bookwormOciLayout() + ":" + TestComponents.bookwormOciRef(),
                    "docker-archive:" + TestComponents.appOciArchive());
            try (Store store = Store.open(pg.url(), pg.user, pg.password, 2)) {
                Jobs jobs = new Jobs(store);
                for (String r : refs) jobs.submit(Jobs.SCAN, r);

                Process a = worker(pg, vulnDb, 1);
                Process b = null;
                try {
                    b = worker(pg, vulnDb, 1);
                    long held = awaitRunningJobOf(store, a.pid());
                    a.destroyForcibly();
                    assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    // killed while it held the job: nobody completed it
                    assertThat(status(store, held)).isEqualTo("running");

                    awaitAllFinished(store, refs.size(), Duration.ofMinutes(5));
                    try (Connection c = store.connection(); Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT j.id, j.status, j.completions, j.attempts, j.error,"
                                 + " (SELECT COUNT(*) FROM srv_scan x WHERE x.job_id = j.id) FROM srv_job j ORDER BY j.id")) {
                        int n = 0;
                        while (rs.next()) {
                            n++;
                            String what = "job " + rs.getLong(1) + " (" + rs.getString(5) + ")";
                            assertThat(rs.getString(2)).as(what).isEqualTo("done");
                            assertThat(rs.getInt(3)).as(what).isEqualTo(1);
                            assertThat(rs.getInt(6)).as(what).isEqualTo(1);
                            if (rs.getLong(1) == held) assertThat(rs.getInt(4)).as(what).isEqualTo(2);
                        }
                        assertThat(n).isEqualTo(refs.size());
                    }
                    try (Connection c = store.connection(); Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM srv_image WHERE last_scan_id IS NOT NULL")) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(refs.size());
                    }
                } finally {
                    a.destroyForcibly();
                    if (b != null) {
                        b.destroy();
                        if (!b.waitFor(20, TimeUnit.SECONDS)) b.destroyForcibly();
                    }
                }
            }
        }
    }

    private Process worker(PostgresSchema pg, DbLocation.Embedded vulnDb, int workers) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                WorkerProcess.class.getName(), pg.url(), pg.user, pg.password, vulnDb.dir().toString(), Integer.toString(workers),
                Integer.toString(LEASE_SECONDS)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("ready ")) {
            p.destroyForcibly();
            throw new AssertionError("the worker process did not start: " + line);
        }
        return p;
    }

    /** The id of a job the process with {@code pid} holds, once it holds one. */
    private static long awaitRunningJobOf(Store store, long pid) throws Exception {
        Instant end = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(end)) {
            try (Connection c = store.connection();
                 PreparedStatement ps = c.prepareStatement("SELECT id FROM srv_job WHERE status = 'running' AND lease_owner LIKE ?")) {
                ps.setString(1, "worker-" + pid + "-%");
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return rs.getLong(1);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("worker process " + pid + " claimed no job within 60 s");
    }

    private static String status(Store store, long id) throws Exception {
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement("SELECT status FROM srv_job WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static void awaitAllFinished(Store store, int n, Duration within) throws Exception {
        Instant end = Instant.now().plus(within);
        while (Instant.now().isBefore(end)) {
            try (Connection c = store.connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM srv_job WHERE status IN ('done', 'failed')")) {
                rs.next();
                if (rs.getInt(1) == n) return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the jobs did not all finish within " + within);
    }
}
