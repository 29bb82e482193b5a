package dev.bulwark.scan.os.rpm;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** rpm >= 4.16's sqlite database: table Packages(hnum, blob), one header blob per installed package. */
final class SqliteRpmDb {
    static final byte[] MAGIC = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private SqliteRpmDb() {
    }

    /**
     * Reads a private copy read-only and immutable (no locks, no journal, no WAL: nothing is written next to it).
     * Blobs over {@code maxBlob} bytes are reported and skipped without being loaded.
     */
    static void read(Path db, int maxBlob, BiConsumer<String, byte[]> sink, Consumer<String> warn) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db.toAbsolutePath() + "?mode=ro&immutable=1");
             PreparedStatement st = c.prepareStatement(
                     "SELECT hnum, length(blob), CASE WHEN length(blob) <= ? THEN blob END FROM Packages")) {
            st.setInt(1, maxBlob);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String where = "package " + rs.getLong(1);
                    byte[] blob = rs.getBytes(3);
                    if (blob == null) warn.accept(where + ": blob of " + rs.getLong(2) + " bytes, over the " + maxBlob + "-byte limit (or missing); skipped");
                    else sink.accept(where, blob);
                }
            }
        } catch (SQLException e) {
            warn.accept("not a readable rpm sqlite database (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }
}
