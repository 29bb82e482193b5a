package dev.bulwark.vulndb.store;

import dev.bulwark.model.Advisory;
import dev.bulwark.model.Cvss;
import dev.bulwark.model.VulnDbInfo;
import dev.bulwark.vulndb.Enrichment;
import dev.bulwark.vulndb.PackageKey;
import dev.bulwark.vulndb.VulnDbException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The vulnerability store over one JDBC connection, the same SQL for H2 and PostgreSQL. Reading is what a scan
 * does; writing happens only inside an import ({@link StoreImports}).
 */
public final class JdbcStore implements AutoCloseable {
    /** The schema version this code reads and writes (the highest Flyway migration). */
    public static final int SCHEMA = 1;

    private final Connection c;
    private final String location;

    JdbcStore(Connection c, String location) {
        this.c = c;
        this.location = location;
    }

    /** Applies the schema migrations to the database behind {@code c}'s URL (creating the tables on first use). */
    static void migrate(javax.sql.DataSource ds, String location) throws VulnDbException {
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:dev/bulwark/vulndb/db/migration")
                    .table("bulwark_schema_history")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new VulnDbException(location, "cannot bring the DB schema up to date: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Checks that the DB was written completely by a Bulwark that uses this schema.
     *
     * @throws VulnDbException saying what is wrong and how to get out (re-import)
     */
    void verify() throws VulnDbException {
        Map<String, String> meta = meta();
        String schema = meta.get("schema");
        if (schema == null || !"true".equals(meta.get("complete"))) {
            throw new VulnDbException(location, "the vulnerability DB is incomplete (an import did not finish): "
                    + "rebuild it with 'bulwark db update' or 'bulwark db import PATH'", null);
        }
        if (!schema.equals(Integer.toString(SCHEMA))) {
            throw new VulnDbException(location, "the vulnerability DB has schema " + schema + ", this Bulwark reads "
                    + SCHEMA + ": rebuild it with 'bulwark db update' or 'bulwark db import PATH'", null);
        }
    }

    Map<String, String> meta() throws VulnDbException {
        Map<String, String> meta = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT meta_key, meta_value FROM db_meta")) {
            while (rs.next()) meta.put(rs.getString(1), rs.getString(2));
        } catch (SQLException e) {
            throw damaged(e);
        }
        return meta;
    }

    public VulnDbInfo info() throws VulnDbException {
        Map<String, String> meta = meta();
        List<VulnDbInfo.Source> sources = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, origin, updated_at, records FROM feed_source ORDER BY name")) {
            while (rs.next()) {
                sources.add(new VulnDbInfo.Source(rs.getString(1), rs.getLong(4),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(2)));
            }
        } catch (SQLException e) {
            throw damaged(e);
        }
        String built = meta.get("built_at");
        int schema = meta.containsKey("schema") ? Integer.parseInt(meta.get("schema")) : 0;
        return new VulnDbInfo(location, built == null ? null : Instant.parse(built), sources, schema);
    }

    /**
     * Every advisory that names one of {@code keys}, per key, in storage order. One indexed point query per key:
     * an {@code IN} list of names makes H2 compare each row of the ecosystem with every name of the list.
     */
    public Map<PackageKey, List<Advisory>> advisories(Collection<PackageKey> keys) throws VulnDbException {
        Map<PackageKey, List<Advisory>> out = new LinkedHashMap<>();
        Map<Long, Advisory> decoded = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.pk, a.doc FROM affected f JOIN advisory a "
                + "ON a.pk = f.advisory_pk WHERE f.ecosystem = ? AND f.name = ? ORDER BY a.pk")) {
            for (PackageKey k : new LinkedHashSet<>(keys)) {
                ps.setString(1, k.ecosystem());
                ps.setString(2, k.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long pk = rs.getLong(1);
                        Advisory a = decoded.get(pk);
                        if (a == null) {
                            a = decode(rs.getBytes(2), pk);
                            decoded.put(pk, a);
                        }
                        out.computeIfAbsent(k, x -> new ArrayList<>()).add(a);
                    }
                }
            }
        } catch (SQLException ex) {
            throw damaged(ex);
        }
        return out;
    }


    /** NVD scores, KEV and EPSS for each of {@code ids} that the DB knows anything about. */
    public Map<String, Enrichment> enrichment(Collection<String> ids) throws VulnDbException {
        Map<String, List<Cvss>> nvd = new HashMap<>();
        Map<String, double[]> epss = new HashMap<>();
        // read per call, not per open store: a PostgreSQL DB changes under an open reader when an import commits.
        // KEV is small (about 1,500 entries): read whole; NVD and EPSS are asked only when they hold anything.
        Map<String, Object[]> kevTable = null;
        Boolean hasNvd = null;
        Boolean hasEpss = null;
        try {
            if (kevTable == null) {
                Map<String, Object[]> kev = new HashMap<>();
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT cve_id, date_added, ransomware FROM kev")) {
                    while (rs.next()) {
                        java.sql.Date d = rs.getDate(2);
                        kev.put(rs.getString(1), new Object[]{d == null ? null : d.toLocalDate(), rs.getBoolean(3)});
                    }
                }
                kevTable = kev;
            }
            if (hasNvd == null) {
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM advisory WHERE source = 'nvd'")) {
                    hasNvd = rs.next() && rs.getLong(1) > 0;
                }
            }
            if (hasEpss == null) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1 FROM epss LIMIT 1")) {
                    hasEpss = rs.next();
                }
            }
            try (PreparedStatement nvdQ = c.prepareStatement("SELECT a.pk, a.doc FROM alias al JOIN advisory a "
                    + "ON a.pk = al.advisory_pk WHERE a.source = 'nvd' AND al.alias = ?");
                 PreparedStatement epssQ = c.prepareStatement("SELECT score, percentile FROM epss WHERE cve_id = ?")) {
                for (String id : new LinkedHashSet<>(ids)) {
                    if (!id.startsWith("CVE-")) continue; // NVD, KEV and EPSS know CVE ids only
                    if (hasNvd) {
                        nvdQ.setString(1, id);
                        try (ResultSet rs = nvdQ.executeQuery()) {
                            while (rs.next()) {
                                Advisory a = decode(rs.getBytes(2), rs.getLong(1));
                                nvd.computeIfAbsent(id, k -> new ArrayList<>()).addAll(a.cvss());
                            }
                        }
                    }
                    if (!hasEpss) continue;
                    epssQ.setString(1, id);
                    try (ResultSet rs = epssQ.executeQuery()) {
                        if (rs.next()) epss.put(id, new double[]{rs.getDouble(1), rs.getDouble(2)});
                    }
                }
            }
        } catch (SQLException ex) {
            throw damaged(ex);
        }
        Map<String, Enrichment> out = new LinkedHashMap<>();
        Set<String> known = new LinkedHashSet<>(nvd.keySet());
        for (String id : ids) if (kevTable.containsKey(id)) known.add(id);
        known.addAll(epss.keySet());
        for (String id : known) {
            Object[] k = kevTable.get(id);
            double[] p = epss.get(id);
            out.put(id, new Enrichment(id, nvd.getOrDefault(id, List.of()), k != null,
                    k == null ? null : (java.time.LocalDate) k[0], k != null && (Boolean) k[1],
                    p == null ? Double.NaN : p[0], p == null ? Double.NaN : p[1]));
        }
        return out;
    }

    /** Records the import's sources and marks the DB complete; inside the import's transaction. */
    void recordImport(Map<String, Long> records, Map<String, Long> totals, String origin, Instant at) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM feed_source WHERE name = ?");
             PreparedStatement ins = c.prepareStatement(
                     "INSERT INTO feed_source (name, origin, updated_at, records, problems) VALUES (?, ?, ?, ?, 0)")) {
            for (String source : records.keySet()) {
                del.setString(1, source);
                del.executeUpdate();
                ins.setString(1, source);
                ins.setString(2, origin.length() > 4000 ? origin.substring(0, 4000) : origin);
                ins.setObject(3, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
                ins.setLong(4, totals.getOrDefault(source, records.get(source)));
                ins.executeUpdate();
            }
        }
        putMeta("schema", Integer.toString(SCHEMA));
        putMeta("built_at", at.toString());
        putMeta("complete", "true");
    }

    /** Records stored per advisory source, plus kev and epss. */
    Map<String, Long> counts() throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT source, COUNT(*) FROM advisory GROUP BY source")) {
                while (rs.next()) counts.put(rs.getString(1), rs.getLong(2));
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM kev")) {
                if (rs.next() && rs.getLong(1) > 0) counts.put("kev", rs.getLong(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM epss")) {
                if (rs.next() && rs.getLong(1) > 0) counts.put("epss", rs.getLong(1));
            }
        }
        return counts;
    }

    void putMeta(String key, String value) throws SQLException {
        try (PreparedStatement d = c.prepareStatement("DELETE FROM db_meta WHERE meta_key = ?");
             PreparedStatement i = c.prepareStatement("INSERT INTO db_meta (meta_key, meta_value) VALUES (?, ?)")) {
            d.setString(1, key);
            d.executeUpdate();
            i.setString(1, key);
            i.setString(2, value);
            i.executeUpdate();
        }
    }

    Connection connection() {
        return c;
    }

    private Advisory decode(byte[] doc, long pk) throws VulnDbException {
        try {
            return AdvisoryCodec.decode(doc);
        } catch (IOException e) {
            throw new VulnDbException(location, "advisory record " + pk + " is damaged (" + firstLine(e.getMessage())
                    + "): rebuild the DB with 'bulwark db update' or 'bulwark db import PATH'", e);
        }
    }

    VulnDbException damaged(SQLException e) {
        return new VulnDbException(location, "the vulnerability DB cannot be read (" + firstLine(e.getMessage())
                + "): rebuild it with 'bulwark db update' or 'bulwark db import PATH'", e);
    }

    static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    @Override
    public void close() throws VulnDbException {
        try {
            c.close();
        } catch (SQLException e) {
            throw damaged(e);
        }
    }
}
