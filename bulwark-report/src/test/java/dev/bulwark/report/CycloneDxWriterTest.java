package dev.bulwark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.model.Inventory;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.bulwark.report.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

class CycloneDxWriterTest {
    private final String json = Schemas.render(Fixtures.debianApp(), ReportFormat.CYCLONEDX, options());
    private final JsonNode bom = Schemas.tree(json);

    @Test
    void isValidAgainstTheOfficialSchema() {
        assertThat(Schemas.validate(Schemas.CYCLONEDX_1_6, bom)).isEmpty();
        assertThat(Schemas.validate(Schemas.CYCLONEDX_1_6, Schemas.tree(Schemas.render(Fixtures.rootfs(), ReportFormat.CYCLONEDX, options()))))
                .isEmpty();
    }

    @Test
    void theSchemaCheckRejectsWhatItShould() {
        // guards the test above: an id outside the SPDX list and a missing component name must both be caught
        ObjectNode broken = bom.deepCopy();
        ((ObjectNode) broken.at("/components/1/licenses/0/license")).put("id", "GPL-2+ with exception");
        assertThat(Schemas.validate(Schemas.CYCLONEDX_1_6, broken)).isNotEmpty();
        ObjectNode nameless = bom.deepCopy();
        ((ObjectNode) nameless.at("/components/1")).remove("name");
        assertThat(Schemas.validate(Schemas.CYCLONEDX_1_6, nameless)).isNotEmpty();
        ObjectNode badSerial = bom.deepCopy();
        badSerial.put("serialNumber", "urn:uuid:not-a-uuid");
        assertThat(Schemas.validate(Schemas.CYCLONEDX_1_6, badSerial)).isNotEmpty();
    }

    @Test
    void describesTheImageAsAContainerWithAnOciPurl() {
        assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.path("specVersion").asText()).isEqualTo("1.6");
        assertThat(bom.path("version").asInt()).isEqualTo(1);
        assertThat(bom.at("/metadata/timestamp").asText()).isEqualTo("2024-05-02T09:16:00Z");
        JsonNode image = bom.at("/metadata/component");
        assertThat(image.path("type").asText()).isEqualTo("container");
        assertThat(image.path("name").asText()).isEqualTo("localhost:5000/team/app");
        assertThat(image.path("version").asText()).isEqualTo(Fixtures.MANIFEST.toString());
        assertThat(image.path("purl").asText()).isEqualTo("pkg:oci/app@sha256%3A" + Fixtures.MANIFEST.hex()
                + "?arch=amd64&repository_url=localhost%3A5000%2Fteam%2Fapp&tag=1.0");
        assertThat(properties(image, "bulwark:image:layer:diffID"))
                .containsExactly(Fixtures.BASE_LAYER.toString(), Fixtures.APP_LAYER.toString());
        JsonNode tool = bom.at("/metadata/tools/components/0");
        assertThat(tool.path("name").asText()).isEqualTo("bulwark");
        assertThat(tool.path("version").asText()).isEqualTo("1.2.3");
    }

    @Test
    void serialNumberIsStableForTheSameDocumentAndChangesWithTheScan() {
        String serial = bom.path("serialNumber").asText();
        assertThat(serial).matches("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(Schemas.render(Fixtures.debianApp(), ReportFormat.CYCLONEDX, options())).isEqualTo(json);
        Inventory later = Fixtures.debianApp();
        later = new Inventory(later.image(), later.os(), later.packages(), later.warnings(), Instant.parse("2024-06-01T00:00:00Z"), later.tool());
        assertThat(Schemas.tree(Schemas.render(later, ReportFormat.CYCLONEDX, options())).path("serialNumber").asText()).isNotEqualTo(serial);
        String otherTime = Schemas.render(Fixtures.debianApp(), ReportFormat.CYCLONEDX, options().withCreated(Instant.parse("2025-01-01T00:00:00Z")));
        assertThat(Schemas.tree(otherTime).path("serialNumber").asText()).isNotEqualTo(serial);
    }

    @Test
    void theOperatingSystemComesFirstThenPackagesOsFirst() {
        List<String> order = new ArrayList<>();
        bom.path("components").forEach(c -> order.add(c.path("type").asText() + " " + c.path("name").asText()));
        assertThat(order).containsExactly(
                "operating-system debian",
                "library bash", "library libc6", "library libgcc-s1", "library libssl3", "library tzdata",
                "library org.apache.commons:commons-lang3",
                "library @a-rather-long-scope-name/an-extremely-long-package-name-for-truncation", "library @babel/core",
                "library cryptography");
        assertThat(bom.at("/components/0/version").asText()).isEqualTo("12");
        assertThat(bom.at("/components/0/description").asText()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
    }

    @Test
    void licencesAreIdsExpressionsOrNames() {
        assertThat(component("org.apache.commons:commons-lang3").path("licenses").toString())
                .isEqualTo("[{\"license\":{\"id\":\"Apache-2.0\",\"acknowledgement\":\"declared\"}}]");
        assertThat(component("libc6").path("licenses").toString()).isEqualTo(
                "[{\"license\":{\"id\":\"LGPL-2.1-or-later\",\"acknowledgement\":\"declared\"}},"
                        + "{\"license\":{\"id\":\"GPL-2.0-or-later\",\"acknowledgement\":\"declared\"}}]");
        assertThat(component("libgcc-s1").path("licenses").toString())
                .isEqualTo("[{\"license\":{\"name\":\"GPL-2+ with exception\",\"acknowledgement\":\"declared\"}}]");
        assertThat(component("cryptography").path("licenses").toString())
                .isEqualTo("[{\"expression\":\"Apache-2.0 OR BSD-3-Clause\",\"acknowledgement\":\"declared\"}]");
        // an expression among several licences: all joined into the one expression CycloneDX allows
        assertThat(component("@a-rather-long-scope-name/an-extremely-long-package-name-for-truncation").at("/licenses/0/expression").asText())
                .isEqualTo("(MIT OR Apache-2.0) AND BSD-3-Clause");
        assertThat(component("tzdata").has("licenses")).isFalse();
    }

    @Test
    void licenceChoiceMixingNamesAndExpressionsUsesLicenseRefs() {
        assertThat(CycloneDxWriter.licenses(List.of("GPL-2+ with exception", "MIT OR ISC", "apache-2.0")))
                .containsExactly(new CycloneDxWriter.LicenseChoice(null,
                        "LicenseRef-GPL-2-with-exception AND (MIT OR ISC) AND Apache-2.0", "declared"));
        assertThat(CycloneDxWriter.licenses(List.of(" ", "MIT", "mit")))
                .containsExactly(new CycloneDxWriter.LicenseChoice(new CycloneDxWriter.License("MIT", null, "declared"), null, null));
    }

    @Test
    void packagesCarryPurlLayerSourceAndPaths() {
        JsonNode ssl = component("libssl3");
        assertThat(ssl.path("purl").asText()).startsWith("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?");
        assertThat(ssl.path("bom-ref").asText()).isEqualTo(ssl.path("purl").asText());
        assertThat(properties(ssl, "bulwark:layer:diffID")).containsExactly(Fixtures.BASE_LAYER.toString());
        assertThat(properties(ssl, "bulwark:source:name")).containsExactly("openssl");
        assertThat(properties(ssl, "bulwark:source:version")).containsExactly("3.0.11-1~deb12u2");
        assertThat(properties(ssl, "bulwark:path")).containsExactly("/var/lib/dpkg/status");
        assertThat(properties(ssl, "bulwark:meta:architecture")).containsExactly("amd64");
        assertThat(component("@babel/core").path("purl").asText()).isEqualTo("pkg:npm/%40babel/core@7.24.5");
    }

    @Test
    void bomRefsAreUniqueAndTheImageDependsOnEveryComponent() {
        Set<String> refs = new HashSet<>();
        List<String> all = new ArrayList<>();
        bom.path("components").forEach(c -> all.add(c.path("bom-ref").asText()));
        refs.addAll(all);
        assertThat(refs).hasSameSizeAs(all).doesNotContain(bom.at("/metadata/component/bom-ref").asText());
        JsonNode deps = bom.path("dependencies");
        assertThat(deps).hasSize(1);
        assertThat(deps.at("/0/ref").asText()).isEqualTo(bom.at("/metadata/component/bom-ref").asText());
        List<String> dependsOn = new ArrayList<>();
        deps.at("/0/dependsOn").forEach(d -> dependsOn.add(d.asText()));
        assertThat(dependsOn).containsExactlyElementsOf(all);
    }

    @Test
    void theSamePurlTwiceGetsTwoBomRefs() {
        Inventory inv = Fixtures.debianApp();
        var jar = inv.packages().stream().filter(p -> p.name().endsWith("commons-lang3")).findFirst().orElseThrow();
        List<dev.bulwark.model.Package> twice = new ArrayList<>(inv.packages());
        twice.add(jar.withPaths(List.of("/opt/other/commons-lang3-3.14.0.jar")));
        JsonNode doc = Schemas.tree(Schemas.render(new Inventory(inv.image(), inv.os(), twice, List.of(), inv.scannedAt(), "bulwark"),
                ReportFormat.CYCLONEDX, options()));
        assertThat(Schemas.validate(Schemas.CYCLONEDX_1_6, doc)).isEmpty();
        List<String> refs = new ArrayList<>();
        doc.path("components").forEach(c -> {
            if (c.path("name").asText().endsWith("commons-lang3")) refs.add(c.path("bom-ref").asText());
        });
        assertThat(refs).containsExactly("pkg:maven/org.apache.commons/commons-lang3@3.14.0",
                "pkg:maven/org.apache.commons/commons-lang3@3.14.0#2");
    }

    @Test
    void aRootFilesystemHasNoDigestAndNoPurl() {
        JsonNode doc = Schemas.tree(Schemas.render(Fixtures.rootfs(), ReportFormat.CYCLONEDX, options()));
        JsonNode image = doc.at("/metadata/component");
        assertThat(image.path("name").asText()).isEqualTo("rootfs:/srv/chroot");
        assertThat(image.has("version")).isFalse();
        assertThat(image.has("purl")).isFalse();
        assertThat(doc.path("components")).hasSize(1);
    }

    private JsonNode component(String name) {
        for (JsonNode c : bom.path("components")) {
            if (c.path("name").asText().equals(name)) return c;
        }
        throw new AssertionError("no component " + name);
    }

    static List<String> properties(JsonNode component, String name) {
        List<String> values = new ArrayList<>();
        component.path("properties").forEach(p -> {
            if (p.path("name").asText().equals(name)) values.add(p.path("value").asText());
        });
        return values;
    }
}
