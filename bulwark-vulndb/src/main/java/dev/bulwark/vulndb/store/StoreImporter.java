package dev.bulwark.vulndb.store;

import dev.bulwark.model.Advisory;
import dev.bulwark.model.AffectedPackage;
import dev.bulwark.vulndb.PackageKey;
import dev.bulwark.vulndb.feed.EpssScore;
import dev.bulwark.vulndb.feed.FeedSink;
import dev.bulwark.vulndb.feed.KevEntry;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Streams parsed records into the store's tables in batches, inside the caller's transaction. A source this import
 * brings replaces that source's older records as a whole ({@link #finish}); sources it does not bring are kept.
 * Parsers call the sink from one thread, so this class is not thread-safe.
 */
final class StoreImporter implements FeedSink, AutoCloseable {
    static final int MAX_KEPT_PROBLEMS = 1000;
    private static final int BATCH = 2000;

    private final Connection c;
    private final long firstNewPk;
    private long nextPk;
    private final PreparedStatement insAdvisory;
    private final PreparedStatement insAffected;
    private final PreparedStatement insAlias;
    private final PreparedStatement insKev;
    private final PreparedStatement insEpss;
    private int pending;
    private final Map<String, Long> records = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private long problemCount;
    private final List<String> unrecognised = new ArrayList<>();
    private final Set<String> kevSeen = new HashSet<>();
    private final Set<String> epssSeen = new HashSet<>();
    private final Runnable onRecord;

    /** Thrown through the FeedSink interface, which cannot throw checked exceptions; unwrapped by the caller. */
    static final class StoreFailure extends RuntimeException {
        StoreFailure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    StoreImporter(Connection c, Runnable onRecord) throws SQLException {
        this.c = c;
        this.onRecord = onRecord;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(pk), 0) FROM advisory")) {
            rs.next();
            firstNewPk = rs.getLong(1) + 1;
        }
        nextPk = firstNewPk;
        insAdvisory = c.prepareStatement("INSERT INTO advisory (pk, source, id, doc) VALUES (?, ?, ?, ?)");
        insAffected = c.prepareStatement("INSERT INTO affected (ecosystem, name, advisory_pk) VALUES (?, ?, ?)");
        insAlias = c.prepareStatement("INSERT INTO alias (alias, advisory_pk) VALUES (?, ?)");
        insKev = c.prepareStatement("INSERT INTO kev (cve_id, date_added, due_date, ransomware, title) VALUES (?, ?, ?, ?, ?)");
        insEpss = c.prepareStatement("INSERT INTO epss (cve_id, score, percentile) VALUES (?, ?, ?)");
    }

    @Override
    public void advisory(Advisory a) {
        try {
            long pk = nextPk++;
            insAdvisory.setLong(1, pk);
            insAdvisory.setString(2, a.source());
            insAdvisory.setString(3, a.id());
            insAdvisory.setBytes(4, AdvisoryCodec.encode(a));
            insAdvisory.addBatch();
            Set<PackageKey> keys = new LinkedHashSet<>();
            for (AffectedPackage p : a.affected()) {
                if (p.ecosystem() == null || p.name() == null) continue;
                keys.add(PackageKey.of(p.ecosystem(), p.name()));
            }
            for (PackageKey k : keys) {
                insAffected.setString(1, k.ecosystem());
                insAffected.setString(2, k.name());
                insAffected.setLong(3, pk);
                insAffected.addBatch();
            }
            Set<String> names = new LinkedHashSet<>();
            names.add(a.id());
            names.addAll(a.aliases());
            for (String n : names) {
                insAlias.setString(1, n);
                insAlias.setLong(2, pk);
                insAlias.addBatch();
            }
            records.merge(a.source(), 1L, Long::sum);
            counted();
        } catch (SQLException e) {
            throw new StoreFailure(e);
        }
    }

    @Override
    public void kev(KevEntry e) {
        try {
            if (kevSeen.isEmpty()) deleteAll("kev");
            if (!kevSeen.add(e.cveId())) return;
            insKev.setString(1, e.cveId());
            insKev.setDate(2, e.dateAdded() == null ? null : Date.valueOf(e.dateAdded()));
            insKev.setDate(3, e.dueDate() == null ? null : Date.valueOf(e.dueDate()));
            insKev.setBoolean(4, e.knownRansomwareCampaignUse());
            insKev.setString(5, clip(e.vulnerabilityName() == null ? "" : e.vulnerabilityName(), 1000));
            insKev.addBatch();
            records.merge("kev", 1L, Long::sum);
            counted();
        } catch (SQLException ex) {
            throw new StoreFailure(ex);
        }
    }

    @Override
    public void epss(EpssScore s) {
        try {
            if (epssSeen.isEmpty()) deleteAll("epss");
            if (!epssSeen.add(s.cve())) return;
            insEpss.setString(1, s.cve());
            insEpss.setDouble(2, s.epss());
            insEpss.setDouble(3, s.percentile());
            insEpss.addBatch();
            records.merge("epss", 1L, Long::sum);
            counted();
        } catch (SQLException ex) {
            throw new StoreFailure(ex);
        }
    }

    @Override
    public void problem(String problem) {
        problemCount++;
        if (problems.size() < MAX_KEPT_PROBLEMS) problems.add(problem);
    }

    @Override
    public void unrecognised(String name) {
        if (unrecognised.size() < MAX_KEPT_PROBLEMS) unrecognised.add(name);
    }

    private void counted() throws SQLException {
        if (onRecord != null) onRecord.run();
        if (++pending >= BATCH) flush();
    }

    private void flush() throws SQLException {
        insAdvisory.executeBatch();
        insAffected.executeBatch();
        insAlias.executeBatch();
        insKev.executeBatch();
        insEpss.executeBatch();
        pending = 0;
    }

    private void deleteAll(String table) throws SQLException {
        flush();
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + table);
        }
    }

    /**
     * Writes what is pending and drops the older records of every advisory source this import brought, so that a
     * source is replaced as a whole.
     */
    void finish() throws SQLException {
        flush();
        for (String source : records.keySet()) {
            if (source.equals("kev") || source.equals("epss")) continue;
            // The older records of a source lie in few runs of consecutive keys (one per earlier import): delete by
            // key ranges, which the advisory_pk indexes answer directly (an IN (subquery) is a scan per row in H2).
            for (long[] run : olderRuns(source)) {
                for (String table : List.of("affected", "alias")) {
                    try (PreparedStatement d = c.prepareStatement("DELETE FROM " + table + " WHERE advisory_pk BETWEEN ? AND ?")) {
                        d.setLong(1, run[0]);
                        d.setLong(2, run[1]);
                        d.executeUpdate();
                    }
                }
                try (PreparedStatement d = c.prepareStatement("DELETE FROM advisory WHERE pk BETWEEN ? AND ?")) {
                    d.setLong(1, run[0]);
                    d.setLong(2, run[1]);
                    d.executeUpdate();
                }
            }
        }
    }

    /** Runs [first, last] of consecutive keys that hold only older records of {@code source}. */
    private List<long[]> olderRuns(String source) throws SQLException {
        List<long[]> runs = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT pk, source FROM advisory WHERE pk < ? ORDER BY pk")) {
            q.setLong(1, firstNewPk);
            try (ResultSet rs = q.executeQuery()) {
                long[] run = null;
                while (rs.next()) {
                    if (source.equals(rs.getString(2))) {
                        long pk = rs.getLong(1);
                        if (run == null) run = new long[]{pk, pk};
                        else run[1] = pk;
                    } else if (run != null) {
                        runs.add(run);
                        run = null;
                    }
                }
                if (run != null) runs.add(run);
            }
        }
        return runs;
    }

    Map<String, Long> records() {
        return records;
    }

    List<String> problems() {
        return problems;
    }

    long problemCount() {
        return problemCount;
    }

    List<String> unrecognised() {
        return unrecognised;
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement p : List.of(insAdvisory, insAffected, insAlias, insKev, insEpss)) p.close();
    }
}
