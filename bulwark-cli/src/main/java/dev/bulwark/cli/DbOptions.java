package dev.bulwark.cli;

import dev.bulwark.vulndb.DbLocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Where the vulnerability DB is, shared by `scan` and `db`. */
final class DbOptions {
    @Option(names = "--db", paramLabel = "DIR|JDBC-URL", description = {
            "Vulnerability DB: a directory (embedded DB) or a jdbc:postgresql: URL.",
            "Default: $BULWARK_DB, else $XDG_CACHE_HOME/bulwark/db (~/.cache/bulwark/db).",
            "PostgreSQL credentials: in the URL, or BULWARK_DB_USER / BULWARK_DB_PASSWORD."})
    String db;

    DbLocation location() {
        return DbLocation.parse(db, System.getenv());
    }

    /** Where `db update` keeps the downloaded feeds: beside an embedded DB, else in the user's cache. */
    Path feedDir() {
        if (location() instanceof DbLocation.Embedded e) return e.dir().resolveSibling(e.dir().getFileName() + "-feeds");
        return DbLocation.defaultEmbedded(System.getenv()).dir().resolveSibling("feeds");
    }

    /** "30d", "12h", "90m", or an ISO-8601 duration ("P7D"). */
    static Duration parseAge(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) return Duration.parse(t.toUpperCase(Locale.ROOT));
            if (t.length() < 2) throw new IllegalArgumentException();
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 'd' -> Duration.ofDays(n);
                case 'h' -> Duration.ofHours(n);
                case 'm' -> Duration.ofMinutes(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid age '" + s + "' (examples: 7d, 48h, 90m, P7D)");
        }
    }
}
