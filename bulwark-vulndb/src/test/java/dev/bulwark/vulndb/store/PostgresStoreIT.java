package dev.bulwark.vulndb.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.model.Advisory;
import dev.bulwark.model.VulnDbInfo;
import dev.bulwark.vulndb.DbLocation;
import dev.bulwark.vulndb.Enrichment;
import dev.bulwark.vulndb.ImportResult;
import dev.bulwark.vulndb.PackageKey;
import dev.bulwark.vulndb.VulnDb;
import dev.bulwark.vulndb.VulnDbException;
import dev.bulwark.vulndb.feed.Limits;
import dev.bulwark.vulndb.feed.VulnData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL store (scripts/postgres.sh's cluster, a fresh schema per test) through the {@link VulnDb} facade, on
 * the real feeds of ../shared/vulndata: the same answers as the embedded store, sources replaced as a whole, failed
 * imports rolled back, readers isolated from a running import, the schema migrated once.
 */
class PostgresStoreIT {
    private static final PackageKey X_TEXT = PackageKey.of("Go", "golang.org/x/text");
    private static final String LOG4SHELL = "CVE-2021-44228";

    @TempDir
    Path tmp;

    private PostgresTestDb pg;

    @BeforeEach
    void schema() {
        pg = PostgresTestDb.create();
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (pg != null) pg.close();
    }

    private DbLocation.Jdbc db() {
        return pg.location();
    }

    private static List<Path> feeds(String... folders) {
        List<Path> out = new ArrayList<>();
        for (String f : folders) out.add(VulnData.of(f));
        return out;
    }

    /** A feed folder holding only GO-2021-0113 (one osv-go advisory, on golang.org/x/text). */
    private Path oneGo() throws Exception {
        Path dir = tmp.resolve("one-go");
        Files.createDirectories(dir);
        Files.copy(VulnData.of("golang-vulndb").resolve("data/osv/GO-2021-0113.json"), dir.resolve("GO-2021-0113.json"));
        return dir;
    }

    @Test
    void answersTheSameAsTheEmbeddedStoreOnRealFeeds() throws Exception {
        List<Path> inputs = feeds("golang-vulndb", "cisa-kev", "rustsec-advisory-db");
        DbLocation.Embedded embedded = new DbLocation.Embedded(tmp.resolve("embedded"));
        ImportResult pr = VulnDb.importPaths(db(), inputs, Limits.DEFAULT, null);
        ImportResult er = VulnDb.importPaths(embedded, inputs, Limits.DEFAULT, null);
        assertThat(pr.records()).isEqualTo(er.records());
        assertThat(pr.records().get("osv-go")).isGreaterThan(4000);
        assertThat(pr.records().get("kev")).isGreaterThan(1000);
        assertThat(pr.records().get("rustsec")).isGreaterThan(500);
        assertThat(pr.problemCount()).isEqualTo(er.problemCount());
        assertThat(pr.location()).isEqualTo(db().describe()).contains("currentSchema=").doesNotContain("password");

        // every (ecosystem, name) key the PostgreSQL store knows, and some it does not
        List<PackageKey> keys = new ArrayList<>();
        try (Connection c = pg.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT DISTINCT ecosystem, name FROM affected ORDER BY ecosystem, name")) {
            while (rs.next()) keys.add(new PackageKey(rs.getString(1), rs.getString(2)));
        }
        assertThat(keys).hasSizeGreaterThan(1000).contains(X_TEXT);
        keys.add(PackageKey.of("Go", "no.such/module"));
        keys.add(PackageKey.of("crates.io", "no-such-crate-bulwark"));

        try (VulnDb p = VulnDb.open(db()); VulnDb e = VulnDb.open(embedded)) {
            VulnDbInfo pi = p.info();
            VulnDbInfo ei = e.info();
            assertThat(pi.schema()).isEqualTo(JdbcStore.SCHEMA).isEqualTo(ei.schema());
            assertThat(pi.location()).isEqualTo(db().describe());
            assertThat(pi.builtAt()).isNotNull();
            assertThat(pi.sources()).extracting(VulnDbInfo.Source::name).containsExactly("kev", "osv-go", "rustsec");
            assertThat(sourceRows(pi)).isEqualTo(sourceRows(ei));

            Map<PackageKey, List<Advisory>> pa = p.advisories(keys);
            Map<PackageKey, List<Advisory>> ea = e.advisories(keys);
            assertThat(pa).hasSize(keys.size() - 2).doesNotContainKeys(PackageKey.of("Go", "no.such/module"));
            assertThat(pa.get(X_TEXT)).extracting(Advisory::id).contains("GO-2021-0113");
            assertThat(pa.keySet()).isEqualTo(ea.keySet());
            for (PackageKey k : pa.keySet()) {
                assertThat(pa.get(k)).as("advisories of %s", k).isEqualTo(ea.get(k));
            }
            // one key at a time answers what the batch answered
            assertThat(p.advisories(List.of(X_TEXT))).isEqualTo(Map.of(X_TEXT, pa.get(X_TEXT)));

            // enrichment for every KEV id and every id an advisory is known by
            Set<String> ids = new LinkedHashSet<>();
            try (Connection c = pg.connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT cve_id FROM kev ORDER BY cve_id")) {
                while (rs.next()) ids.add(rs.getString(1));
            }
            for (List<Advisory> l : pa.values()) {
                for (Advisory a : l) {
                    ids.add(a.id());
                    ids.addAll(a.aliases());
                }
            }
            ids.add("CVE-1999-0001-NOPE");
            Map<String, Enrichment> pe = p.enrichment(ids);
            Map<String, Enrichment> ee = e.enrichment(ids);
            assertThat(pe).isEqualTo(ee).doesNotContainKey("CVE-1999-0001-NOPE");
            assertThat(pe.get(LOG4SHELL).kev()).isTrue();
            assertThat(pe.get(LOG4SHELL).kevDateAdded()).isNotNull();
            assertThat(pe.values()).filteredOn(Enrichment::kev).hasSize((int) pg.scalar("SELECT COUNT(*) FROM kev"));
        }
    }

    @Test
    void aSourceIsReplacedAsAWholeAndOthersAreKept() throws Exception {
        VulnDb.importPaths(db(), feeds("golang-vulndb", "rustsec-advisory-db", "cisa-kev"), Limits.DEFAULT, null);
        Map<String, Long> before;
        List<Advisory> rustBefore;
        PackageKey someCrate;
        try (VulnDb v = VulnDb.open(db())) {
            before = counts(v);
            assertThat(v.advisories(List.of(X_TEXT)).get(X_TEXT)).hasSizeGreaterThan(1);
            someCrate = firstKey("crates.io");
            rustBefore = v.advisories(List.of(someCrate)).get(someCrate);
            assertThat(rustBefore).isNotEmpty();
        }
        long kevRows = pg.scalar("SELECT COUNT(*) FROM kev");

        ImportResult r = VulnDb.importPaths(db(), List.of(oneGo(), VulnData.of("cisa-kev")), Limits.DEFAULT, null);
        assertThat(r.records()).containsEntry("osv-go", 1L).doesNotContainKey("rustsec");
        try (VulnDb v = VulnDb.open(db())) {
            Map<String, Long> after = counts(v);
            assertThat(after.get("osv-go")).isEqualTo(1);
            assertThat(after.get("rustsec")).isEqualTo(before.get("rustsec"));
            assertThat(after.get("kev")).isEqualTo(before.get("kev")).isEqualTo(kevRows);
            assertThat(v.advisories(List.of(X_TEXT)).get(X_TEXT)).extracting(Advisory::id).containsExactly("GO-2021-0113");
            assertThat(v.advisories(List.of(someCrate)).get(someCrate)).isEqualTo(rustBefore);
            assertThat(v.enrichment(List.of(LOG4SHELL)).get(LOG4SHELL).kev()).isTrue();
        }
        // the tables agree with what info() says, and nothing points at a removed advisory
        assertThat(pg.scalar("SELECT COUNT(*) FROM advisory WHERE source = 'osv-go'")).isEqualTo(1);
        assertThat(pg.scalar("SELECT COUNT(*) FROM advisory WHERE source = 'rustsec'")).isEqualTo(before.get("rustsec"));
        assertThat(pg.scalar("SELECT COUNT(*) FROM kev")).isEqualTo(kevRows);
        assertThat(pg.scalar("SELECT COUNT(*) FROM affected f WHERE NOT EXISTS "
                + "(SELECT 1 FROM advisory a WHERE a.pk = f.advisory_pk)")).isZero();
        assertThat(pg.scalar("SELECT COUNT(*) FROM alias l WHERE NOT EXISTS "
                + "(SELECT 1 FROM advisory a WHERE a.pk = l.advisory_pk)")).isZero();
        assertThat(pg.scalar("SELECT COUNT(*) FROM affected WHERE ecosystem = 'go'")).isEqualTo(1);
    }

    @Test
    void anImportThatFailsMidwayIsRolledBackAndTheNextOneWorks() throws Exception {
        VulnDb.importPaths(db(), feeds("rustsec-advisory-db", "cisa-kev"), Limits.DEFAULT, null);
        PackageKey someCrate = firstKey("crates.io");
        Snapshot old = Snapshot.of(db(), someCrate);
        assertThat(old.info.sources()).extracting(VulnDbInfo.Source::name).containsExactly("kev", "rustsec");
        assertThat(old.enrichment.get(LOG4SHELL).kev()).isTrue();
        long advisoryRows = pg.scalar("SELECT COUNT(*) FROM advisory");
        long kevRows = pg.scalar("SELECT COUNT(*) FROM kev");

        // KEV first: its old rows are deleted inside the import, then go records are written (2000 per batch) until
        // the power cut at record 3000
        AtomicLong n = new AtomicLong();
        assertThatThrownBy(() -> VulnDb.importPaths(db(), feeds("cisa-kev", "golang-vulndb"), Limits.DEFAULT, () -> {
            if (n.incrementAndGet() == 3000) throw new IllegalStateException("power cut");
        })).hasMessageContaining("power cut");
        assertThat(n.get()).isEqualTo(3000);

        assertThat(Snapshot.of(db(), someCrate)).isEqualTo(old);
        assertThat(pg.scalar("SELECT COUNT(*) FROM advisory")).isEqualTo(advisoryRows);
        assertThat(pg.scalar("SELECT COUNT(*) FROM kev")).isEqualTo(kevRows);
        assertThat(pg.scalar("SELECT COUNT(*) FROM advisory WHERE source = 'osv-go'")).isZero();

        ImportResult r = VulnDb.importPaths(db(), feeds("golang-vulndb"), Limits.DEFAULT, null);
        assertThat(r.records().get("osv-go")).isGreaterThan(4000);
        try (VulnDb v = VulnDb.open(db())) {
            Map<String, Long> counts = counts(v);
            assertThat(counts).containsOnlyKeys("kev", "osv-go", "rustsec");
            assertThat(counts.get("osv-go")).isEqualTo(r.records().get("osv-go"));
            assertThat(v.advisories(List.of(someCrate))).isEqualTo(old.advisories);
            assertThat(v.advisories(List.of(X_TEXT)).get(X_TEXT)).extracting(Advisory::id).contains("GO-2021-0113");
        }
    }

    @Test
    void aReaderDuringAnImportSeesTheOldDataUntilItCommits() throws Exception {
        VulnDb.importPaths(db(), feeds("golang-vulndb"), Limits.DEFAULT, null);
        Path oneGo = oneGo();
        try (VulnDb reader = VulnDb.open(db())) {
            Snapshot old = Snapshot.of(reader, X_TEXT);
            assertThat(old.advisories.get(X_TEXT)).hasSizeGreaterThan(1);
            assertThat(old.enrichment).isEmpty();

            // the import (about 2,140 records) stops at record 2050: KEV and part of RustSec are written, the first
            // batch of 2000 already sent to the server, nothing committed
            CountDownLatch reached = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicLong n = new AtomicLong();
            AtomicReference<ImportResult> result = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread importer = new Thread(() -> {
                try {
                    result.set(VulnDb.importPaths(db(), List.of(VulnData.of("cisa-kev"), VulnData.of("rustsec-advisory-db"), oneGo),
                            Limits.DEFAULT, () -> {
                                if (n.incrementAndGet() != 2050) return;
                                reached.countDown();
                                try {
                                    if (!release.await(5, TimeUnit.MINUTES)) {
                                        throw new IllegalStateException("the reader never released the import (blocked?)");
                                    }
                                } catch (InterruptedException ie) {
                                    Thread.currentThread().interrupt();
                                    throw new IllegalStateException(ie);
                                }
                            }));
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    reached.countDown();
                }
            }, "postgres-it-import");
            importer.start();
            try {
                assertThat(reached.await(5, TimeUnit.MINUTES)).as("import reached record 2050").isTrue();
                assertThat(failure.get()).as("import failed before record 2050").isNull();
                assertThat(n.get()).as("records seen when the import paused (it ended early if below 2050)").isEqualTo(2050);
                // the import really is inside its transaction on the server: it holds the lock on db_meta
                assertThat(pg.scalar("SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                        + "JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = '" + pg.schema()
                        + "' AND c.relname = 'db_meta' AND l.mode = 'ExclusiveLock' AND l.granted")).isEqualTo(1);
                // the open reader and a newly opened one both see the old, complete data
                assertThat(Snapshot.of(reader, X_TEXT)).isEqualTo(old);
                try (VulnDb fresh = VulnDb.open(db())) {
                    assertThat(Snapshot.of(fresh, X_TEXT)).isEqualTo(old);
                }
            } finally {
                release.countDown();
                importer.join(TimeUnit.MINUTES.toMillis(10));
            }
            assertThat(importer.isAlive()).as("import thread ended").isFalse();
            if (failure.get() != null) throw new AssertionError("the import failed", failure.get());
            assertThat(result.get().records()).containsEntry("osv-go", 1L).containsKeys("kev", "rustsec");

            // the same reader now sees the new data
            Map<String, Long> counts = counts(reader);
            assertThat(counts).containsEntry("osv-go", 1L).containsKeys("kev", "rustsec");
            assertThat(reader.advisories(List.of(X_TEXT)).get(X_TEXT)).extracting(Advisory::id).containsExactly("GO-2021-0113");
            assertThat(reader.enrichment(List.of(LOG4SHELL)).get(LOG4SHELL).kev()).isTrue();
            assertThat(reader.info().builtAt()).isAfter(old.info.builtAt());
        }
    }

    @Test
    void twoImportsAtOnceAreSerialisedAndBothLand() throws Exception {
        List<List<Path>> jobs = List.of(feeds("golang-vulndb"), feeds("rustsec-advisory-db", "cisa-kev"));
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        for (List<Path> job : jobs) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    VulnDb.importPaths(db(), job, Limits.DEFAULT, null);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "postgres-it-import-" + threads.size());
            threads.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : threads) t.join(TimeUnit.MINUTES.toMillis(10));
        for (Thread t : threads) assertThat(t.isAlive()).as("%s ended", t.getName()).isFalse();
        if (!failures.isEmpty()) throw new AssertionError("a concurrent import failed", failures.get(0));
        try (VulnDb v = VulnDb.open(db())) {
            Map<String, Long> counts = counts(v);
            assertThat(counts).containsOnlyKeys("kev", "osv-go", "rustsec");
            assertThat(counts.get("osv-go")).isEqualTo(pg.scalar("SELECT COUNT(*) FROM advisory WHERE source = 'osv-go'"));
            assertThat(counts.get("rustsec")).isEqualTo(pg.scalar("SELECT COUNT(*) FROM advisory WHERE source = 'rustsec'"));
        }
        assertThat(pg.scalar("SELECT COUNT(*) FROM (SELECT pk FROM advisory GROUP BY pk HAVING COUNT(*) > 1) d")).isZero();
        assertThat(pg.scalar("SELECT COUNT(*) FROM bulwark_schema_history WHERE success")).isEqualTo(1);
    }

    @Test
    void theSchemaIsMigratedOnceAndAnEmptySchemaSaysHowToGetOut() throws Exception {
        assertThatThrownBy(() -> VulnDb.open(db())).isInstanceOf(VulnDbException.class)
                .hasMessageContaining("bulwark db update");
        VulnDb.importPaths(db(), feeds("cisa-kev"), Limits.DEFAULT, null);
        ImportResult second = VulnDb.importPaths(db(), feeds("rustsec-advisory-db"), Limits.DEFAULT, null);
        assertThat(second.records().get("rustsec")).isGreaterThan(500);
        try (Connection c = pg.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, success FROM bulwark_schema_history ORDER BY installed_rank")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) rows.add(rs.getString(1) + ":" + rs.getBoolean(2));
            assertThat(rows).containsExactly(JdbcStore.SCHEMA + ":true");
        }
        // the tables are in this test's schema, not in public
        assertThat(pg.scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + pg.schema()
                + "' AND table_name IN ('db_meta', 'feed_source', 'advisory', 'affected', 'alias', 'kev', 'epss')")).isEqualTo(7);
        try (VulnDb v = VulnDb.open(db())) {
            assertThat(v.info().schema()).isEqualTo(JdbcStore.SCHEMA);
            assertThat(counts(v)).containsOnlyKeys("kev", "rustsec");
        }
    }

    /** What a reader can see of the DB: info, the advisories of one key, and the enrichment of Log4Shell. */
    private record Snapshot(VulnDbInfo info, Map<PackageKey, List<Advisory>> advisories, Map<String, Enrichment> enrichment) {
        static Snapshot of(VulnDb v, PackageKey key) throws VulnDbException {
            return new Snapshot(v.info(), v.advisories(List.of(key)), v.enrichment(List.of(LOG4SHELL, "CVE-2014-0160")));
        }

        static Snapshot of(DbLocation loc, PackageKey key) throws VulnDbException {
            try (VulnDb v = VulnDb.open(loc)) {
                return of(v, key);
            }
        }
    }

    /** The lowest-sorting package key of an ecosystem in this test's schema. */
    private PackageKey firstKey(String ecosystem) throws SQLException {
        try (Connection c = pg.connection();
             var ps = c.prepareStatement("SELECT name FROM affected WHERE ecosystem = ? ORDER BY name LIMIT 1")) {
            ps.setString(1, ecosystem);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a key of ecosystem %s", ecosystem).isTrue();
                return new PackageKey(ecosystem, rs.getString(1));
            }
        }
    }

    /** Source name, record count and origin per source: what must agree between two stores fed the same files. */
    private static List<String> sourceRows(VulnDbInfo info) {
        List<String> rows = new ArrayList<>();
        for (VulnDbInfo.Source s : info.sources()) rows.add(s.name() + " " + s.records() + " " + s.origin());
        return rows;
    }

    private static Map<String, Long> counts(VulnDb v) throws VulnDbException {
        Map<String, Long> m = new TreeMap<>();
        for (VulnDbInfo.Source s : v.info().sources()) m.put(s.name(), s.records());
        return m;
    }
}
