package dev.bulwark.audit.host;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogueTest {
    /** Every recommendation of the CIS Docker Benchmark v1.6.0 (117), in its order. */
    static final List<String> CIS_V160 = Arrays.asList(("1.1.1 1.1.2 1.1.3 1.1.4 1.1.5 1.1.6 1.1.7 1.1.8 1.1.9 1.1.10 1.1.11 1.1.12 1.1.13 1.1.14 1.1.15 1.1.16 1.1.17 1.1.18 1.2.1 1.2.2 2.1 2.2 2.3 2.4 2.5 2.6 2.7 2.8 2.9 2.10 2.11 2.12 2.13 2.14 2.15 2.16 2.17 2.18 3.1 3.2 3.3 3.4 3.5 3.6 3.7 3.8 3.9 3.10 3.11 3.12 3.13 3.14 3.15 3.16 3.17 3.18 3.19 3.20 3.21 3.22 3.23 3.24 4.1 4.2 4.3 4.4 4.5 4.6 4.7 4.8 4.9 4.10 4.11 4.12 5.1 5.2 5.3 5.4 5.5 5.6 5.7 5.8 5.9 5.10 5.11 5.12 5.13 5.14 5.15 5.16 5.17 5.18 5.19 5.20 5.21 5.22 5.23 5.24 5.25 5.26 5.27 5.28 5.29 5.30 5.31 5.32 6.1 6.2 7.1 7.2 7.3 7.4 7.5 7.6 7.7 7.8 7.9 ").strip().split(" "));

    @Test
    void coversEveryRecommendationOfCisV160InOrderPlusTheDevicemapperCheckOfV180() {
        List<String> ids = HostAuditor.catalogue().stream().map(CheckInfo::id).toList();
        assertThat(CIS_V160).hasSize(117);
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        assertThat(ids.stream().filter(i -> !i.equals(Catalogue.DEVICEMAPPER)).toList()).isEqualTo(CIS_V160);
        assertThat(ids).contains(Catalogue.DEVICEMAPPER);
    }

    @Test
    void entriesAreComplete() {
        for (CheckInfo i : HostAuditor.catalogue()) {
            assertThat(i.title()).as(i.id()).isNotBlank();
            assertThat(i.section()).as(i.id()).isBetween(1, 7);
            assertThat(i.level()).as(i.id()).isBetween(1, 2);
            assertThat(i.subjects()).as(i.id()).isNotBlank();
            if (!i.id().equals(Catalogue.DEVICEMAPPER)) {
                assertThat(i.id()).as(i.id()).startsWith(i.section() + ".");
                assertThat(i.reference()).isEqualTo("CIS Docker Benchmark v1.6.0 " + i.id());
            }
        }
        long automated = HostAuditor.catalogue().stream().filter(CheckInfo::automated).count();
        assertThat(automated).isGreaterThanOrEqualTo(90);
    }

    @Test
    void selectors() {
        assertThat(HostAuditor.selected("5.5", java.util.Set.of("5"))).isTrue();
        assertThat(HostAuditor.selected("5.15", java.util.Set.of("5.1"))).isFalse();
        assertThat(HostAuditor.selected("1.1.3", java.util.Set.of("1.1"))).isTrue();
        assertThat(HostAuditor.selected("1.2.1", java.util.Set.of("1.1"))).isFalse();
    }
}
