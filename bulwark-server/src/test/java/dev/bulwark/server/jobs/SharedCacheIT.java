package dev.bulwark.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.server.TestImages;
import dev.bulwark.server.store.Results;
import dev.bulwark.server.store.Store;
import dev.bulwark.vulndb.DbLocation;
import dev.bulwark.vulndb.VulnDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layer cache shared through the DB: worker B, with an empty cache directory of its own, scans an image whose
 * layer only worker A read. B's copy of the image is hollow (its layer is zeros), so B's scan succeeds only from the
 * layer record A stored.
 */
class SharedCacheIT {
    @TempDir
    Path tmp;

    @Test
    void aLayerOneWorkerReadIsNotReadByAnother() throws Exception {
        Path real = TestImages.outdatedBookwormArchive(Files.createDirectories(tmp.resolve("real")), false);
        Path hollow = TestImages.outdatedBookwormArchive(Files.createDirectories(tmp.resolve("hollow")), true);
        DbLocation vulnDb = new DbLocation.Embedded(tmp.resolve("vulndb"));
        VulnDb.importBuiltin(vulnDb, null);
        List<String> log = new ArrayList<>();
        try (Store store = Store.open(tmp.resolve("store").toString(), null, null, 4)) {
            // B alone, before A: the hollow image cannot be read
            ScanRunner b = new ScanRunner(vulnDb, tmp.resolve("cache-b"), false, Map.of(), null);
            SharedCache bCache = new SharedCache(store, tmp.resolve("cache-b"), log::add);
            bCache.pull();
            assertThatThrownBy(() -> b.scan("docker-archive:" + hollow)).isInstanceOf(dev.bulwark.model.BulwarkException.class);
            deleteTree(tmp.resolve("cache-b"));

            ScanRunner a = new ScanRunner(vulnDb, tmp.resolve("cache-a"), false, Map.of(), null);
            Results.ScanResult fromA = a.scan("docker-archive:" + real);
            new SharedCache(store, tmp.resolve("cache-a"), log::add).push();

            SharedCache bAgain = new SharedCache(store, tmp.resolve("cache-b"), log::add);
            bAgain.pull();
            Results.ScanResult fromB = new ScanRunner(vulnDb, tmp.resolve("cache-b"), false, Map.of(), null).scan("docker-archive:" + hollow);
            assertThat(fromB.inventory().packages()).hasSameSizeAs(fromA.inventory().packages());
            assertThat(fromB.findings()).hasSameSizeAs(fromA.findings());
            assertThat(log).isEmpty();
        }
    }

    private static void deleteTree(Path p) throws Exception {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
