package dev.bulwark.cli;

import dev.bulwark.server.ServerException;
import dev.bulwark.server.store.Store;
import dev.bulwark.vulndb.DbLocation;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the server keeps what it knows: `serve` and `serve token` share it. */
final class ServeStoreOptions {
    static final String ENV = "BULWARK_STORE";

    @Option(names = "--store", paramLabel = "DIR|JDBC-URL", description = {
            "The server DB: a directory (embedded, one process) or a jdbc:postgresql: URL (any number of processes).",
            "Default: $BULWARK_STORE, else the PostgreSQL DB of --db when that is one, else $XDG_DATA_HOME/bulwark/server",
            "(~/.local/share/bulwark/server). PostgreSQL credentials: in the URL, or BULWARK_STORE_USER / BULWARK_STORE_PASSWORD",
            "(else BULWARK_DB_USER / BULWARK_DB_PASSWORD)."})
    String store;

    /** The spec to open: the option, the environment, the vulnerability DB's PostgreSQL, or the user's data dir. */
    String spec(DbOptions db) {
        if (store != null && !store.isBlank()) return store.strip();
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) return env.strip();
        if (db != null && db.location() instanceof DbLocation.Jdbc j) return j.url();
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("bulwark").resolve("server").toString();
    }

    Store open(DbOptions db, int pool) throws ServerException {
        String user = firstSet("BULWARK_STORE_USER", "BULWARK_DB_USER");
        String password = firstSet("BULWARK_STORE_PASSWORD", "BULWARK_DB_PASSWORD");
        return Store.open(spec(db), user, password, pool);
    }

    private static String firstSet(String a, String b) {
        String v = System.getenv(a);
        return v != null ? v : System.getenv(b);
    }
}
