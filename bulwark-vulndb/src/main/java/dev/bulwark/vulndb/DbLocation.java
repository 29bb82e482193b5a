package dev.bulwark.vulndb;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the vulnerability DB lives: an embedded H2 database in a directory (the default, in the user's cache
 * directory), or a PostgreSQL database named by its JDBC URL.
 */
public sealed interface DbLocation {
    /** Environment variable naming the DB (a directory or a JDBC URL); {@code --db} overrides it. */
    String ENV = "BULWARK_DB";

    /** What to show a user: the directory, or the JDBC URL without its credentials. */
    String describe();

    /** An embedded DB in {@code dir} (created on first import). */
    record Embedded(Path dir) implements DbLocation {
        public Embedded {
            dir = dir.toAbsolutePath().normalize();
        }

        @Override
        public String describe() {
            return dir.toString();
        }
    }

    /** A PostgreSQL DB; user and password may also be in the URL's query. */
    record Jdbc(String url, String user, String password) implements DbLocation {
        public Jdbc {
            Objects.requireNonNull(url, "url");
        }

        /** The URL without credentials: other query parameters (currentSchema...) say which DB it is. */
        @Override
        public String describe() {
            int q = url.indexOf('?');
            if (q < 0) return url;
            StringBuilder kept = new StringBuilder();
            for (String param : url.substring(q + 1).split("&")) {
                String key = param.split("=", 2)[0].toLowerCase(java.util.Locale.ROOT);
                if (key.equals("user") || key.equals("password") || key.startsWith("ssl")) continue;
                kept.append(kept.isEmpty() ? "?" : "&").append(param);
            }
            return url.substring(0, q) + kept;
        }

        @Override
        public String toString() {
            return "Jdbc[" + describe() + "]";
        }
    }

    /**
     * A location from a user's words: a {@code jdbc:postgresql:} URL, or a directory. Blank means the default.
     *
     * @throws IllegalArgumentException for a JDBC URL of another database
     */
    static DbLocation parse(String spec, Map<String, String> env) {
        if (spec == null || spec.isBlank()) {
            String fromEnv = env.get(ENV);
            return fromEnv == null || fromEnv.isBlank() ? defaultEmbedded(env) : parse(fromEnv, Map.of());
        }
        String s = spec.strip();
        if (s.startsWith("jdbc:")) {
            if (!s.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("unsupported database URL '" + s
                        + "': give a directory for the embedded DB or a jdbc:postgresql: URL");
            }
            return new Jdbc(s, env.get("BULWARK_DB_USER"), env.get("BULWARK_DB_PASSWORD"));
        }
        return new Embedded(Path.of(s));
    }

    /** {@code $XDG_CACHE_HOME/bulwark/db}, else {@code ~/.cache/bulwark/db}. */
    static Embedded defaultEmbedded(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new Embedded(base.resolve("bulwark").resolve("db"));
    }
}
