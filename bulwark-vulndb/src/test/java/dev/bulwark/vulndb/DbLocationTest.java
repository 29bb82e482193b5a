package dev.bulwark.vulndb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DbLocationTest {
    @Test
    void defaultIsTheUsersCacheAndTheEnvironmentOverridesIt() {
        assertThat(DbLocation.parse(null, Map.of("XDG_CACHE_HOME", "/var/cache/x")))
                .isEqualTo(new DbLocation.Embedded(Path.of("/var/cache/x/bulwark/db")));
        assertThat(DbLocation.parse("", Map.of(DbLocation.ENV, "/srv/db")))
                .isEqualTo(new DbLocation.Embedded(Path.of("/srv/db")));
        // a relative XDG_CACHE_HOME is invalid by the XDG spec and ignored
        assertThat(DbLocation.parse(null, Map.of("XDG_CACHE_HOME", "rel")).describe()).endsWith(".cache/bulwark/db");
    }

    @Test
    void postgresUrlsKeepTheirSchemaButNeverShowCredentials() {
        DbLocation l = DbLocation.parse("jdbc:postgresql://db:5432/vulns?user=u&password=s3cret&currentSchema=team",
                Map.of("BULWARK_DB_PASSWORD", "other"));
        assertThat(l).isInstanceOf(DbLocation.Jdbc.class);
        assertThat(l.describe()).isEqualTo("jdbc:postgresql://db:5432/vulns?currentSchema=team");
        assertThat(l.toString()).doesNotContain("s3cret").doesNotContain("other");
        assertThatThrownBy(() -> DbLocation.parse("jdbc:mysql://x/y", Map.of()))
                .hasMessageContaining("jdbc:postgresql");
    }
}
