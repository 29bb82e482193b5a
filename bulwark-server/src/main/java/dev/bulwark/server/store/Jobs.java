package dev.bulwark.server.store;

import dev.bulwark.server.ServerException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The job queue, in the DB. A worker claims the oldest claimable job with {@code SELECT ... FOR UPDATE SKIP LOCKED}
 * (queued, or running under a lease that ran out because its worker died) and holds it with a lease it renews.
 * The results and the job's completion are written in one transaction that first checks the lease is still the
 * worker's: a worker that lost its lease (paused, cut off) writes nothing, so each job completes exactly once.
 * Lease times are the DB's clock, so processes on machines whose clocks differ still agree.
 */
public final class Jobs {
    public static final String SCAN = "scan";
    public static final String REMATCH = "rematch";

    /** How often a job may be claimed before it is failed: an image that kills its worker must not kill them all. */
    public static final int MAX_ATTEMPTS = 3;

    private final Store store;

    public Jobs(Store store) {
        this.store = store;
    }

    public enum Status {
        QUEUED, RUNNING, DONE, FAILED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Job(long id, String kind, String reference, Status status, String error, int attempts, int completions) {
    }

    /** A claimed job: the worker's proof of ownership is the owner id it claimed with. */
    public record Claim(long id, String kind, String reference, int attempt, String owner) {
    }

    public long submit(String kind, String reference) throws ServerException {
        return store.inTx("queue a job", c -> submit(c, kind, reference));
    }

    /** Queues a job; a job of the same kind and reference still waiting in the queue is answered instead. */
    static long submit(Connection c, String kind, String reference) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM srv_job WHERE status = 'queued' AND kind = ? AND reference = ? ORDER BY id LIMIT 1")) {
            ps.setString(1, kind);
            ps.setString(2, reference);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO srv_job (kind, reference, status, created_at) VALUES (?, ?, 'queued', ?)", new String[]{"id"})) {
            ps.setString(1, kind);
            ps.setString(2, reference);
            ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public Optional<Job> get(long id) throws ServerException {
        return store.inTx("read a job", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, kind, reference, status, error, attempts, completions FROM srv_job WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    return Optional.of(new Job(rs.getLong(1), rs.getString(2), rs.getString(3),
                            Status.valueOf(rs.getString(4).toUpperCase(java.util.Locale.ROOT)), rs.getString(5), rs.getInt(6), rs.getInt(7)));
                }
            }
        });
    }

    /**
     * Claims one job for {@code owner} for {@code leaseSeconds}, or empty when none is claimable. A job whose lease
     * ran out after {@link #MAX_ATTEMPTS} claims is failed instead of claimed again.
     */
    public Optional<Claim> claim(String owner, int leaseSeconds) throws ServerException {
        return store.inTx("claim a job", c -> {
            while (true) {
                long id;
                String kind;
                String ref;
                int attempts;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, kind, reference, attempts FROM srv_job"
                                + " WHERE (status = 'queued' AND (not_before IS NULL OR not_before <= CURRENT_TIMESTAMP))"
                                + " OR (status = 'running' AND lease_until < CURRENT_TIMESTAMP)"
                                + " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) return Optional.empty();
                        id = rs.getLong(1);
                        kind = rs.getString(2);
                        ref = rs.getString(3);
                        attempts = rs.getInt(4);
                    }
                }
                if (attempts >= MAX_ATTEMPTS) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE srv_job SET status = 'failed', lease_owner = NULL,"
                            + " error = ?, finished_at = ? WHERE id = ?")) {
                        ps.setString(1, "gave up after " + attempts + " attempts whose workers stopped before finishing");
                        ps.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
                        ps.setLong(3, id);
                        ps.executeUpdate();
                    }
                    continue;
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE srv_job SET status = 'running', lease_owner = ?,"
                        + " lease_until = CURRENT_TIMESTAMP + CAST(? AS INTEGER) * INTERVAL '1' SECOND, attempts = attempts + 1 WHERE id = ?")) {
                    ps.setString(1, owner);
                    ps.setInt(2, leaseSeconds);
                    ps.setLong(3, id);
                    ps.executeUpdate();
                }
                return Optional.of(new Claim(id, kind, ref, attempts + 1, owner));
            }
        });
    }

    /** Extends the lease; false when the job is no longer this owner's (then the worker should give it up). */
    public boolean renew(Claim claim, int leaseSeconds) throws ServerException {
        return store.inTx("renew a lease", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE srv_job SET lease_until = CURRENT_TIMESTAMP + CAST(? AS INTEGER) * INTERVAL '1' SECOND"
                    + " WHERE id = ? AND lease_owner = ? AND status = 'running'")) {
                ps.setInt(1, leaseSeconds);
                ps.setLong(2, claim.id());
                ps.setString(3, claim.owner());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Within the caller's transaction: locks the job row and checks it is still this claim's. Call it first in the
     * transaction that writes the results, then {@link #finish}.
     */
    public static boolean stillMine(Connection c, Claim claim) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT lease_owner, status FROM srv_job WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, claim.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && claim.owner().equals(rs.getString(1)) && "running".equals(rs.getString(2));
            }
        }
    }

    /** Within the caller's transaction, after {@link #stillMine}: the job is done or failed. */
    public static void finish(Connection c, Claim claim, boolean ok, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE srv_job SET status = ?, error = ?, lease_owner = NULL,"
                + " lease_until = NULL, finished_at = ?, completions = completions + 1 WHERE id = ? AND lease_owner = ?")) {
            ps.setString(1, ok ? "done" : "failed");
            ps.setString(2, error == null ? null : error.length() > 2000 ? error.substring(0, 2000) : error);
            ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
            ps.setLong(4, claim.id());
            ps.setString(5, claim.owner());
            if (ps.executeUpdate() != 1) throw new SQLException("job " + claim.id() + " is no longer held by " + claim.owner());
        }
    }

    /**
     * Puts a job back in the queue, to be claimed no sooner than {@code delaySeconds} from now (its own transaction);
     * false when the lease was lost meanwhile.
     */
    public boolean retryLater(Claim claim, String error, int delaySeconds) throws ServerException {
        return store.inTx("queue a job again", c -> {
            if (!stillMine(c, claim)) return false;
            try (PreparedStatement ps = c.prepareStatement("UPDATE srv_job SET status = 'queued', lease_owner = NULL, lease_until = NULL,"
                    + " error = ?, not_before = CURRENT_TIMESTAMP + CAST(? AS INTEGER) * INTERVAL '1' SECOND WHERE id = ?")) {
                ps.setString(1, error == null ? null : error.length() > 2000 ? error.substring(0, 2000) : error);
                ps.setInt(2, delaySeconds);
                ps.setLong(3, claim.id());
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Marks a job failed (its own transaction); false when the lease was lost meanwhile. */
    public boolean fail(Claim claim, String error) throws ServerException {
        return store.inTx("fail a job", c -> {
            if (!stillMine(c, claim)) return false;
            finish(c, claim, false, error);
            return true;
        });
    }
}
