package dev.bulwark.server.store;

import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.server.ServerException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Audit reports (host and file audits) as submitted, summarised by CIS section; and the policy decision log. */
public final class Audits {
    private final Store store;

    public Audits(Store store) {
        this.store = store;
    }

    /** CIS Docker Benchmark v1.6 section titles. */
    static final Map<String, String> SECTIONS = Map.of(
            "1", "Host Configuration",
            "2", "Docker daemon configuration",
            "3", "Docker daemon configuration files",
            "4", "Container Images and Build File",
            "5", "Container Runtime",
            "6", "Docker Security Operations",
            "7", "Docker Swarm Configuration",
            "other", "Good practice beyond the benchmark");

    public record Section(String section, String title, Map<AuditStatus, Integer> statusCounts) {
    }

    public record Stored(long id, String target, OffsetDateTime at, int score, List<Section> sections, AuditReport report) {
    }

    public record Decision(OffsetDateTime at, String source, String user, String action, String decision, String rule,
                           String message, String image) {
    }

    /** The CIS section of a check id ("5.4" → "5"); Bulwark's own checks ("DF-ADD-URL") are "other". */
    public static String section(String checkId) {
        int dot = checkId.indexOf('.');
        String head = dot < 0 ? checkId : checkId.substring(0, dot);
        return head.chars().allMatch(Character::isDigit) && !head.isEmpty() && SECTIONS.containsKey(head) ? head : "other";
    }

    public static List<Section> sections(AuditReport r) {
        Map<String, Map<AuditStatus, Integer>> by = new TreeMap<>();
        for (AuditResult res : r.results()) {
            Map<AuditStatus, Integer> m = by.computeIfAbsent(section(res.checkId()), k -> new EnumMap<>(AuditStatus.class));
            m.merge(res.status(), 1, Integer::sum);
        }
        List<Section> out = new ArrayList<>();
        for (var e : by.entrySet()) out.add(new Section(e.getKey(), SECTIONS.get(e.getKey()), e.getValue()));
        return out;
    }

    /** Passed checks among those decided (pass + fail), in percent; 100 when none was decided. */
    public static int score(AuditReport r) {
        long pass = r.results().stream().filter(x -> x.status() == AuditStatus.PASS).count();
        long fail = r.results().stream().filter(x -> x.status() == AuditStatus.FAIL).count();
        return pass + fail == 0 ? 100 : (int) Math.round(100.0 * pass / (pass + fail));
    }

    public long save(AuditReport report, byte[] json) throws ServerException {
        byte[] gz = Results.gzip(json);
        return store.inTx("store an audit", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO srv_audit (target, at, score, report) VALUES (?, ?, ?, ?)", new String[]{"id"})) {
                ps.setString(1, cut(report.target(), 1000));
                ps.setObject(2, report.auditedAt() == null ? OffsetDateTime.now(ZoneOffset.UTC) : report.auditedAt().atOffset(ZoneOffset.UTC));
                ps.setInt(3, score(report));
                ps.setBytes(4, gz);
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** The reports, newest first, each read back with the given parser. */
    public List<Stored> list(int limit, ReportParser parser) throws ServerException {
        return query("SELECT id, target, at, score, report FROM srv_audit ORDER BY id DESC LIMIT " + Math.min(limit, Results.MAX_ROWS), null, parser);
    }

    public Optional<Stored> get(long id, ReportParser parser) throws ServerException {
        List<Stored> l = query("SELECT id, target, at, score, report FROM srv_audit WHERE id = ?", id, parser);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @FunctionalInterface
    public interface ReportParser {
        AuditReport parse(byte[] json) throws java.io.IOException;
    }

    private List<Stored> query(String sql, Long id, ReportParser parser) throws ServerException {
        return store.inTx("read audits", c -> {
            List<Stored> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (id != null) ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        AuditReport r;
                        try {
                            r = parser.parse(Results.gunzip(rs.getBytes(5)));
                        } catch (java.io.IOException e) {
                            throw new java.sql.SQLException("stored audit " + rs.getLong(1) + " cannot be read: " + e.getMessage(), e);
                        }
                        out.add(new Stored(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class), rs.getInt(4), sections(r), r));
                    }
                }
            }
            return out;
        });
    }

    public int saveDecisions(List<Decision> decisions) throws ServerException {
        return store.inTx("store decisions", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO srv_decision (at, source, usr, action, decision, rule, message, image)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Decision d : decisions) {
                    ps.setObject(1, d.at());
                    ps.setString(2, cut(d.source(), 20));
                    ps.setString(3, cut(d.user(), 200));
                    ps.setString(4, cut(d.action(), 200));
                    ps.setString(5, d.decision());
                    ps.setString(6, cut(d.rule(), 200));
                    ps.setString(7, cut(d.message(), 2000));
                    ps.setString(8, cut(d.image(), 1000));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return decisions.size();
        });
    }

    /** The newest decisions first; {@code decision} "allow", "deny" or null for both. */
    public List<Decision> decisions(int limit, String decision) throws ServerException {
        String sql = "SELECT at, source, usr, action, decision, rule, message, image FROM srv_decision"
                + (decision == null ? "" : " WHERE decision = ?") + " ORDER BY at DESC, id DESC LIMIT " + Math.min(limit, Results.MAX_ROWS);
        return store.inTx("read decisions", c -> {
            List<Decision> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (decision != null) ps.setString(1, decision);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new Decision(rs.getObject(1, OffsetDateTime.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
            return out;
        });
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
