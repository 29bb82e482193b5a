package dev.bulwark.server.store;

import dev.bulwark.model.Finding;
import dev.bulwark.model.Inventory;
import dev.bulwark.server.ServerException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Images, their scans and findings: written by workers, read by the API. */
public final class Results {
    /** At most this many rows in one list answer: bounded memory whatever the DB holds. */
    public static final int MAX_ROWS = 5_000;

    private final Store store;

    public Results(Store store) {
        this.store = store;
    }

    public record ImageSummary(long id, String reference, String digest, OffsetDateTime lastScanAt, Counts counts, int packages) {
    }

    public record ScanSummary(long id, OffsetDateTime at, Counts counts) {
    }

    public record Change(long scanId, OffsetDateTime at, List<FindingRow> added, List<FindingRow> fixed) {
    }

    public record Day(LocalDate day, Counts counts) {
    }

    /** What a worker stores for one job. */
    public record ScanResult(String reference, String kind, Inventory inventory, byte[] inventoryJson, List<Finding> findings,
                             String dbVersion, String scanner) {
    }

    /**
     * Stores a scan's results and completes its job in one transaction, only while the job's lease is still the
     * claim's. False when the lease was lost (another worker has the job; nothing was written).
     */
    public boolean complete(Jobs.Claim claim, ScanResult r) throws ServerException {
        byte[] gz = r.inventoryJson() == null ? null : gzip(r.inventoryJson());
        return store.inTx("store the results of job " + claim.id(), c -> {
            if (!Jobs.stillMine(c, claim)) return false;
            store(c, claim.id(), r, gz);
            Jobs.finish(c, claim, true, null);
            return true;
        });
    }

    /** Stores results outside any job (imports, benchmarks): the same rows a worker writes. */
    public long storeDirect(ScanResult r) throws ServerException {
        byte[] gz = r.inventoryJson() == null ? null : gzip(r.inventoryJson());
        return store.inTx("store a scan", c -> store(c, null, r, gz));
    }

    private static long store(Connection c, Long jobId, ScanResult r, byte[] gz) throws SQLException {
        long imageId = imageId(c, r.reference());
        List<FindingRow> rows = new ArrayList<>(r.findings().size());
        Counts counts = Counts.ZERO;
        for (Finding f : r.findings()) {
            FindingRow row = FindingRow.of(f);
            rows.add(row);
            counts = counts.plus(row.bucket());
        }
        String digest = r.inventory().image().manifestDigest() != null ? r.inventory().image().manifestDigest().toString()
                : r.inventory().image().imageId() != null ? r.inventory().image().imageId().toString() : null;
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int packages = r.inventory().packages().size();
        long scanId;
        String config = r.inventory().image().imageId() == null ? null : r.inventory().image().imageId().toString();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO srv_scan (image_id, job_id, kind, at, digest, db_version, inventory,"
                + " packages, c_critical, c_high, c_medium, c_low, c_unknown, config_digest, scanner)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[]{"id"})) {
            ps.setLong(1, imageId);
            if (jobId == null) ps.setNull(2, java.sql.Types.BIGINT);
            else ps.setLong(2, jobId);
            ps.setString(3, r.kind());
            ps.setObject(4, now);
            ps.setString(5, digest);
            ps.setString(6, r.dbVersion());
            ps.setBytes(7, gz);
            ps.setInt(8, packages);
            setCounts(ps, 9, counts);
            ps.setString(14, config);
            ps.setString(15, r.scanner());
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                scanId = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO srv_finding (scan_id, vuln, severity, pkg, version, fixed, type, layer,"
                + " path, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int n = 0;
            for (FindingRow f : rows) {
                ps.setLong(1, scanId);
                ps.setString(2, f.vulnerability());
                ps.setInt(3, f.bucket());
                ps.setString(4, f.packageName());
                ps.setString(5, f.version());
                ps.setString(6, f.fixedVersion());
                ps.setString(7, f.type());
                ps.setString(8, f.layer());
                ps.setString(9, f.path());
                ps.setString(10, f.title());
                ps.addBatch();
                if (++n % 500 == 0) ps.executeBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE srv_image SET digest = ?, last_scan_id = ?, last_scan_at = ?, packages = ?,"
                + " c_critical = ?, c_high = ?, c_medium = ?, c_low = ?, c_unknown = ? WHERE id = ?")) {
            ps.setString(1, digest);
            ps.setLong(2, scanId);
            ps.setObject(3, now);
            ps.setInt(4, packages);
            setCounts(ps, 5, counts);
            ps.setLong(10, imageId);
            ps.executeUpdate();
        }
        return scanId;
    }

    /** The image row for a reference, made when missing; two workers making it at once both end with the one row. */
    private static long imageId(Connection c, String reference) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO srv_image (reference) VALUES (?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, reference);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM srv_image WHERE reference = ?")) {
            ps.setString(1, reference);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void setCounts(PreparedStatement ps, int first, Counts k) throws SQLException {
        ps.setInt(first, k.critical());
        ps.setInt(first + 1, k.high());
        ps.setInt(first + 2, k.medium());
        ps.setInt(first + 3, k.low());
        ps.setInt(first + 4, k.unknown());
    }

    private static Counts counts(ResultSet rs, int first) throws SQLException {
        return new Counts(rs.getInt(first), rs.getInt(first + 1), rs.getInt(first + 2), rs.getInt(first + 3), rs.getInt(first + 4));
    }

    private static final String[] COUNT_COLUMNS = {"c_unknown", "c_low", "c_medium", "c_high", "c_critical"};

    /** Scanned images, filtered on the reference (substring, any case) and on having a finding at or above a bucket. */
    public List<ImageSummary> images(String q, Integer minBucket) throws ServerException {
        StringBuilder sql = new StringBuilder("SELECT id, reference, digest, last_scan_at, c_critical, c_high, c_medium, c_low, c_unknown, packages"
                + " FROM srv_image WHERE last_scan_id IS NOT NULL");
        if (q != null && !q.isBlank()) sql.append(" AND LOWER(reference) LIKE ? ESCAPE '!'");
        if (minBucket != null) {
            List<String> any = new ArrayList<>();
            for (int b = minBucket; b < COUNT_COLUMNS.length; b++) any.add(COUNT_COLUMNS[b] + " > 0");
            sql.append(" AND (").append(String.join(" OR ", any)).append(")");
        }
        sql.append(" ORDER BY reference LIMIT ").append(MAX_ROWS);
        return store.inTx("list images", c -> {
            List<ImageSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                if (q != null && !q.isBlank()) ps.setString(1, like(q));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(summary(rs));
                }
            }
            return out;
        });
    }

    private static ImageSummary summary(ResultSet rs) throws SQLException {
        return new ImageSummary(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class), counts(rs, 5), rs.getInt(10));
    }

    public Optional<ImageSummary> image(long id) throws ServerException {
        return store.inTx("read an image", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, reference, digest, last_scan_at, c_critical, c_high, c_medium, c_low,"
                    + " c_unknown, packages FROM srv_image WHERE id = ? AND last_scan_id IS NOT NULL")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(summary(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The image's scans, newest first. */
    public List<ScanSummary> scans(long imageId, int limit) throws ServerException {
        return store.inTx("list scans", c -> {
            List<ScanSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, at, c_critical, c_high, c_medium, c_low, c_unknown FROM srv_scan"
                    + " WHERE image_id = ? ORDER BY id DESC LIMIT " + Math.min(limit, MAX_ROWS))) {
                ps.setLong(1, imageId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new ScanSummary(rs.getLong(1), rs.getObject(2, OffsetDateTime.class), counts(rs, 3)));
                }
            }
            return out;
        });
    }

    /** Findings of the image's latest scan: at or above {@code minBucket}, matching {@code q}, only fixable ones. */
    public Optional<List<FindingRow>> findings(long imageId, Integer minBucket, String q, boolean fixable) throws ServerException {
        StringBuilder sql = new StringBuilder("SELECT f.vuln, f.severity, f.pkg, f.version, f.fixed, f.type, f.layer, f.path, f.title"
                + " FROM srv_image i JOIN srv_finding f ON f.scan_id = i.last_scan_id WHERE i.id = ?");
        if (minBucket != null) sql.append(" AND f.severity >= ?");
        if (q != null && !q.isBlank()) sql.append(" AND (LOWER(f.vuln) LIKE ? ESCAPE '!' OR LOWER(f.pkg) LIKE ? ESCAPE '!' OR LOWER(f.title) LIKE ? ESCAPE '!')");
        if (fixable) sql.append(" AND f.fixed IS NOT NULL");
        sql.append(" ORDER BY f.severity DESC, f.vuln, f.pkg LIMIT ").append(MAX_ROWS);
        return store.inTx("list findings", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM srv_image WHERE id = ? AND last_scan_id IS NOT NULL")) {
                ps.setLong(1, imageId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                }
            }
            List<FindingRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                ps.setLong(i++, imageId);
                if (minBucket != null) ps.setInt(i++, minBucket);
                if (q != null && !q.isBlank()) {
                    String l = like(q);
                    ps.setString(i++, l);
                    ps.setString(i++, l);
                    ps.setString(i++, l);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(row(rs));
                }
            }
            return Optional.of(out);
        });
    }

    private static FindingRow row(ResultSet rs) throws SQLException {
        return new FindingRow(rs.getString(1), Counts.NAMES[rs.getInt(2)], rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
    }

    /** Per scan of the image (oldest first, the last {@code limit}), the findings new and fixed since the scan before. */
    public Optional<List<Change>> changes(long imageId, int limit) throws ServerException {
        return store.inTx("list changes", c -> {
            List<long[]> scans = new ArrayList<>();
            Map<Long, OffsetDateTime> at = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, at FROM srv_scan WHERE image_id = ? ORDER BY id DESC LIMIT ?")) {
                ps.setLong(1, imageId);
                ps.setInt(2, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        scans.add(0, new long[]{rs.getLong(1)});
                        at.put(rs.getLong(1), rs.getObject(2, OffsetDateTime.class));
                    }
                }
            }
            if (scans.isEmpty()) return Optional.empty();
            List<Change> out = new ArrayList<>();
            Map<String, FindingRow> before = null;
            boolean first = scans.size() <= limit;
            for (long[] s : scans) {
                Map<String, FindingRow> now = new LinkedHashMap<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT vuln, severity, pkg, version, fixed, type, layer, path, title"
                        + " FROM srv_finding WHERE scan_id = ? ORDER BY severity DESC, vuln, pkg")) {
                    ps.setLong(1, s[0]);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            FindingRow r = row(rs);
                            now.put(r.key(), r);
                        }
                    }
                }
                if (before != null || first) {
                    Map<String, FindingRow> prev = before == null ? Map.of() : before;
                    List<FindingRow> added = new ArrayList<>();
                    List<FindingRow> fixed = new ArrayList<>();
                    for (var e : now.entrySet()) if (!prev.containsKey(e.getKey())) added.add(e.getValue());
                    for (var e : prev.entrySet()) if (!now.containsKey(e.getKey())) fixed.add(e.getValue());
                    out.add(new Change(s[0], at.get(s[0]), added, fixed));
                }
                before = now;
                first = false;
            }
            java.util.Collections.reverse(out);
            return Optional.of(out);
        });
    }

    /**
     * Open findings over all images per UTC day, the last {@code days} days up to today: each image counts with its
     * latest scan made by the end of that day.
     */
    public List<Day> trends(int days, LocalDate today) throws ServerException {
        LocalDate from = today.minusDays(days - 1L);
        OffsetDateTime start = from.atStartOfDay().atOffset(ZoneOffset.UTC);
        return store.inTx("trends", c -> {
            // per image: its counts as of the start, then each change in the window
            Map<Long, Counts> current = new HashMap<>();
            TreeMap<LocalDate, List<Object[]>> changes = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.image_id, s.c_critical, s.c_high, s.c_medium, s.c_low, s.c_unknown"
                    + " FROM srv_scan s JOIN (SELECT image_id, MAX(id) AS id FROM srv_scan WHERE at < ? GROUP BY image_id) m ON s.id = m.id")) {
                ps.setObject(1, start);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) current.put(rs.getLong(1), counts(rs, 2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT image_id, at, c_critical, c_high, c_medium, c_low, c_unknown"
                    + " FROM srv_scan WHERE at >= ? ORDER BY id")) {
                ps.setObject(1, start);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        LocalDate d = rs.getObject(2, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
                        changes.computeIfAbsent(d, k -> new ArrayList<>()).add(new Object[]{rs.getLong(1), counts(rs, 3)});
                    }
                }
            }
            List<Day> out = new ArrayList<>();
            for (LocalDate d = from; !d.isAfter(today); d = d.plusDays(1)) {
                for (Object[] ch : changes.getOrDefault(d, List.of())) current.put((Long) ch[0], (Counts) ch[1]);
                Counts sum = Counts.ZERO;
                for (Counts k : current.values()) sum = sum.plus(k);
                out.add(new Day(d, sum));
            }
            return out;
        });
    }

    /**
     * The inventory JSON of an image with this config digest read by this scanner, under any reference: what another
     * worker (in any process) already read is not read again.
     */
    public Optional<byte[]> inventoryOf(String configDigest, String scanner) throws ServerException {
        return store.inTx("look up an inventory", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT inventory FROM srv_scan WHERE config_digest = ? AND scanner = ?"
                    + " AND inventory IS NOT NULL ORDER BY id DESC LIMIT 1")) {
                ps.setString(1, configDigest);
                ps.setString(2, scanner);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(gunzip(rs.getBytes(1))) : Optional.empty();
                }
            }
        });
    }

    /** The inventory JSON of the latest scan of image {@code imageId} that kept one (its SBOM); empty for no such image. */
    public Optional<byte[]> latestInventory(long imageId) throws ServerException {
        return store.inTx("read an inventory", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT inventory FROM srv_scan WHERE image_id = ?"
                    + " AND inventory IS NOT NULL ORDER BY id DESC LIMIT 1")) {
                ps.setLong(1, imageId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(gunzip(rs.getBytes(1))) : Optional.empty();
                }
            }
        });
    }

    /** The inventory JSON of the image's latest scan that kept one, for matching again. */
    public Optional<byte[]> latestInventory(String reference) throws ServerException {
        return store.inTx("read an inventory", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT s.inventory FROM srv_scan s JOIN srv_image i ON s.image_id = i.id"
                    + " WHERE i.reference = ? AND s.inventory IS NOT NULL ORDER BY s.id DESC LIMIT 1")) {
                ps.setString(1, reference);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(gunzip(rs.getBytes(1))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Records that the stored findings are to be matched against {@code dbVersion}; when that is news (no other
     * process recorded it first), queues a re-match of every image last matched against another version and returns
     * how many. The compare-and-set on srv_state makes exactly one process queue them.
     */
    public int queueRematches(String dbVersion) throws ServerException {
        return store.inTx("queue re-matches", c -> {
            String old = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT v FROM srv_state WHERE k = 'vulndb_version' FOR UPDATE")) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) old = rs.getString(1);
                }
            }
            if (dbVersion.equals(old)) return 0;
            if (old == null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO srv_state (k, v) VALUES ('vulndb_version', ?) ON CONFLICT DO NOTHING")) {
                    ps.setString(1, dbVersion);
                    if (ps.executeUpdate() == 0) return 0;
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("UPDATE srv_state SET v = ? WHERE k = 'vulndb_version' AND v = ?")) {
                    ps.setString(1, dbVersion);
                    ps.setString(2, old);
                    if (ps.executeUpdate() == 0) return 0;
                }
            }
            Set<String> refs = new LinkedHashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT i.reference FROM srv_image i JOIN srv_scan s ON s.id = i.last_scan_id"
                    + " WHERE s.db_version IS NULL OR s.db_version <> ? ORDER BY i.id")) {
                ps.setString(1, dbVersion);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) refs.add(rs.getString(1));
                }
            }
            for (String r : refs) Jobs.submit(c, Jobs.REMATCH, r);
            return refs.size();
        });
    }

    static String like(String q) {
        String s = q.strip().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return "%" + s + "%";
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream(Math.max(64, data.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bo.toByteArray();
    }

    static byte[] gunzip(byte[] data) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Now, as the API writes it. */
    public static String iso(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
    }

}
