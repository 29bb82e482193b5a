package dev.bulwark.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.model.Cvss;
import dev.bulwark.model.Finding;
import dev.bulwark.model.FindingStatus;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.Severity;
import dev.bulwark.model.SourcePackage;
import dev.bulwark.model.Suppression;
import dev.bulwark.model.VulnDbInfo;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.w3c.dom.Document;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the image and the feeds say, every format stays valid, readable and inside its limits. */
class ScanReportProperties {

    @Property(tries = 200)
    void jsonRoundTrips(@ForAll("wellFormedReports") ScanReport report) throws Exception {
        String json = Schemas.render(report, ReportFormat.JSON, Fixtures.options());
        ScanReport back = Reports.readScanReportJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(back).isEqualTo(report);
        // and its inventory part is what an inventory reader reads
        assertThat(Reports.readInventoryJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(report.inventory());
    }

    @Property(tries = 100)
    void sarifIsAlwaysSchemaValid(@ForAll("reports") ScanReport report) {
        JsonNode sarif = Schemas.tree(Schemas.render(report, ReportFormat.SARIF, Fixtures.options()));
        assertThat(Schemas.validate(Schemas.SARIF_2_1_0, sarif)).isEmpty();
        int suppressed = (int) report.suppressed().stream().filter(s -> s.finding() != null).count();
        assertThat(sarif.at("/runs/0/results")).hasSize(report.findings().size() + suppressed);
        sarif.at("/runs/0/results").forEach(r -> assertThat(sarif.at("/runs/0/tool/driver/rules/" + r.path("ruleIndex").asInt() + "/id"))
                .isEqualTo(r.path("ruleId")));
    }

    @Property(tries = 100)
    void cycloneDxIsAlwaysSchemaValid(@ForAll("reports") ScanReport report) {
        JsonNode bom = Schemas.tree(Schemas.render(report, ReportFormat.CYCLONEDX, Fixtures.options()));
        assertThat(Schemas.validate(Schemas.CYCLONEDX_1_6, bom)).isEmpty();
        List<String> refs = new ArrayList<>();
        bom.path("components").forEach(c -> refs.add(c.path("bom-ref").asText()));
        bom.path("vulnerabilities").forEach(v -> v.path("affects").forEach(a -> assertThat(refs).contains(a.path("ref").asText())));
    }

    @Property(tries = 100)
    void junitParsesAndCountsAgree(@ForAll("reports") ScanReport report) {
        Document d = JUnitWriterTest.parse(Schemas.render(report, ReportFormat.JUNIT, Fixtures.options()));
        assertThat(d.getElementsByTagName("testcase").getLength())
                .isEqualTo(Integer.parseInt(d.getDocumentElement().getAttribute("tests")));
        assertThat(d.getElementsByTagName("failure").getLength())
                .isEqualTo(Integer.parseInt(d.getDocumentElement().getAttribute("failures")));
        long vulnerable = report.findings().stream().map(Finding::pkg).distinct().count();
        assertThat(d.getElementsByTagName("failure").getLength()).isEqualTo((int) vulnerable);
    }

    @Property(tries = 100)
    void htmlIsOneDocumentWithOnlyOurScript(@ForAll("reports") ScanReport report) {
        String html = Schemas.render(report, ReportFormat.HTML, Fixtures.options());
        Document d = JUnitWriterTest.parse(html);
        assertThat(HtmlWriterTest.elements(d, "script")).hasSize(1);
        assertThat(HtmlWriterTest.elements(d, "script").get(0).getTextContent()).isEqualTo(HtmlWriter.SCRIPT);
        HtmlWriterTest.elements(d, "a").forEach(a -> assertThat(a.getAttribute("href")).startsWith("http"));
    }

    @Property(tries = 100)
    void tableLinesFitTheTerminal(@ForAll("reports") ScanReport report, @ForAll @IntRange(min = 20, max = 160) int width) {
        String table = Schemas.render(report, ReportFormat.TABLE, Fixtures.options().withWidth(width));
        assertThat(table.lines()).allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).as(l).isLessThanOrEqualTo(width));
        assertThat(table.chars().filter(c -> c < 0x20 && c != '\n')).isEmpty();
    }

    @Provide
    Arbitrary<ScanReport> reports() {
        return reports(Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(20), realistic()));
    }

    /** Strings a UTF-8 decoder can produce (no unpaired surrogates): those survive JSON unchanged. */
    @Provide
    Arbitrary<ScanReport> wellFormedReports() {
        return reports(Arbitraries.oneOf(Arbitraries.strings().withCharRange('\u0000', '\ud7ff')
                .withCharRange('\ue000', '\uffff').ofMaxLength(20), realistic()));
    }

    private static Arbitrary<String> realistic() {
        return Arbitraries.of("libssl3", "golang.org/x/text", "@babel/core", "CVE-2024-0727", "GO-2021-0113",
                "GHSA-c2qf-rxjj-qqgw", "https://nvd.nist.gov/vuln/detail/CVE-2024-0727", "javascript:alert(1)",
                "<script>alert(1)</script>", "\"quoted\" & 'single'", "", " ", "名前", "\ud83d\ude00", "a:b/c d",
                "vulnerable_code_not_present", "/var/lib/dpkg/status");
    }

    private Arbitrary<ScanReport> reports(Arbitrary<String> text) {
        Arbitrary<Package> pkg = Combinators.combine(Arbitraries.of(PackageType.class), text, text, text.injectNull(0.5),
                text.injectNull(0.7), text.list().ofMaxSize(2), Arbitraries.of(true, false)).as(
                (type, name, version, purl, source, paths, layered) -> new Package(type, name, version, purl,
                        source == null ? null : new SourcePackage(source, version), List.of(),
                        layered ? Fixtures.APP_LAYER : null, paths, java.util.Map.of()));
        Arbitrary<Cvss> cvss = Combinators.combine(Arbitraries.of("2.0", "3.0", "3.1", "4.0", "x").injectNull(0.2),
                text.injectNull(0.3), Arbitraries.oneOf(Arbitraries.doubles().between(0, 10).ofScale(1), Arbitraries.just(Double.NaN)),
                text.injectNull(0.3)).as(Cvss::new);
        Arbitrary<Double> epss = Arbitraries.oneOf(Arbitraries.doubles().between(0, 1), Arbitraries.just(Double.NaN));
        return pkg.list().ofMinSize(1).ofMaxSize(5).flatMap(packages -> {
            Arbitrary<Finding> finding = Combinators.combine(text, text.list().ofMaxSize(2), Arbitraries.of(packages),
                    text.list().ofMaxSize(2), Arbitraries.of(FindingStatus.class), Arbitraries.of(Severity.class),
                    cvss.injectNull(0.3), Combinators.combine(Arbitraries.of(true, false), epss, text,
                            text.list().ofMaxSize(2), text.list().ofMaxSize(3)).as(Extra::new)).as(
                    (id, aliases, p, fixed, status, severity, c, extra) -> new Finding(id, aliases, p, fixed, status,
                            severity, extra.title, c, extra.kev, extra.epss, extra.title, extra.sources, extra.refs));
            Arbitrary<Suppression> suppression = Combinators.combine(finding.injectNull(0.1), text.injectNull(0.2),
                    text.injectNull(0.2), text.injectNull(0.2)).as(Suppression::new);
            Arbitrary<VulnDbInfo> db = Combinators.combine(text.injectNull(0.2), instants().injectNull(0.2),
                    Combinators.combine(text, Arbitraries.longs().between(0, 1_000_000), instants().injectNull(0.2), text.injectNull(0.2))
                            .as(VulnDbInfo.Source::new).list().ofMaxSize(3), Arbitraries.integers().between(0, 5)).as(VulnDbInfo::new);
            return Combinators.combine(finding.list().ofMaxSize(6), suppression.list().ofMaxSize(2), db.injectNull(0.3),
                    text.list().ofMaxSize(2), instants().injectNull(0.2), Arbitraries.of(true, false)).as(
                    (findings, suppressed, d, warnings, scanned, withImage) -> {
                        Inventory base = withImage ? Fixtures.debianApp() : Fixtures.rootfs();
                        return new ScanReport(new Inventory(base.image(), base.os(), packages, List.of(), scanned, "bulwark"),
                                findings, suppressed, d, warnings);
                    });
        });
    }

    private static Arbitrary<Instant> instants() {
        return Combinators.combine(Arbitraries.longs().between(0, 4_000_000_000L), Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond);
    }

    private record Extra(boolean kev, double epss, String title, List<String> sources, List<String> refs) {
    }
}
