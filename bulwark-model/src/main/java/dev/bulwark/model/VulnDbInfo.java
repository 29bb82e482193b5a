package dev.bulwark.model;

import java.time.Instant;
import java.util.List;

/**
 * Which vulnerability data a scan was matched against.
 *
 * @param location  where the DB is ("~/.cache/bulwark/db", a JDBC URL without credentials, "built-in")
 * @param builtAt   when it was last built (update or import), or null
 * @param sources   what it holds, one entry per source
 * @param schema    schema version
 */
public record VulnDbInfo(String location, Instant builtAt, List<Source> sources, int schema) {
    public VulnDbInfo {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /**
     * @param name       "osv-go", "debian", "alpine", "nvd", "kev", "epss"...
     * @param records    records stored
     * @param updatedAt  when this source's data was fetched or imported
     * @param origin     URL or path it came from
     */
    public record Source(String name, long records, Instant updatedAt, String origin) {
    }
}
