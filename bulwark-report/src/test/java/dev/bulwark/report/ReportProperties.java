package dev.bulwark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.packageurl.PackageURLBuilder;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.SourcePackage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever an image says about its packages, the SBOMs stay valid and the table stays inside the terminal. */
class ReportProperties {
    private static final Set<String> SPDX_IDS = spdxIds();
    private static final List<String> SOME_IDS = List.of("MIT", "Apache-2.0", "GPL-2.0-only", "GPL-2.0+", "BSD-3-Clause",
            "LGPL-2.1-or-later", "Classpath-exception-2.0", "ISC", "MPL-2.0", "0BSD");

    @Property(tries = 150)
    void cycloneDxIsAlwaysSchemaValid(@ForAll("inventories") Inventory inv) {
        JsonNode bom = Schemas.tree(Schemas.render(inv, ReportFormat.CYCLONEDX, Fixtures.options()));
        assertThat(Schemas.validate(Schemas.CYCLONEDX_1_6, bom)).isEmpty();
        List<String> refs = new ArrayList<>();
        bom.path("components").forEach(c -> refs.add(c.path("bom-ref").asText()));
        refs.add(bom.at("/metadata/component/bom-ref").asText());
        assertThat(refs).doesNotHaveDuplicates();
        bom.path("components").forEach(c -> c.path("licenses").forEach(l -> {
            if (l.has("expression")) assertThat(isSpdxExpression(l.path("expression").asText())).as(l.toString()).isTrue();
        }));
    }

    @Property(tries = 150)
    void spdxIsAlwaysSchemaValidWithUniqueIdsAndDefinedLicenseRefs(@ForAll("inventories") Inventory inv) {
        JsonNode doc = Schemas.tree(Schemas.render(inv, ReportFormat.SPDX, Fixtures.options()));
        assertThat(Schemas.validate(Schemas.SPDX_2_3, doc)).isEmpty();
        List<String> ids = new ArrayList<>();
        Set<String> used = new HashSet<>();
        doc.path("packages").forEach(p -> {
            ids.add(p.path("SPDXID").asText());
            String declared = p.path("licenseDeclared").asText();
            assertThat(declared.equals("NOASSERTION") || isSpdxExpression(declared)).as(declared).isTrue();
            used.addAll(SpdxLicenses.licenseRefs(declared));
        });
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("SPDXRef-[A-Za-z0-9.-]+"));
        assertThat(ids).hasSize(inv.packages().size() + 1 + (inv.os() == null ? 0 : 1));
        Set<String> defined = new HashSet<>();
        doc.path("hasExtractedLicensingInfos").forEach(e -> defined.add(e.path("licenseId").asText()));
        assertThat(defined).isEqualTo(used);
        assertThat(doc.path("relationships")).hasSize(ids.size());
    }

    @Property(tries = 150)
    void tableLinesFitTheTerminal(@ForAll("inventories") Inventory inv, @ForAll @IntRange(min = 20, max = 160) int width) {
        String table = Schemas.render(inv, ReportFormat.TABLE, Fixtures.options().withWidth(width));
        assertThat(table.lines()).allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).as(l).isLessThanOrEqualTo(width));
        assertThat(table.chars().filter(c -> c < 0x20 && c != '\n')).isEmpty();
    }

    @Property(tries = 150)
    void jsonRoundTrips(@ForAll("wellFormedInventories") Inventory inv) throws Exception {
        String json = Schemas.render(inv, ReportFormat.JSON, Fixtures.options());
        assertThat(Reports.readInventoryJson(new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .isEqualTo(inv);
    }

    @Provide
    Arbitrary<Inventory> inventories() {
        return inventories(Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(30), realisticNames()));
    }

    /** Strings a UTF-8 decoder can produce (no unpaired surrogates): those survive JSON unchanged. */
    @Provide
    Arbitrary<Inventory> wellFormedInventories() {
        return inventories(Arbitraries.oneOf(Arbitraries.strings().withCharRange('\u0000', '\ud7ff')
                .withCharRange('\ue000', '\uffff').ofMaxLength(30), realisticNames()));
    }

    private Arbitrary<Inventory> inventories(Arbitrary<String> text) {
        Arbitrary<Package> pkg = Combinators.combine(Arbitraries.of(PackageType.class), text, versions(text),
                licences(text).list().ofMaxSize(4), text.injectNull(0.6), Arbitraries.integers().between(0, 2),
                text.list().ofMaxSize(2), Arbitraries.maps(text, text).ofMaxSize(2)).as(
                (type, name, version, licences, source, purlKind, paths, props) -> new Package(type, name, version,
                        purl(purlKind, type, name, version), source == null ? null : new SourcePackage(source, version + "s"),
                        licences, Fixtures.BASE_LAYER, paths, props));
        return Combinators.combine(pkg.list().ofMaxSize(8), Arbitraries.of(true, false), text.list().ofMaxSize(2), Arbitraries.of(true, false))
                .as((packages, withImage, warnings, duplicate) -> {
                    Inventory base = withImage ? Fixtures.debianApp() : Fixtures.rootfs();
                    List<Package> all = new ArrayList<>(packages);
                    if (duplicate && !all.isEmpty()) all.add(all.get(0)); // the same package twice still gets distinct ids
                    return new Inventory(base.image(), base.os(), all, warnings, base.scannedAt(), base.tool());
                });
    }

    private static Arbitrary<String> realisticNames() {
        return Arbitraries.of("libssl3", "@babel/core", "org.apache.commons:commons-lang3", "golang.org/x/net", "", " ",
                "a_b", "a-b", "a.b", "ünïcødé", "名前", "\ud83d\ude00");
    }

    private static Arbitrary<String> versions(Arbitrary<String> text) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, text),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().alpha().ofMinLength(1020).ofMaxLength(1100)));
    }

    private static Arbitrary<String> licences(Arbitrary<String> text) {
        Arbitrary<String> id = Arbitraries.of(SOME_IDS);
        Arbitrary<String> lower = id.map(String::toLowerCase);
        Arbitrary<String> expr = Combinators.combine(id, id, Arbitraries.of(" OR ", " AND ", " or ", " WITH "))
                .as((a, b, op) -> "(" + a + op + b + ")");
        Arbitrary<String> ref = Arbitraries.strings().withChars("abcXYZ019.-").ofMinLength(1).ofMaxLength(8).map(s -> "LicenseRef-" + s);
        return Arbitraries.oneOf(id, lower, expr, ref, text, Arbitraries.of("GPL-2+ with exception", "GPL 2", "GPL_2", "Public Domain"));
    }

    /** 0: none, 1: a valid purl where the builder accepts the name, 2: garbage the writers must drop. */
    private static String purl(int kind, PackageType type, String name, String version) {
        if (kind == 0) return null;
        if (kind == 2) return "not a purl " + name;
        try {
            return PackageURLBuilder.aPackageURL().withType(type.purlType()).withName(name)
                    .withVersion(version.isEmpty() ? null : version).build().canonicalize();
        } catch (Exception e) {
            return null;
        }
    }

    /** An independent check of SPDX expression syntax: balanced parentheses, listed ids, LicenseRefs, operators. */
    static boolean isSpdxExpression(String s) {
        Deque<Character> parens = new ArrayDeque<>();
        boolean expectTerm = true;
        for (String token : s.replace("(", " ( ").replace(")", " ) ").trim().split(" +")) {
            switch (token) {
                case "(" -> {
                    if (!expectTerm) return false;
                    parens.push('(');
                }
                case ")" -> {
                    if (expectTerm || parens.isEmpty()) return false;
                    parens.pop();
                }
                case "AND", "OR", "WITH" -> {
                    if (expectTerm) return false;
                    expectTerm = true;
                }
                default -> {
                    if (!expectTerm) return false;
                    boolean listed = SPDX_IDS.contains(token) || (token.endsWith("+") && SPDX_IDS.contains(token.substring(0, token.length() - 1)));
                    if (!listed && !token.matches("LicenseRef-[A-Za-z0-9.-]+")) return false;
                    expectTerm = false;
                }
            }
        }
        return !expectTerm && parens.isEmpty();
    }

    private static Set<String> spdxIds() {
        // cyclonedx-core-java's copy at the classpath root, not the one bulwark-report unpacks: checked independently
        try (InputStream in = ReportProperties.class.getResourceAsStream("/spdx.schema.json")) {
            Set<String> ids = new HashSet<>();
            Schemas.MAPPER.readTree(in).path("enum").forEach(n -> ids.add(n.asText()));
            assertThat(ids).hasSizeGreaterThan(500);
            return Set.copyOf(ids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
