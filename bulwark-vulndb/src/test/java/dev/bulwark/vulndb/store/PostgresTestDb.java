package dev.bulwark.vulndb.store;

import dev.bulwark.vulndb.DbLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * The private PostgreSQL cluster of {@code scripts/postgres.sh}, read from {@code .bulwark-work/postgres/env}, with a
 * schema of this test's own: made with a random name on {@link #create()}, named by {@code currentSchema=} in
 * {@link #location()}'s URL, dropped with everything in it on {@link #close()}. A missing env file or a server that
 * does not answer fails the test (with or without {@code CI=true}): this test exists to run against the real server.
 */
final class PostgresTestDb implements AutoCloseable {
    private static final String HOW = "run scripts/postgres.sh start (or scripts/test-all.sh)";

    private final String baseUrl;
    private final String user;
    private final String password;
    private final String schema;

    private PostgresTestDb(String baseUrl, String user, String password, String schema) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    /** Connects to the cluster and creates a fresh schema; fails (never skips) when the cluster is not there. */
    static PostgresTestDb create() {
        Map<String, String> env = env();
        String url = required(env, "POSTGRES_JDBC_URL");
        String user = required(env, "POSTGRES_USER");
        String password = required(env, "POSTGRES_PASSWORD");
        byte[] r = new byte[6];
        new SecureRandom().nextBytes(r);
        String schema = "it_" + HexFormat.of().formatHex(r);
        PostgresTestDb db = new PostgresTestDb(url, user, password, schema);
        try (Connection c = db.connect(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new AssertionError("component postgres is unreachable at " + url + " (" + e.getMessage() + "): "
                    + HOW + (ci() ? " [CI=true]" : ""), e);
        }
        return db;
    }

    /** The DB location of this test's schema, as a user would give it. */
    DbLocation.Jdbc location() {
        return new DbLocation.Jdbc(schemaUrl(), user, password);
    }

    String schemaUrl() {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    String schema() {
        return schema;
    }

    /** A connection whose search path is this test's schema, to look at the tables directly. */
    Connection connection() throws SQLException {
        return connect(schemaUrl());
    }

    /** The single number a query answers, from this test's schema. */
    long scalar(String sql) throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) throw new AssertionError("no row from: " + sql);
            return rs.getLong(1);
        }
    }

    private Connection connect(String url) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = connect(baseUrl); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** {@code .bulwark-work/postgres/env} of the repository (system property {@code bulwark.root}, else mvnw above). */
    static Map<String, String> env() {
        Path file = repoRoot().resolve(".bulwark-work/postgres/env");
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("component postgres is missing (no " + file + "): " + HOW + (ci() ? " [CI=true]" : ""));
        }
        Map<String, String> env = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String l = line.strip();
                int eq = l.indexOf('=');
                if (l.isEmpty() || l.startsWith("#") || eq < 0) continue;
                env.put(l.substring(0, eq), l.substring(eq + 1));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + ": " + e.getMessage(), e);
        }
        return env;
    }

    private static String required(Map<String, String> env, String key) {
        String v = env.get(key);
        if (v == null || v.isBlank()) throw new AssertionError("component postgres: " + key + " missing from its env file: " + HOW);
        return v;
    }

    private static Path repoRoot() {
        String prop = System.getProperty("bulwark.root");
        if (prop != null && !prop.isBlank()) return Path.of(prop).toAbsolutePath().normalize();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw"))) return p;
        }
        throw new AssertionError("no directory with mvnw above " + Path.of("").toAbsolutePath());
    }
}
