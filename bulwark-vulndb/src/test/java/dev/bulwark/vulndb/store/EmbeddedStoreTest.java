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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store on the real feeds of ../shared/vulndata. */
class EmbeddedStoreTest {
    @TempDir
    Path tmp;

    private DbLocation.Embedded db() {
        return new DbLocation.Embedded(tmp.resolve("db"));
    }

    @Test
    void importsRealFeedsAndAnswersByPackageAndById() throws Exception {
        ImportResult r = VulnDb.importPaths(db(), List.of(VulnData.of("golang-vulndb"), VulnData.of("cisa-kev")),
                Limits.DEFAULT, null);
        assertThat(r.records().get("osv-go")).isGreaterThan(4000);
        assertThat(r.records().get("kev")).isGreaterThan(1000);
        try (VulnDb v = VulnDb.open(db())) {
            Map<PackageKey, List<Advisory>> found = v.advisories(List.of(PackageKey.of("Go", "golang.org/x/text"),
                    PackageKey.of("Go", "no.such/module")));
            assertThat(found).containsOnlyKeys(PackageKey.of("Go", "golang.org/x/text"));
            assertThat(found.get(PackageKey.of("Go", "golang.org/x/text"))).extracting(Advisory::id).contains("GO-2021-0113");
            Map<String, Enrichment> e = v.enrichment(List.of("CVE-2021-44228", "CVE-1999-0001-NOPE"));
            assertThat(e).containsOnlyKeys("CVE-2021-44228");
            assertThat(e.get("CVE-2021-44228").kev()).isTrue();
            VulnDbInfo info = v.info();
            assertThat(info.schema()).isEqualTo(JdbcStore.SCHEMA);
            assertThat(info.sources()).extracting(VulnDbInfo.Source::name).contains("osv-go", "kev");
        }
    }

    @Test
    void aSourceIsReplacedAsAWholeAndOthersAreKept() throws Exception {
        VulnDb.importPaths(db(), List.of(VulnData.of("golang-vulndb"), VulnData.of("rustsec-advisory-db")), Limits.DEFAULT, null);
        Path oneGo = tmp.resolve("one-go");
        Files.createDirectories(oneGo);
        Files.copy(VulnData.of("golang-vulndb").resolve("data/osv/GO-2021-0113.json"), oneGo.resolve("GO-2021-0113.json"));
        VulnDb.importPaths(db(), List.of(oneGo), Limits.DEFAULT, null);
        try (VulnDb v = VulnDb.open(db())) {
            Map<String, Long> counts = counts(v);
            assertThat(counts.get("osv-go")).isEqualTo(1);
            assertThat(counts.get("rustsec")).isGreaterThan(500);
        }
        // only one generation is left on disk
        try (var s = Files.list(tmp.resolve("db"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("gen-") || n.startsWith("tmp-")))
                    .hasSize(1);
        }
    }

    @Test
    void anInterruptedImportLeavesTheOldDbWorking() throws Exception {
        VulnDb.importPaths(db(), List.of(VulnData.of("rustsec-advisory-db")), Limits.DEFAULT, null);
        AtomicLong n = new AtomicLong();
        assertThatThrownBy(() -> VulnDb.importPaths(db(), List.of(VulnData.of("golang-vulndb")), Limits.DEFAULT, () -> {
            if (n.incrementAndGet() == 3000) throw new IllegalStateException("power cut");
        })).hasMessageContaining("power cut");
        try (VulnDb v = VulnDb.open(db())) {
            Map<String, Long> counts = counts(v);
            assertThat(counts).containsKey("rustsec").doesNotContainKey("osv-go");
        }
        // and the next import cleans the half-written copy away and succeeds
        VulnDb.importPaths(db(), List.of(VulnData.of("golang-vulndb")), Limits.DEFAULT, null);
        try (var s = Files.list(tmp.resolve("db"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(x -> x.startsWith("tmp-"))).isEmpty();
        }
        try (VulnDb v = VulnDb.open(db())) {
            assertThat(counts(v)).containsKeys("rustsec", "osv-go");
        }
    }

    @Test
    void missingAndDamagedDbsSayHowToGetOut() throws Exception {
        assertThatThrownBy(() -> VulnDb.open(db())).isInstanceOf(VulnDbException.class)
                .hasMessageContaining("bulwark db update");
        VulnDb.importPaths(db(), List.of(VulnData.of("alpine-secdb")), Limits.DEFAULT, null);
        Path file = tmp.resolve("db/current/bulwark.mv.db");
        long size = Files.size(file);
        // a truncated file: what a full disk or a torn copy leaves
        try (var ch = Files.newByteChannel(file, StandardOpenOption.WRITE)) {
            ch.truncate(size / 3);
        }
        assertThatThrownBy(() -> {
            try (VulnDb v = VulnDb.open(db())) {
                v.advisories(List.of(PackageKey.of("Alpine:v3.11", "openssl")));
                v.info();
            }
        }).isInstanceOf(VulnDbException.class).hasMessageContaining("rebuild");
        // the way out works
        VulnDb.importPaths(db(), List.of(VulnData.of("alpine-secdb")), Limits.DEFAULT, null);
    }

    @Test
    void damagedFileIsReplacedByReimportFromScratch() throws IOException, VulnDbException {
        VulnDb.importPaths(db(), List.of(VulnData.of("alpine-secdb")), Limits.DEFAULT, null);
        Path file = tmp.resolve("db/current/bulwark.mv.db");
        Files.write(file, new byte[4096]);
        // an import copies the current generation; a damaged one must not poison the next
        ImportResult r = VulnDb.importPaths(db(), List.of(VulnData.of("alpine-secdb")), Limits.DEFAULT, null);
        assertThat(r.records().get("alpine")).isGreaterThan(100);
        try (VulnDb v = VulnDb.open(db())) {
            assertThat(v.advisories(List.of(PackageKey.of("Alpine:v3.11", "openssl")))).isNotEmpty();
        }
    }

    private static Map<String, Long> counts(VulnDb v) throws VulnDbException {
        Map<String, Long> m = new java.util.TreeMap<>();
        for (VulnDbInfo.Source s : v.info().sources()) m.put(s.name(), s.records());
        return m;
    }
}
