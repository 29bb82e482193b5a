package dev.bulwark.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Severity;
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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the audited files and hosts say, every audit format stays valid, readable and inside its limits. */
class AuditReportProperties {

    @Property(tries = 200)
    void jsonRoundTrips(@ForAll("wellFormedReports") AuditReport report) throws Exception {
        String json = Schemas.render(report, ReportFormat.JSON, Fixtures.options());
        AuditReport back = Reports.readAuditReportJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(back).isEqualTo(report);
    }

    @Property(tries = 100)
    void sarifIsAlwaysSchemaValid(@ForAll("reports") AuditReport report) {
        JsonNode sarif = Schemas.tree(Schemas.render(report, ReportFormat.SARIF, Fixtures.options()));
        assertThat(Schemas.validate(Schemas.SARIF_2_1_0, sarif)).isEmpty();
        Map<AuditStatus, Integer> n = Audits.count(report.results());
        assertThat(sarif.at("/runs/0/results")).hasSize(n.get(AuditStatus.FAIL) + n.get(AuditStatus.WARN) + n.get(AuditStatus.MANUAL));
        assertThat(sarif.at("/runs/0/invocations/0/toolExecutionNotifications"))
                .hasSize(n.get(AuditStatus.ERROR) + report.warnings().size());
        long checks = report.results().stream().map(AuditResult::checkId).distinct().count();
        assertThat(sarif.at("/runs/0/tool/driver/rules")).hasSize((int) checks);
        sarif.at("/runs/0/results").forEach(r -> assertThat(sarif.at("/runs/0/tool/driver/rules/" + r.path("ruleIndex").asInt() + "/id"))
                .isEqualTo(r.path("ruleId")));
        sarif.at("/runs/0/results").forEach(r -> {
            JsonNode uri = r.at("/locations/0/physicalLocation/artifactLocation/uri");
            if (!uri.isMissingNode()) assertThat(uri.asText()).doesNotStartWith("/");
        });
    }

    @Property(tries = 100)
    void junitParsesAndCountsAgree(@ForAll("reports") AuditReport report) {
        Document d = JUnitWriterTest.parse(Schemas.render(report, ReportFormat.JUNIT, Fixtures.options()));
        Map<AuditStatus, Integer> n = Audits.count(report.results());
        var root = d.getDocumentElement();
        assertThat(d.getElementsByTagName("testcase").getLength()).isEqualTo(report.results().size())
                .isEqualTo(Integer.parseInt(root.getAttribute("tests")));
        assertThat(d.getElementsByTagName("failure").getLength()).isEqualTo(n.get(AuditStatus.FAIL))
                .isEqualTo(Integer.parseInt(root.getAttribute("failures")));
        assertThat(d.getElementsByTagName("error").getLength()).isEqualTo(n.get(AuditStatus.ERROR))
                .isEqualTo(Integer.parseInt(root.getAttribute("errors")));
        assertThat(d.getElementsByTagName("skipped").getLength()).isEqualTo(n.get(AuditStatus.INFO))
                .isEqualTo(Integer.parseInt(root.getAttribute("skipped")));
    }

    @Property(tries = 100)
    void htmlIsOneDocumentWithOnlyOurScript(@ForAll("reports") AuditReport report) {
        String html = Schemas.render(report, ReportFormat.HTML, Fixtures.options());
        Document d = JUnitWriterTest.parse(html);
        assertThat(HtmlWriterTest.elements(d, "script")).hasSize(1);
        assertThat(HtmlWriterTest.elements(d, "script").get(0).getTextContent()).isEqualTo(AuditHtmlWriter.SCRIPT);
        HtmlWriterTest.elements(d, "a").forEach(a -> assertThat(a.getAttribute("href")).startsWith("http"));
        long rows = HtmlWriterTest.elements(d, "tr").stream().filter(tr -> tr.hasAttribute("data-status")).count();
        assertThat(rows).isEqualTo(report.results().size());
    }

    @Property(tries = 100)
    void tableLinesFitTheTerminal(@ForAll("reports") AuditReport report, @ForAll @IntRange(min = 20, max = 160) int width,
                                  @ForAll boolean quiet) {
        String table = Schemas.render(report, ReportFormat.TABLE, Fixtures.options().withWidth(width).withQuiet(quiet));
        assertThat(table.lines()).allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).as(l).isLessThanOrEqualTo(width));
        assertThat(table.chars().filter(c -> c < 0x20 && c != '\n')).isEmpty();
        long shown = table.lines().filter(l -> l.matches("\\[(FAIL|PASS|WARN|MANUAL|INFO|ERROR)].*")).count();
        long expected = report.results().stream().filter(r -> !quiet || r.status() != AuditStatus.PASS).count();
        assertThat(shown).isEqualTo(expected);
    }

    @Provide
    Arbitrary<AuditReport> reports() {
        return reports(Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(20), realistic()));
    }

    /** Strings a UTF-8 decoder can produce (no unpaired surrogates): those survive JSON unchanged. */
    @Provide
    Arbitrary<AuditReport> wellFormedReports() {
        return reports(Arbitraries.oneOf(Arbitraries.strings().withCharRange('\u0000', '\ud7ff')
                .withCharRange('\ue000', '\uffff').ofMaxLength(20), realistic()));
    }

    private static Arbitrary<String> realistic() {
        return Arbitraries.of("5.5", "1.1.4", "DF-ADD-URL", "K8S-HOSTPATH", "web", "daemon", "host", "Dockerfile",
                "compose.yaml", "compose.yaml:7:5", "Dockerfile:12", "/etc/docker/daemon.json", "C:\\x:3",
                "CIS Docker Benchmark v1.6.0 4.9", "https://github.com/hadolint/hadolint/wiki/DL3002", "javascript:alert(1)",
                "<script>alert(1)</script>", "\"quoted\" & 'single'", "", " ", "名前", "\ud83d\ude00",
                "Replace line 7 with:\n  privileged: false", "a\r\nb", "line:0", "x:99999999999");
    }

    private Arbitrary<AuditReport> reports(Arbitrary<String> text) {
        Arbitrary<AuditResult> result = Combinators.combine(text, text, Arbitraries.of(Severity.class),
                Arbitraries.of(AuditStatus.class), text, text, text, Combinators.combine(text, text.list().ofMaxSize(3), Arbitraries.integers().between(0, 2)).as(Extra::new))
                .as((id, title, sev, status, subject, location, evidence, extra) ->
                        new AuditResult(id, title, sev, extra.level, status, subject, location, evidence, extra.fix, extra.refs));
        Arbitrary<String> target = Arbitraries.oneOf(text, Arbitraries.of("docker:unix:///var/run/docker.sock", "Dockerfile"));
        return Combinators.combine(target.injectNull(0.1), result.list().ofMaxSize(8), text.list().ofMaxSize(2),
                instants().injectNull(0.2), text.injectNull(0.2)).as(AuditReport::new);
    }

    private static Arbitrary<Instant> instants() {
        return Combinators.combine(Arbitraries.longs().between(0, 4_000_000_000L), Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond);
    }

    private record Extra(String fix, List<String> refs, int level) {
    }
}
