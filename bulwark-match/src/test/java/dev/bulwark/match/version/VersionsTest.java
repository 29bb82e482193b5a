package dev.bulwark.match.version;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.model.AffectedRange;
import dev.bulwark.model.PackageType;
import org.junit.jupiter.api.Test;

class VersionsTest {

    @Test
    void osvEcosystemsWithOrWithoutTheirRelease() {
        assertThat(Versions.forEcosystem("Debian:12")).contains(Scheme.DPKG);
        assertThat(Versions.forEcosystem("Ubuntu:22.04:LTS")).contains(Scheme.DPKG);
        assertThat(Versions.forEcosystem("Alpine:v3.20")).contains(Scheme.APK);
        assertThat(Versions.forEcosystem("Rocky Linux:9")).contains(Scheme.RPM);
        assertThat(Versions.forEcosystem("Red Hat")).contains(Scheme.RPM);
        assertThat(Versions.forEcosystem("npm")).contains(Scheme.SEMVER);
        assertThat(Versions.forEcosystem("crates.io")).contains(Scheme.SEMVER);
        assertThat(Versions.forEcosystem("PyPI")).contains(Scheme.PEP440);
        assertThat(Versions.forEcosystem("pypi")).contains(Scheme.PEP440);
        assertThat(Versions.forEcosystem("Maven")).contains(Scheme.MAVEN);
        assertThat(Versions.forEcosystem("Go")).contains(Scheme.GO);
        assertThat(Versions.forEcosystem("RubyGems")).contains(Scheme.GEM);
        assertThat(Versions.forEcosystem("NuGet")).isEmpty();
        assertThat(Versions.forEcosystem("")).isEmpty();
    }

    @Test
    void everyPackageTypeHasAScheme() {
        for (PackageType t : PackageType.values()) {
            assertThat(Versions.forPackageType(t)).as(t.name()).isNotNull();
        }
        assertThat(Versions.forPackageType(PackageType.DEB)).isEqualTo(Scheme.DPKG);
        assertThat(Versions.forPackageType(PackageType.CARGO)).isEqualTo(Scheme.SEMVER);
        assertThat(Versions.forPackageType(PackageType.GOLANG)).isEqualTo(Scheme.GO);
    }

    @Test
    void osvRangeTypes() {
        assertThat(Versions.forRange(AffectedRange.Type.SEMVER, "Go")).contains(Scheme.SEMVER);
        assertThat(Versions.forRange(AffectedRange.Type.ECOSYSTEM, "Debian:12")).contains(Scheme.DPKG);
        assertThat(Versions.forRange(AffectedRange.Type.GIT, "Go")).isEmpty();
    }

    @Test
    void schemesSortThroughTheInterface() {
        VersionScheme dpkg = Versions.forEcosystem("Debian:12").orElseThrow();
        assertThat(java.util.stream.Stream.of("1.2-3+deb12u1", "1.0~rc1", "1.2-3", "2:1.0", "1:9.9", "1.0")
                .sorted(dpkg.comparator()).toList())
                .containsExactly("1.0~rc1", "1.0", "1.2-3", "1.2-3+deb12u1", "1:9.9", "2:1.0");
        assertThat(dpkg.id()).isEqualTo("dpkg");
        assertThat(dpkg.isValid("1.0")).isTrue();
    }
}
