package dev.bulwark.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.report.ReportFormat;
import dev.bulwark.report.ReportOptions;
import dev.bulwark.report.Reports;
import dev.bulwark.server.store.Results;
import dev.bulwark.vulndb.DbLocation;
import dev.bulwark.vulndb.VulnDb;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory cache shared through the DB: a worker that meets an image whose content (config digest) another
 * worker already read takes the stored inventory instead of reading the layers.
 */
class InventoryReuseIT {
    @TempDir
    Path tmp;

    @Test
    void anImageAlreadyReadElsewhereIsNotReadAgain() throws Exception {
        DbLocation vulnDb = new DbLocation.Embedded(tmp.resolve("vulndb"));
        VulnDb.importBuiltin(vulnDb, null);
        String ref = "docker-archive:" + TestComponents.bookwormDockerArchive();
        AtomicReference<String> asked = new AtomicReference<>();
        ScanRunner fresh = new ScanRunner(vulnDb, null, false, Map.of(), d -> {
            asked.set(d);
            return Optional.empty();
        });
        Results.ScanResult first = fresh.scan(ref);
        assertThat(asked.get()).isEqualTo(TestComponents.get("BOOKWORM_IMAGE_ID"));
        assertThat(first.inventory().packages()).isNotEmpty();

        // what "another worker" stored, marked so that its use shows: one package more than the image holds
        Inventory stored = Reports.readInventoryJson(new ByteArrayInputStream(first.inventoryJson()));
        List<Package> marked = new ArrayList<>(stored.packages());
        marked.add(new Package(PackageType.DEB, "only-in-the-stored-inventory", "1.0", "pkg:deb/debian/only-in-the-stored-inventory@1.0",
                null, null, null, null, null));
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        Reports.write(new Inventory(stored.image(), stored.os(), marked, stored.warnings(), stored.scannedAt(), stored.tool()),
                ReportFormat.JSON, json, ReportOptions.defaults());
        ScanRunner reusing = new ScanRunner(vulnDb, null, false, Map.of(),
                d -> d.equals(asked.get()) ? Optional.of(json.toByteArray()) : Optional.empty());
        Results.ScanResult second = reusing.scan(ref);
        assertThat(second.inventory().packages()).extracting(Package::name).contains("only-in-the-stored-inventory");
        assertThat(second.inventory().image().target()).isEqualTo(first.inventory().image().target());
        assertThat(second.scanner()).isEqualTo(ScanRunner.SCANNER);
    }
}
