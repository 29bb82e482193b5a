package dev.bulwark.server;

import dev.bulwark.image.testenv.TestComponents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * A fresh schema in the private PostgreSQL of scripts/postgres.sh (read from .bulwark-work/postgres/env), dropped on
 * close. No cluster is a failed test, never a skipped one.
 */
final class PostgresSchema implements AutoCloseable {
    private static final String HOW = "run scripts/postgres.sh start (or scripts/test-all.sh)";
    final String baseUrl;
    final String user;
    final String password;
    final String schema;

    private PostgresSchema(String baseUrl, String user, String password, String schema) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    static PostgresSchema create() throws Exception {
        Path file = TestComponents.work().resolve("postgres/env");
        if (!Files.isRegularFile(file)) throw TestComponents.missing("postgres", "no " + file + ": " + HOW);
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) env.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        byte[] r = new byte[6];
        new SecureRandom().nextBytes(r);
        PostgresSchema s = new PostgresSchema(env.get("POSTGRES_JDBC_URL"), env.get("POSTGRES_USER"), env.get("POSTGRES_PASSWORD"),
                "srv_it_" + HexFormat.of().formatHex(r));
        if (s.baseUrl == null) throw TestComponents.missing("postgres", "POSTGRES_JDBC_URL missing from " + file);
        try (Connection c = s.connect(s.baseUrl); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + s.schema);
        } catch (SQLException e) {
            throw TestComponents.missing("postgres", "unreachable at " + s.baseUrl + ": " + e.getMessage());
        }
        return s;
    }

    String url() {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    Connection connect(String url) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = connect(baseUrl); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
