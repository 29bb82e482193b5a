package dev.bulwark.server.jobs;

import dev.bulwark.image.ImageSource;
import dev.bulwark.image.ImageSources;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.match.Matcher;
import dev.bulwark.model.BulwarkException;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import dev.bulwark.scan.Analyzers;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.model.VulnDbInfo;
import dev.bulwark.report.ReportFormat;
import dev.bulwark.report.ReportOptions;
import dev.bulwark.report.Reports;
import dev.bulwark.scan.ScanListener;
import dev.bulwark.scan.ScanOptions;
import dev.bulwark.scan.Scanner;
import dev.bulwark.server.store.Results;
import dev.bulwark.vulndb.DbLocation;
import dev.bulwark.vulndb.VulnDb;
import dev.bulwark.vulndb.VulnDbException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a job does, composed from the same facades as {@code bulwark scan}: open the image, inventory it (layer cache
 * on), match the inventory. A re-match reads the stored inventory instead of the image.
 */
public final class ScanRunner {
    /** Who read an inventory: the analysers and their versions. An inventory is re-used only by the same scanner. */
    public static final String SCANNER = scannerId();

    /** Finds an inventory already read of an image with the given config digest by {@link #SCANNER}. */
    @FunctionalInterface
    public interface Known {
        Optional<byte[]> inventory(String configDigest) throws dev.bulwark.server.ServerException;
    }

    private final DbLocation vulnDb;
    private final Path cacheDir;
    private final SourceOptions sourceOptions;
    private final Known known;

    public ScanRunner(DbLocation vulnDb, Path cacheDir, boolean plainHttp, Map<String, String> env, Known known) {
        this.vulnDb = vulnDb;
        this.cacheDir = cacheDir;
        this.sourceOptions = new SourceOptions(null, null, plainHttp, null, env);
        this.known = known;
    }

    /**
     * Reads and matches the image. When the DB already holds an inventory of the same image content (config digest)
     * by the same scanner, from any worker of any process, that is matched instead of reading the layers again.
     */
    public Results.ScanResult scan(String reference) throws BulwarkException, IOException, InterruptedException {
        Inventory inv;
        try (ImageSource source = ImageSources.open(reference, sourceOptions)) {
            ImageInfo info = source.info();
            Optional<byte[]> stored = info.imageId() == null || known == null ? Optional.empty() : known.inventory(info.imageId().toString());
            if (stored.isPresent()) {
                Inventory old = Reports.readInventoryJson(new ByteArrayInputStream(stored.get()));
                inv = new Inventory(info, old.os(), old.packages(), old.warnings(), java.time.Instant.now(), old.tool(), old.secrets(),
                        old.hygiene(), old.efficiency());
            } else {
                inv = new Scanner(ScanOptions.defaults(cacheDir)).scan(source, ScanListener.NONE);
            }
        }
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        Reports.write(inv, ReportFormat.JSON, json, ReportOptions.defaults());
        return match(reference, dev.bulwark.server.store.Jobs.SCAN, inv, json.toByteArray());
    }

    /** Matches a stored inventory again. */
    public Results.ScanResult rematch(String reference, byte[] inventoryJson) throws BulwarkException, IOException {
        Inventory inv = Reports.readInventoryJson(new ByteArrayInputStream(inventoryJson));
        return match(reference, dev.bulwark.server.store.Jobs.REMATCH, inv, inventoryJson);
    }

    private Results.ScanResult match(String reference, String kind, Inventory inv, byte[] json) throws VulnDbException {
        try (VulnDb db = VulnDb.openOrInstallBuiltin(vulnDb)) {
            Matcher.Result m = new Matcher(db).match(inv);
            return new Results.ScanResult(reference, kind, inv, json, m.findings(), version(db.info()), SCANNER);
        }
    }

    private static String scannerId() {
        StringBuilder sb = new StringBuilder();
        for (Analyzer a : Analyzers.defaults()) sb.append(a.type()).append('@').append(a.version()).append(';');
        return "bulwark:" + dev.bulwark.model.Digest.sha256(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex().substring(0, 32);
    }

    /** The vulnerability DB's version: when it was built and when each source was last updated. */
    public String currentVersion() throws VulnDbException {
        try (VulnDb db = VulnDb.openOrInstallBuiltin(vulnDb)) {
            return version(db.info());
        }
    }

    static String version(VulnDbInfo info) {
        StringBuilder sb = new StringBuilder(String.valueOf(info.builtAt()));
        for (VulnDbInfo.Source s : info.sources()) sb.append('|').append(s.name()).append('@').append(s.updatedAt()).append('#').append(s.records());
        String v = sb.toString();
        if (v.length() <= 200) return v;
        return "sha256:" + dev.bulwark.model.Digest.sha256(v.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex();
    }
}
