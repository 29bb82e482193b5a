package dev.bulwark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.bulwark.report.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

class SpdxWriterTest {
    private final String json = Schemas.render(Fixtures.debianApp(), ReportFormat.SPDX, options());
    private final JsonNode doc = Schemas.tree(json);

    @Test
    void isValidAgainstTheOfficialSchema() {
        assertThat(Schemas.validate(Schemas.SPDX_2_3, doc)).isEmpty();
        assertThat(Schemas.validate(Schemas.SPDX_2_3, Schemas.tree(Schemas.render(Fixtures.rootfs(), ReportFormat.SPDX, options()))))
                .isEmpty();
    }

    @Test
    void theSchemaCheckRejectsWhatItShould() {
        ObjectNode broken = doc.deepCopy();
        broken.remove("documentNamespace");
        assertThat(Schemas.validate(Schemas.SPDX_2_3, broken)).isNotEmpty();
        ObjectNode badPurpose = doc.deepCopy();
        ((ObjectNode) badPurpose.at("/packages/0")).put("primaryPackagePurpose", "OPERATING-SYSTEM");
        assertThat(Schemas.validate(Schemas.SPDX_2_3, badPurpose)).isNotEmpty();
    }

    @Test
    void documentHeader() {
        assertThat(doc.path("spdxVersion").asText()).isEqualTo("SPDX-2.3");
        assertThat(doc.path("dataLicense").asText()).isEqualTo("CC0-1.0");
        assertThat(doc.path("SPDXID").asText()).isEqualTo("SPDXRef-DOCUMENT");
        assertThat(doc.path("name").asText()).isEqualTo("localhost:5000/team/app:1.0");
        assertThat(doc.at("/creationInfo/created").asText()).isEqualTo("2024-05-02T09:16:00Z");
        assertThat(doc.at("/creationInfo/creators").toString()).isEqualTo("[\"Tool: bulwark-1.2.3\"]");
        String ns = doc.path("documentNamespace").asText();
        assertThat(ns).startsWith("https://bulwark.dev/spdxdocs/localhost-5000-team-app-").doesNotContain("#");
        assertThat(URI.create(ns).isAbsolute()).isTrue();
        assertThat(Schemas.tree(Schemas.render(Fixtures.debianApp(), ReportFormat.SPDX,
                options().withNamespaceBase("https://sbom.example.org/docs/"))).path("documentNamespace").asText())
                .startsWith("https://sbom.example.org/docs/localhost-5000-team-app-");
    }

    @Test
    void spdxIdsAreUniqueAndWellFormed() {
        List<String> ids = new ArrayList<>();
        doc.path("packages").forEach(p -> ids.add(p.path("SPDXID").asText()));
        ids.add(doc.path("SPDXID").asText());
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("SPDXRef-[A-Za-z0-9.-]+"));
        assertThat(ids).contains("SPDXRef-Image", "SPDXRef-OperatingSystem");
        assertThat(ids).anyMatch(id -> id.matches("SPDXRef-Package-npm--babel-core-[0-9a-f]{8}"));
    }

    @Test
    void theDocumentDescribesTheImageWhichContainsEverything() {
        Set<String> ids = new HashSet<>();
        doc.path("packages").forEach(p -> ids.add(p.path("SPDXID").asText()));
        List<String> described = new ArrayList<>();
        Set<String> contained = new HashSet<>();
        for (JsonNode r : doc.path("relationships")) {
            assertThat(ids).contains(r.path("relatedSpdxElement").asText());
            switch (r.path("relationshipType").asText()) {
                case "DESCRIBES" -> {
                    assertThat(r.path("spdxElementId").asText()).isEqualTo("SPDXRef-DOCUMENT");
                    described.add(r.path("relatedSpdxElement").asText());
                }
                case "CONTAINS" -> {
                    assertThat(r.path("spdxElementId").asText()).isEqualTo("SPDXRef-Image");
                    contained.add(r.path("relatedSpdxElement").asText());
                }
                default -> throw new AssertionError("unexpected relationship " + r);
            }
        }
        assertThat(described).containsExactly("SPDXRef-Image");
        Set<String> others = new HashSet<>(ids);
        others.remove("SPDXRef-Image");
        assertThat(contained).isEqualTo(others);
        assertThat(ids).hasSize(11); // image, OS, nine packages
    }

    @Test
    void imageAndPackages() {
        JsonNode image = pkg("SPDXRef-Image");
        assertThat(image.path("name").asText()).isEqualTo("localhost:5000/team/app");
        assertThat(image.path("versionInfo").asText()).isEqualTo(Fixtures.MANIFEST.toString());
        assertThat(image.path("primaryPackagePurpose").asText()).isEqualTo("CONTAINER");
        assertThat(image.at("/externalRefs/0/referenceLocator").asText()).startsWith("pkg:oci/app@sha256%3A");
        JsonNode ssl = named("libssl3");
        assertThat(ssl.path("versionInfo").asText()).isEqualTo("3.0.11-1~deb12u2");
        assertThat(ssl.path("downloadLocation").asText()).isEqualTo("NOASSERTION");
        assertThat(ssl.path("filesAnalyzed").isBoolean()).isTrue();
        assertThat(ssl.path("filesAnalyzed").asBoolean()).isFalse();
        assertThat(ssl.path("licenseConcluded").asText()).isEqualTo("NOASSERTION");
        assertThat(ssl.path("licenseDeclared").asText()).isEqualTo("Apache-2.0");
        assertThat(ssl.path("sourceInfo").asText()).isEqualTo("built package from: openssl 3.0.11-1~deb12u2");
        assertThat(ssl.at("/externalRefs/0").toString()).isEqualTo("{\"referenceCategory\":\"PACKAGE-MANAGER\","
                + "\"referenceType\":\"purl\",\"referenceLocator\":\"" + ssl.at("/externalRefs/0/referenceLocator").asText() + "\"}");
        assertThat(ssl.has("primaryPackagePurpose")).isFalse();
        assertThat(named("@babel/core").path("primaryPackagePurpose").asText()).isEqualTo("LIBRARY");
        assertThat(named("tzdata").path("licenseDeclared").asText()).isEqualTo("NOASSERTION");
        assertThat(named("tzdata").has("sourceInfo")).isFalse();
        assertThat(named("libc6").path("licenseDeclared").asText()).isEqualTo("LGPL-2.1-or-later AND GPL-2.0-or-later");
        assertThat(named("cryptography").path("licenseDeclared").asText()).isEqualTo("Apache-2.0 OR BSD-3-Clause");
        assertThat(named("@a-rather-long-scope-name/an-extremely-long-package-name-for-truncation").path("licenseDeclared").asText())
                .isEqualTo("(MIT OR Apache-2.0) AND BSD-3-Clause");
        assertThat(pkg("SPDXRef-OperatingSystem").path("primaryPackagePurpose").asText()).isEqualTo("OPERATING_SYSTEM");
    }

    @Test
    void licenceNamesBecomeDefinedLicenseRefs() {
        assertThat(named("libgcc-s1").path("licenseDeclared").asText()).isEqualTo("LicenseRef-GPL-2-with-exception");
        JsonNode extracted = doc.path("hasExtractedLicensingInfos");
        assertThat(extracted).hasSize(1);
        assertThat(extracted.at("/0/licenseId").asText()).isEqualTo("LicenseRef-GPL-2-with-exception");
        assertThat(extracted.at("/0/extractedText").asText()).isEqualTo("GPL-2+ with exception");
        assertThat(extracted.at("/0/name").asText()).isEqualTo("GPL-2+ with exception");
    }

    @Test
    void everyLicenseRefUsedIsDefinedAndCollisionsAreSeparated() {
        var inv = Fixtures.debianApp();
        List<dev.bulwark.model.Package> pkgs = List.of(
                Fixtures.deb("a", "1", null, null, List.of("GPL 2")),
                Fixtures.deb("b", "1", null, null, List.of("GPL_2")),
                Fixtures.deb("c", "1", null, null, List.of("LicenseRef-Acme OR MIT")));
        JsonNode d = Schemas.tree(Schemas.render(new dev.bulwark.model.Inventory(inv.image(), inv.os(), pkgs, List.of(),
                inv.scannedAt(), "bulwark"), ReportFormat.SPDX, options()));
        assertThat(Schemas.validate(Schemas.SPDX_2_3, d)).isEmpty();
        Set<String> defined = new HashSet<>();
        d.path("hasExtractedLicensingInfos").forEach(e -> defined.add(e.path("licenseId").asText()));
        Set<String> used = new HashSet<>();
        d.path("packages").forEach(p -> used.addAll(SpdxLicenses.licenseRefs(p.path("licenseDeclared").asText())));
        assertThat(used).hasSize(3).isEqualTo(defined);
        assertThat(used).contains("LicenseRef-GPL-2", "LicenseRef-Acme").anyMatch(r -> r.matches("LicenseRef-GPL-2-[0-9a-f]{8}"));
    }

    @Test
    void outputIsReproducible() {
        assertThat(Schemas.render(Fixtures.debianApp(), ReportFormat.SPDX, options())).isEqualTo(json);
    }

    private JsonNode pkg(String id) {
        for (JsonNode p : doc.path("packages")) {
            if (p.path("SPDXID").asText().equals(id)) return p;
        }
        throw new AssertionError("no package " + id);
    }

    private JsonNode named(String name) {
        for (JsonNode p : doc.path("packages")) {
            if (p.path("name").asText().equals(name) && p.path("SPDXID").asText().startsWith("SPDXRef-Package-")) return p;
        }
        throw new AssertionError("no package " + name);
    }
}
