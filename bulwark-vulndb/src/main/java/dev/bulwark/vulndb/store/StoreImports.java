package dev.bulwark.vulndb.store;

import dev.bulwark.vulndb.DbLocation;
import dev.bulwark.vulndb.ImportResult;
import dev.bulwark.vulndb.VulnDbException;
import dev.bulwark.vulndb.feed.FeedSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Opening the store for reading, and imports that never leave a reader with a half-written DB.
 *
 * <p>Embedded layout: {@code DIR/current} is a symbolic link to {@code DIR/gen-TIMESTAMP/}, which holds the H2
 * file. An import copies the current generation into {@code DIR/tmp-...}, writes into the copy, compacts it, renames
 * it to a new generation and only then swings {@code current} over with an atomic rename. A crash at any point
 * leaves {@code current} on the old, complete generation; the next import removes the leftovers. Readers open a
 * generation read-only, so a scan running during an import keeps reading the old one.
 *
 * <p>PostgreSQL: the import runs in one transaction (readers see the old data until it commits), serialised by a
 * lock on {@code db_meta}.
 */
public final class StoreImports {
    static final String DB_NAME = "bulwark";
    private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    private static final DateTimeFormatter GEN = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private StoreImports() {
    }

    /** Fills a store: runs parsers into the sink it is given. */
    @FunctionalInterface
    public interface Loader {
        void load(FeedSink sink) throws VulnDbException;
    }

    /** True when a complete DB may be at {@code loc} (for PostgreSQL: always, the server decides). */
    public static boolean exists(DbLocation loc) {
        return switch (loc) {
            case DbLocation.Embedded e -> Files.isDirectory(e.dir().resolve("current"));
            case DbLocation.Jdbc j -> true;
        };
    }

    /**
     * Opens the DB for reading and checks it is complete and of this schema.
     *
     * @throws VulnDbException when there is none (saying how to get one) or it is damaged (saying how to rebuild)
     */
    public static JdbcStore openForReading(DbLocation loc) throws VulnDbException {
        JdbcStore store = switch (loc) {
            case DbLocation.Embedded e -> openEmbedded(e);
            case DbLocation.Jdbc j -> new JdbcStore(connect(j), j.describe());
        };
        try {
            store.verify();
        } catch (VulnDbException ex) {
            try {
                store.close();
            } catch (VulnDbException ignored) {
                // the first problem is the one to report
            }
            throw ex;
        }
        return store;
    }

    private static JdbcStore openEmbedded(DbLocation.Embedded e) throws VulnDbException {
        Path current = e.dir().resolve("current");
        if (!Files.isDirectory(current)) {
            throw new VulnDbException(e.describe(), "no vulnerability DB here yet: run 'bulwark db update' "
                    + "(downloads the public feeds) or 'bulwark db import PATH' (air-gapped)", null);
        }
        Path file = current.resolve(DB_NAME + ".mv.db");
        if (!Files.isRegularFile(file)) {
            throw new VulnDbException(e.describe(), "the vulnerability DB is missing its data file " + file
                    + ": rebuild it with 'bulwark db update' or 'bulwark db import PATH'", null);
        }
        String url = "jdbc:h2:file:" + current.resolve(DB_NAME) + H2_OPTIONS + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE";
        try {
            return new JdbcStore(DriverManager.getConnection(url, "sa", ""), e.describe());
        } catch (SQLException ex) {
            throw new VulnDbException(e.describe(), "the vulnerability DB cannot be opened ("
                    + JdbcStore.firstLine(ex.getMessage()) + "): rebuild it with 'bulwark db update' or 'bulwark db import PATH'", ex);
        }
    }

    private static Connection connect(DbLocation.Jdbc j) throws VulnDbException {
        try {
            Properties p = new Properties();
            if (j.user() != null) p.setProperty("user", j.user());
            if (j.password() != null) p.setProperty("password", j.password());
            return DriverManager.getConnection(j.url(), p);
        } catch (SQLException ex) {
            throw new VulnDbException(j.describe(), "cannot connect to the vulnerability DB: " + JdbcStore.firstLine(ex.getMessage()), ex);
        }
    }

    /**
     * Imports what {@code loader} delivers: each advisory source it brings replaces that source's records, KEV and
     * EPSS are replaced when brought, everything else is kept.
     *
     * @param origin   where the data came from, recorded per source ("https://...", a path)
     * @param onRecord called after each stored record (progress), may be null
     */
    public static ImportResult importInto(DbLocation loc, String origin, Loader loader, Runnable onRecord)
            throws VulnDbException {
        return switch (loc) {
            case DbLocation.Embedded e -> importEmbedded(e, origin, loader, onRecord);
            case DbLocation.Jdbc j -> importJdbc(j, origin, loader, onRecord);
        };
    }

    private static ImportResult importEmbedded(DbLocation.Embedded e, String origin, Loader loader, Runnable onRecord)
            throws VulnDbException {
        Instant start = Instant.now();
        Path dir = e.dir();
        try {
            Files.createDirectories(dir);
        } catch (IOException ex) {
            throw new VulnDbException(e.describe(), "cannot create the DB directory: " + ex.getMessage(), ex);
        }
        try (FileChannel lockFile = FileChannel.open(dir.resolve(".import.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = tryLock(lockFile, e)) {
            removeLeftovers(dir);
            Path tmp = dir.resolve("tmp-" + GEN.format(start) + "-" + ProcessHandle.current().pid());
            Files.createDirectories(tmp);
            Path current = dir.resolve("current");
            Path currentFile = current.resolve(DB_NAME + ".mv.db");
            // the new generation starts from the current one, unless that one is damaged: then from nothing
            if (Files.isRegularFile(currentFile) && readable(e)) Files.copy(currentFile, tmp.resolve(DB_NAME + ".mv.db"));
            String url = "jdbc:h2:file:" + tmp.resolve(DB_NAME) + H2_OPTIONS + ";COMPRESS=TRUE";
            ImportResult result;
            try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                migrate(url, "sa", "", e.describe());
                result = fill(new JdbcStore(c, e.describe()), origin, loader, onRecord, start);
                try (Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN COMPACT");
                }
            } catch (SQLException ex) {
                throw new VulnDbException(e.describe(), "import failed: " + JdbcStore.firstLine(ex.getMessage()), ex);
            }
            Path gen = dir.resolve("gen-" + GEN.format(start));
            Files.move(tmp, gen, StandardCopyOption.ATOMIC_MOVE);
            Path link = dir.resolve("current.new");
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, gen.getFileName());
            Files.move(link, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            removeOldGenerations(dir, gen);
            return result;
        } catch (IOException ex) {
            throw new VulnDbException(e.describe(), "import failed: " + ex.getMessage(), ex);
        }
    }

    /** True when the current generation opens, is complete and can be read through (its counts). */
    private static boolean readable(DbLocation.Embedded e) {
        try (JdbcStore s = openEmbedded(e)) {
            s.verify();
            s.counts();
            return true;
        } catch (VulnDbException | SQLException | RuntimeException ex) {
            return false;
        }
    }

    private static FileLock tryLock(FileChannel ch, DbLocation.Embedded e) throws IOException, VulnDbException {
        try {
            FileLock l = ch.tryLock();
            if (l != null) return l;
        } catch (OverlappingFileLockException ignored) {
            // held by this JVM: same answer
        }
        throw new VulnDbException(e.describe(), "another import into this DB is running; try again when it ends", null);
    }

    private static ImportResult importJdbc(DbLocation.Jdbc j, String origin, Loader loader, Runnable onRecord)
            throws VulnDbException {
        Instant start = Instant.now();
        migrate(j.url(), j.user(), j.password(), j.describe());
        try (Connection c = connect(j)) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("LOCK TABLE db_meta IN EXCLUSIVE MODE");
                }
                ImportResult r = fill(new JdbcStore(c, j.describe()), origin, loader, onRecord, start);
                c.commit();
                return r;
            } catch (VulnDbException | RuntimeException | SQLException ex) {
                c.rollback();
                throw ex;
            }
        } catch (SQLException ex) {
            throw new VulnDbException(j.describe(), "import failed: " + JdbcStore.firstLine(ex.getMessage()), ex);
        }
    }

    private static ImportResult fill(JdbcStore store, String origin, Loader loader, Runnable onRecord, Instant start)
            throws SQLException, VulnDbException {
        Connection c = store.connection();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (StoreImporter importer = new StoreImporter(c, onRecord)) {
            store.putMeta("complete", "false");
            try {
                loader.load(importer);
            } catch (StoreImporter.StoreFailure f) {
                throw f.getCause();
            }
            importer.finish();
            store.recordImport(importer.records(), store.counts(), origin, Instant.now());
            c.commit();
            return new ImportResult(store.info().location(), importer.records(), importer.problems(),
                    importer.problemCount(), importer.unrecognised(), Duration.between(start, Instant.now()));
        } finally {
            if (auto) c.setAutoCommit(true);
        }
    }

    private static void migrate(String url, String user, String password, String where) throws VulnDbException {
        JdbcStore.migrate(new UrlDataSource(url, user, password), where);
    }

    private static void removeLeftovers(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "tmp-*")) {
            for (Path p : ds) deleteTree(p);
        }
    }

    private static void removeOldGenerations(Path dir, Path keep) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "gen-*")) {
            for (Path p : ds) {
                if (!p.getFileName().equals(keep.getFileName())) deleteTree(p);
            }
        } catch (IOException ignored) {
            // an old generation a reader still holds open is removed by the next import
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The smallest DataSource Flyway needs: a connection per call from DriverManager. */
    private record UrlDataSource(String url, String user, String password) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return getConnection(user, password);
        }

        @Override
        public Connection getConnection(String u, String p) throws SQLException {
            Properties props = new Properties();
            if (u != null) props.setProperty("user", u);
            if (p != null) props.setProperty("password", p);
            return DriverManager.getConnection(url, props);
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getLogger("dev.bulwark.vulndb");
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
