package dev.bulwark.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.server.ServerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The server's database: an embedded H2 file (one process) or PostgreSQL (any number of processes), behind a
 * connection pool, with the server's own Flyway migrations. Nothing the server knows lives outside it.
 */
public final class Store implements AutoCloseable {
    private final HikariDataSource ds;
    private final String describe;
    private final boolean postgres;

    private Store(HikariDataSource ds, String describe, boolean postgres) {
        this.ds = ds;
        this.describe = describe;
        this.postgres = postgres;
    }

    /**
     * Opens (creating and migrating when needed) the store at {@code spec}: a {@code jdbc:postgresql:} URL or a
     * directory for the embedded DB.
     *
     * @param user     PostgreSQL user, or null (then the URL's)
     * @param password PostgreSQL password, or null
     */
    public static Store open(String spec, String user, String password, int poolSize) throws ServerException {
        HikariConfig hc = new HikariConfig();
        boolean pg;
        String describe;
        if (spec.startsWith("jdbc:")) {
            if (!spec.startsWith("jdbc:postgresql:")) {
                throw new ServerException(spec, "unsupported database URL: give a directory for the embedded DB or a jdbc:postgresql: URL", null);
            }
            hc.setJdbcUrl(spec);
            if (user != null) hc.setUsername(user);
            if (password != null) hc.setPassword(password);
            pg = true;
            int q = spec.indexOf('?');
            describe = q < 0 ? spec : spec.substring(0, q);
        } else {
            Path dir = Path.of(spec).toAbsolutePath().normalize();
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new ServerException(dir.toString(), "cannot create the server DB directory: " + e.getMessage(), e);
            }
            // DEFAULT_NULL_ORDERING and lower-case names keep H2's answers the same as PostgreSQL's
            hc.setJdbcUrl("jdbc:h2:file:" + dir.resolve("server") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
            hc.setUsername("sa");
            hc.setPassword("");
            pg = false;
            describe = dir.toString();
        }
        hc.setMaximumPoolSize(Math.max(2, poolSize));
        hc.setPoolName("bulwark-server");
        hc.setConnectionTimeout(10_000);
        // one attempt at start, failing with the driver's own reason (refused, wrong password, file in use)
        hc.setInitializationFailTimeout(1);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new ServerException(describe, "cannot connect to the server DB: " + firstLine(root(e)), e);
        }
        Store s = new Store(ds, describe, pg);
        try {
            migrate(ds);
        } catch (FlywayException e) {
            ds.close();
            throw new ServerException(describe, "cannot bring the server DB schema up to date: " + firstLine(e), e);
        }
        return s;
    }

    private static void migrate(DataSource ds) {
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:dev/bulwark/server/db/migration")
                .table("bulwark_server_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    public Connection connection() throws SQLException {
        return ds.getConnection();
    }

    public boolean postgres() {
        return postgres;
    }

    /** Where it is, without credentials. */
    public String describe() {
        return describe;
    }

    private static Throwable root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        ds.close();
    }

    /** Work inside one transaction. */
    @FunctionalInterface
    public interface Tx<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in a transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTx(String what, Tx<T> work) throws ServerException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                T out = work.run(c);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new ServerException(describe, what + ": " + firstLine(e), e);
        }
    }
}
