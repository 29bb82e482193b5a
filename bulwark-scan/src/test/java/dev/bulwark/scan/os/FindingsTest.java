package dev.bulwark.scan.os;

import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.scan.analyzer.FileResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FindingsTest {
    @Test
    void everythingIsCapped() {
        Findings f = new Findings("test", "/db");
        Package p = new Package(PackageType.DEB, "x", "1", null, null, null, null, null, null);
        for (int i = 0; i <= Findings.MAX_PACKAGES + 10; i++) f.add(p);
        f.own("a", Collections.nCopies(Findings.MAX_OWNED_FILES - 5, "/f"));
        f.own("b", Collections.nCopies(10, "/g"));
        f.own("c", List.of("/h"));
        for (int i = 0; i < 1000; i++) f.warn("problem " + i);
        FileResult r = f.toResult();
        assertThat(r.packages()).hasSize(Findings.MAX_PACKAGES);
        assertThat(r.ownedFiles().get("b")).hasSize(5);
        assertThat(r.ownedFiles()).doesNotContainKey("c");
        assertThat(r.warnings()).hasSize(Findings.MAX_WARNINGS + 1)
                .contains("/db: more than " + Findings.MAX_PACKAGES + " packages; the rest are left out")
                .contains("/db: more than " + Findings.MAX_OWNED_FILES + " owned files; the rest are left out");
        assertThat(r.warnings().get(Findings.MAX_WARNINGS)).endsWith("more problems not listed");
    }

    @Test
    void ownedFilesOfOnePackageAddUp() {
        Findings f = new Findings("test", "/db");
        f.own("a", List.of("/1"));
        f.own("a", new ArrayList<>(List.of("/2", "/3")));
        f.own("b", List.of());
        assertThat(f.toResult().ownedFiles()).containsOnlyKeys("a");
        assertThat(f.toResult().ownedFiles().get("a")).containsExactly("/1", "/2", "/3");
    }
}
