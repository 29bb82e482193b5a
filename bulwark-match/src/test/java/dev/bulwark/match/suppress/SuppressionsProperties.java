package dev.bulwark.match.suppress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.model.Finding;
import dev.bulwark.model.Package;
import dev.bulwark.model.Suppression;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import static dev.bulwark.match.suppress.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** What must hold for any findings and any suppression documents. */
class SuppressionsProperties {
    static final LocalDate TODAY = LocalDate.of(2024, 6, 1);
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> IDS = List.of("CVE-2024-0727", "CVE-2021-38561", "GO-2021-0113", "GHSA-ppp9-7jff-5vj2",
            "CVE-2023-5678", "CVE-2024-2511", "CVE-2022-42003", "cve-2022-42003");
    static final List<String> UNRELATED_IDS = List.of("CVE-1999-0001", "CVE-1999-0002", "GHSA-xxxx-xxxx-xxxx", "GO-1999-0001");
    static final List<Package> PACKAGES = List.of(LIBSSL3, OPENSSL, ZLIB, X_TEXT, X_TEXT_FIXED, PAYMENTS_API, JACKSON,
            JACKSON_NEWER, SNAKEYAML, SETUPTOOLS, SETUPTOOLS_VENV);
    static final List<String> PURLS = List.of("pkg:deb/debian/libssl3", "pkg:deb/debian/libssl3@3.0.11-1~deb12u2",
            "pkg:deb/debian/libssl3@3.0.9-1", "pkg:deb/debian/openssl", "pkg:golang/golang.org/x/text@v0.3.6",
            "pkg:golang/golang.org/x/text", "pkg:golang/registry.example.com/shop/payments-api",
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.2.2", "pkg:pypi/setuptools",
            "pkg:oci/payments-api", "pkg:oci/payments-api@" + MANIFEST, "pkg:oci/orders-api",
            "pkg:oci/payments-api?repository_url=registry.example.com/shop/payments-api");
    static final List<String> GLOBS = List.of("usr/local/**", "**/METADATA", "/opt/**", "var/lib/dpkg/status", "app/lib/*.jar");
    static final List<String> TIMES = List.of("2024-01-01T00:00:00Z", "2024-03-01T12:00:00+01:00", "2024-05-01T00:00:00Z");
    static final ScanTarget TARGET = ScanTarget.of(image(), PACKAGES);

    // ---- generators ----

    @Provide
    Arbitrary<List<Finding>> findings() {
        Arbitrary<Finding> f = Combinators.combine(Arbitraries.of(IDS), Arbitraries.of(IDS).list().ofMaxSize(2),
                Arbitraries.of(PACKAGES)).as((id, aliases, pkg) -> finding(id, pkg, aliases.toArray(String[]::new)));
        return f.list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Suppressions.Source>> documents() {
        return documentsNaming(IDS);
    }

    @Provide
    Arbitrary<List<Suppressions.Source>> unrelatedDocuments() {
        return documentsNaming(UNRELATED_IDS);
    }

    static Arbitrary<List<Suppressions.Source>> documentsNaming(List<String> ids) {
        Arbitrary<Suppressions.Source> doc = Arbitraries.oneOf(ignoreText(ids), ignoreYaml(ids), openVex(ids), cycloneDx(ids));
        return doc.list().ofMaxSize(4);
    }

    static Arbitrary<Suppressions.Source> ignoreText(List<String> ids) {
        Arbitrary<String> line = Combinators.combine(Arbitraries.of(ids),
                        Arbitraries.of("", "", " exp:2024-01-01", " exp:2099-01-01", "  # a reason"))
                .as(String::concat);
        return line.list().ofMaxSize(5).map(ls -> source("ignore.txt", "# generated\n" + String.join("\n", ls) + "\n"));
    }

    static Arbitrary<Suppressions.Source> ignoreYaml(List<String> ids) {
        Arbitrary<String> entry = Combinators.combine(Arbitraries.of(ids),
                        Arbitraries.of(PURLS).list().ofMaxSize(2), Arbitraries.of(GLOBS).list().ofMaxSize(2),
                        Arbitraries.of("", "2024-01-01", "2099-01-01"))
                .as((id, purls, paths, exp) -> "  - id: " + id + "\n"
                        + (purls.isEmpty() ? "" : "    purls: " + quoted(purls) + "\n")
                        + (paths.isEmpty() ? "" : "    paths: " + quoted(paths) + "\n")
                        + (exp.isEmpty() ? "" : "    expired_at: " + exp + "\n")
                        + "    statement: generated\n");
        return entry.list().ofMaxSize(4).map(es -> source("ignore.yaml", "vulnerabilities:\n" + String.join("", es)));
    }

    static Arbitrary<Suppressions.Source> openVex(List<String> ids) {
        Arbitrary<ObjectNode> statement = Combinators.combine(Arbitraries.of(ids), Arbitraries.of(ids).list().ofMaxSize(2),
                Arbitraries.of(PURLS), Arbitraries.of(PURLS).list().ofMaxSize(2),
                Arbitraries.of("not_affected", "fixed", "affected", "under_investigation"), Arbitraries.of(TIMES)
        ).as((name, aliases, product, subs, status, time) -> {
            ObjectNode s = JSON.createObjectNode();
            ObjectNode v = s.putObject("vulnerability");
            v.put("name", name);
            aliases.forEach(v.putArray("aliases")::add);
            ObjectNode p = s.putArray("products").addObject();
            p.put("@id", product);
            if (!subs.isEmpty()) {
                ArrayNode sc = p.putArray("subcomponents");
                subs.forEach(x -> sc.addObject().put("@id", x));
            }
            s.put("status", status);
            if (status.equals("not_affected")) s.put("justification", "vulnerable_code_not_present");
            if (status.equals("affected")) s.put("action_statement", "upgrade");
            s.put("timestamp", time);
            return s;
        });
        return statement.list().ofMaxSize(5).map(sts -> {
            ObjectNode d = JSON.createObjectNode();
            d.put("@context", "https://openvex.dev/ns/v0.2.0");
            d.put("@id", "https://vex.example.com/generated");
            d.put("author", "generator");
            d.put("timestamp", "2024-02-01T00:00:00Z");
            d.put("version", 1);
            sts.forEach(d.putArray("statements")::add);
            return source("openvex.json", d.toString());
        });
    }

    static Arbitrary<Suppressions.Source> cycloneDx(List<String> ids) {
        Arbitrary<ObjectNode> vuln = Combinators.combine(Arbitraries.of(ids), Arbitraries.of(ids).list().ofMaxSize(1),
                Arbitraries.of("not_affected", "false_positive", "resolved", "resolved_with_pedigree", "exploitable", "in_triage"),
                Arbitraries.of(PURLS).list().ofMinSize(1).ofMaxSize(2), Arbitraries.of(TIMES)
        ).as((id, refs, state, affects, time) -> {
            ObjectNode v = JSON.createObjectNode();
            v.put("id", id);
            refs.forEach(r -> v.withArray("references").addObject().put("id", r));
            ObjectNode a = v.putObject("analysis");
            a.put("state", state);
            a.put("lastUpdated", time);
            affects.forEach(r -> v.withArray("affects").addObject().put("ref", r));
            return v;
        });
        return vuln.list().ofMaxSize(5).map(vs -> {
            ObjectNode d = JSON.createObjectNode();
            d.put("bomFormat", "CycloneDX");
            d.put("specVersion", "1.6");
            d.put("version", 1);
            vs.forEach(d.putArray("vulnerabilities")::add);
            return source("vex.cdx.json", d.toString());
        });
    }

    static String quoted(List<String> xs) {
        return xs.stream().map(x -> "\"" + x + "\"").toList().toString();
    }

    static Suppressions.Source source(String name, String text) {
        return new Suppressions.Source(name, text.getBytes(StandardCharsets.UTF_8));
    }

    static Suppressions load(List<Suppressions.Source> docs) {
        List<Suppressions.Source> ignore = new ArrayList<>();
        List<Suppressions.Source> vex = new ArrayList<>();
        for (Suppressions.Source s : docs) (s.name().startsWith("ignore") ? ignore : vex).add(s);
        try {
            return Suppressions.parse(ignore, vex, TODAY);
        } catch (SuppressionException e) {
            throw new AssertionError("a generated document was refused: " + e.oneLine(), e);
        }
    }

    // ---- properties ----

    @Property(tries = 300)
    void neverInventsOrLosesFindings(@ForAll("findings") List<Finding> findings, @ForAll("documents") List<Suppressions.Source> docs) {
        for (ScanTarget target : java.util.Arrays.asList(null, TARGET)) {
            Suppressions.Result r = load(docs).apply(findings, target);
            List<Finding> suppressed = r.suppressed().stream().map(Suppression::finding).toList();
            Set<Finding> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Finding f : r.kept()) assertThat(seen.add(f)).as("kept twice").isTrue();
            for (Finding f : suppressed) assertThat(seen.add(f)).as("kept and suppressed, or suppressed twice").isTrue();
            assertThat(r.kept().size() + suppressed.size()).isEqualTo(findings.size());
            Set<Finding> input = Collections.newSetFromMap(new IdentityHashMap<>());
            input.addAll(findings);
            assertThat(input).containsAll(seen);
            assertThat(r.kept()).isEqualTo(findings.stream().filter(f -> !suppressedContains(suppressed, f)).toList());
            assertThat(suppressed).isEqualTo(findings.stream().filter(f -> suppressedContains(suppressed, f)).toList());
            if (target != null) Statistics.collect(suppressed.isEmpty() ? "nothing suppressed" : "something suppressed");
        }
        // the generators must reach the interesting cases, or the property says little
        Statistics.coverage(c -> c.check("something suppressed").percentage(p -> p > 20));
    }

    private static boolean suppressedContains(List<Finding> suppressed, Finding f) {
        return suppressed.stream().anyMatch(s -> s == f);
    }

    @Property(tries = 300)
    void documentsNamingNoFindingSuppressNothing(@ForAll("findings") List<Finding> findings,
                                                 @ForAll("unrelatedDocuments") List<Suppressions.Source> docs) {
        Suppressions.Result r = load(docs).apply(findings, TARGET);
        assertThat(r.suppressed()).isEmpty();
        assertThat(r.kept()).isEqualTo(findings);
    }

    @Property(tries = 300)
    void everySuppressionNamesItsFindingAndItsSource(@ForAll("findings") List<Finding> findings,
                                                     @ForAll("documents") List<Suppressions.Source> docs) {
        for (Suppression s : load(docs).apply(findings, TARGET).suppressed()) {
            assertThat(s.by()).isIn("ignorefile", "openvex", "cyclonedx-vex");
            assertThat(docs).anySatisfy(d -> assertThat(s.where()).startsWith(d.name()));
        }
    }

    @Property(tries = 300)
    void theDecisionForAFindingDependsOnlyOnThatFinding(@ForAll("findings") List<Finding> findings,
                                                        @ForAll("documents") List<Suppressions.Source> docs) {
        Suppressions s = load(docs);
        List<Finding> kept = s.apply(findings, TARGET).kept();
        for (Finding f : findings) {
            boolean alone = s.apply(List.of(f), TARGET).kept().isEmpty();
            assertThat(kept.stream().noneMatch(k -> k == f)).isEqualTo(alone);
        }
        assertThat(s.apply(kept, TARGET).kept()).as("applying twice changes nothing").isEqualTo(kept);
    }

    @Property(tries = 200)
    void moreIgnoreEntriesNeverBringFindingsBack(@ForAll("findings") List<Finding> findings,
                                                 @ForAll("documents") List<Suppressions.Source> docs) {
        List<Suppressions.Source> more = new ArrayList<>(docs);
        more.add(source("ignore-extra.txt", String.join("\n", IDS.subList(0, 3))));
        List<Finding> before = load(docs).apply(findings, TARGET).kept();
        List<Finding> after = load(more).apply(findings, TARGET).kept();
        assertThat(before).containsAll(after);
    }

    @Property(tries = 500)
    void arbitraryTextIsReadOrRefusedCleanly(@ForAll String text) {
        for (String name : List.of("ignore", "vex")) {
            Suppressions.Source s = source(name, text);
            try {
                Suppressions.parse(name.equals("ignore") ? List.of(s) : List.of(), name.equals("vex") ? List.of(s) : List.of(), TODAY);
            } catch (SuppressionException e) {
                assertThat(e.oneLine()).doesNotContain("\n");
            }
        }
    }

    @Provide
    Arbitrary<String> fixtureNames() {
        return Arbitraries.of("payments-api.openvex.json", "payments-api.vex.cdx.json", "trivyignore", "trivyignore.yaml");
    }

    @Property(tries = 300)
    void damagedFixturesAreReadOrRefusedCleanly(@ForAll("fixtureNames") String name, @ForAll double cut,
                                                @ForAll char replacement, @ForAll boolean truncate) {
        String full = fixture(name);
        int at = (int) (Math.abs(cut) % 1.0 * full.length());
        String damaged = truncate ? full.substring(0, at)
                : full.substring(0, at) + replacement + full.substring(Math.min(full.length(), at + 1));
        Suppressions.Source s = source(name, damaged);
        boolean vex = name.endsWith(".json");
        try {
            Suppressions r = Suppressions.parse(vex ? List.of() : List.of(s), vex ? List.of(s) : List.of(), TODAY);
            r.apply(List.of(finding("CVE-2024-0727", LIBSSL3)), TARGET);
        } catch (SuppressionException e) {
            assertThat(e.oneLine()).startsWith(name).doesNotContain("\n");
        }
    }

    private static String fixture(String name) {
        try {
            return Files.readString(resource(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Property(tries = 1000)
    void purlParsingReturnsOrRejects(@ForAll String s) {
        try {
            Purl p = Purl.parse("pkg:" + s);
            assertThat(p.matches(p)).isTrue();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 300)
    void aVersionlessPurlMatchesEveryVersion(@ForAll("packages") Package pkg) {
        Purl p = Purl.parse(pkg.purl());
        Purl versionless = new Purl(p.type(), p.namespace(), p.name(), "", java.util.Map.of());
        assertThat(versionless.matches(p)).isTrue();
        assertThat(p.matches(versionless)).as("a versioned pattern does not match an unversioned package").isFalse();
    }

    @Provide
    Arbitrary<Package> packages() {
        return Arbitraries.of(PACKAGES);
    }
}
