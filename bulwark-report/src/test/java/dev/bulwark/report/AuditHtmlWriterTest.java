package dev.bulwark.report;

import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Digest;
import dev.bulwark.model.Severity;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.bulwark.report.Fixtures.options;
import static dev.bulwark.report.HtmlWriterTest.HOSTILE;
import static dev.bulwark.report.HtmlWriterTest.elements;
import static dev.bulwark.report.JUnitWriterTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

class AuditHtmlWriterTest {
    private final String html = Schemas.render(AuditFixtures.host(), ReportFormat.HTML, options());
    private final Document doc = parse(html);

    @Test
    void isOneSelfContainedPageWhoseOnlyScriptIsOurs() {
        assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en\">").endsWith("</html>\n");
        assertThat(elements(doc, "link")).isEmpty();
        assertThat(elements(doc, "img")).isEmpty();
        assertThat(html).doesNotContain("src=").doesNotContain("url(").doesNotContain("@import");
        List<Element> scripts = elements(doc, "script");
        assertThat(scripts).hasSize(1);
        assertThat(scripts.get(0).getTextContent()).isEqualTo(AuditHtmlWriter.SCRIPT);
        assertThat(AuditHtmlWriter.SCRIPT).doesNotContain("<").doesNotContain("&");
        String expected = "sha256-" + Base64.getEncoder().encodeToString(
                Digest.newSha256().digest(AuditHtmlWriter.SCRIPT.getBytes(StandardCharsets.UTF_8)));
        Element csp = elements(doc, "meta").stream().filter(m -> m.getAttribute("http-equiv").equals("Content-Security-Policy"))
                .findFirst().orElseThrow();
        assertThat(csp.getAttribute("content")).contains("default-src 'none'").contains("script-src '" + expected + "'");
        assertThat(elements(doc, "title").get(0).getTextContent()).isEqualTo("Bulwark audit: docker:unix:///var/run/docker.sock");
        assertThat(Schemas.render(AuditFixtures.host(), ReportFormat.HTML, options())).isEqualTo(html);
    }

    @Test
    void summaryCardsPerStatusAndTheScore() {
        Map<String, String> cards = new LinkedHashMap<>();
        for (Element div : elements(doc, "div")) {
            if (!div.getAttribute("class").startsWith("card ")) continue;
            cards.put(div.getAttribute("class").substring(5), div.getElementsByTagName("span").item(0).getTextContent());
        }
        assertThat(cards).containsExactly(Map.entry("total", "17"), Map.entry("st-fail", "6"), Map.entry("st-pass", "6"),
                Map.entry("st-warn", "1"), Map.entry("st-manual", "1"), Map.entry("st-info", "2"), Map.entry("st-error", "1"),
                Map.entry("score", "50%"));
    }

    @Test
    void sectionsTableAndEveryResultFilterableByStatus() {
        List<Element> groups = children(byId(doc, "groups").getElementsByTagName("tbody").item(0), "tr");
        assertThat(groups).hasSize(7);
        assertThat(texts(groups.get(1).getElementsByTagName("td")))
                .containsExactly("2 Docker daemon configuration", "4", "1", "3", "0", "0", "0", "0", "75%");
        Element results = byId(doc, "results");
        assertThat(texts(results.getElementsByTagName("th")))
                .containsExactly("Status", "Check", "Severity", "Section", "Subject", "Evidence", "Fix");
        List<Element> rows = children(results.getElementsByTagName("tbody").item(0), "tr");
        assertThat(rows).hasSize(17);
        List<String> statuses = rows.stream().map(r -> r.getAttribute("data-status")).distinct().toList();
        assertThat(statuses).containsExactlyInAnyOrder("fail", "pass", "warn", "manual", "info", "error");
        // one check box per status, all on; the filter shows only when the script runs
        Element filters = byId(doc, "filters");
        assertThat(filters.getAttribute("hidden")).isEqualTo("hidden");
        List<String> boxes = new ArrayList<>();
        for (Element input : elements(doc, "input")) {
            if (input.getAttribute("type").equals("checkbox")) {
                boxes.add(input.getAttribute("value") + " " + input.getAttribute("checked"));
            }
        }
        assertThat(boxes).containsExactly("fail checked", "pass checked", "warn checked", "manual checked", "info checked",
                "error checked");
        // the privileged container: evidence, fix, and its id shortened with the whole one in the tooltip
        Element web = rows.stream().filter(r -> r.getTextContent().contains("HostConfig.Privileged=true")).findFirst().orElseThrow();
        List<String> cells = texts(web.getElementsByTagName("td"));
        assertThat(cells.get(0)).isEqualTo("FAIL");
        assertThat(cells.get(1)).startsWith("5.5Ensure that privileged containers are not used");
        assertThat(cells.get(2)).isEqualTo("CRITICAL");
        assertThat(cells.get(3)).isEqualTo("5 Container Runtime");
        assertThat(cells.get(4)).isEqualTo("web" + AuditFixtures.CONTAINER_ID.substring(0, 12));
        assertThat(web.getElementsByTagName("pre").item(0).getTextContent()).startsWith("Recreate without --privileged");
        Element id = (Element) ((Element) web.getElementsByTagName("td").item(4)).getElementsByTagName("div").item(0);
        assertThat(id.getAttribute("title")).isEqualTo(AuditFixtures.CONTAINER_ID);
    }

    @Test
    void fileAuditsHaveFilesAndLinksToWebReferences() {
        Document d = parse(Schemas.render(AuditFixtures.files(), ReportFormat.HTML, options()));
        assertThat(texts(byId(d, "groups").getElementsByTagName("th")).get(0)).isEqualTo("File");
        List<Element> rows = children(byId(d, "results").getElementsByTagName("tbody").item(0), "tr");
        assertThat(rows).hasSize(11);
        Element first = rows.get(0);
        Element link = (Element) first.getElementsByTagName("a").item(0);
        assertThat(link.getAttribute("href")).isEqualTo("https://github.com/hadolint/hadolint/wiki/DL3002");
        assertThat(link.getAttribute("rel")).isEqualTo("noopener noreferrer");
        // the location names the file: no column of its own
        assertThat(texts(byId(d, "results").getElementsByTagName("th")))
                .containsExactly("Status", "Check", "Severity", "Location", "Evidence", "Fix");
        assertThat(texts(first.getElementsByTagName("td")).get(3)).isEqualTo("Dockerfile:27");
        assertThat(texts(rows.get(5).getElementsByTagName("td")).get(3)).isEqualTo("Dockerfile");
        // a multi-line fix keeps its lines
        Element mem = rows.stream().filter(r -> r.getTextContent().contains("no memory limit")).findFirst().orElseThrow();
        assertThat(mem.getElementsByTagName("pre").item(0).getTextContent())
                .isEqualTo("Add to service \"web\":\ndeploy:\n  resources:\n    limits:\n      memory: 512M   # what the service needs\n(or mem_limit: 512m)");
    }

    @Test
    void hostileTextIsEscapedEverywhere() {
        AuditResult evil = new AuditResult(HOSTILE, HOSTILE, Severity.HIGH, 0, AuditStatus.FAIL, HOSTILE, HOSTILE + ":12",
                HOSTILE, HOSTILE + "\n" + HOSTILE, List.of(HOSTILE, "javascript:alert(1)", "https://x.example/\"><script>"));
        AuditResult info = new AuditResult("x\u0001", "t", Severity.LOW, 0, AuditStatus.WARN, "s", "", "\ud800", "", List.of());
        AuditReport r = new AuditReport(HOSTILE, List.of(evil, info), List.of(HOSTILE), null, HOSTILE);
        String out = Schemas.render(r, ReportFormat.HTML, options());
        assertThat(out).doesNotContain("<script>alert").doesNotContain("<img").doesNotContain("href=\"javascript");
        assertThat(out.split("<script", -1)).hasSize(2); // ours only
        Document d = parse(out);
        assertThat(elements(d, "script")).hasSize(1);
        assertThat(elements(d, "img")).isEmpty();
        assertThat(elements(d, "a")).isEmpty();
        // nothing lost or double-escaped
        assertThat(elements(d, "title").get(0).getTextContent()).isEqualTo("Bulwark audit: " + HOSTILE);
        assertThat(elements(d, "h1").get(0).getTextContent()).isEqualTo("Audit report: " + HOSTILE);
        Element row = children(byId(d, "results").getElementsByTagName("tbody").item(0), "tr").get(0);
        List<String> cells = texts(row.getElementsByTagName("td"));
        assertThat(cells.get(3)).isEqualTo(HOSTILE + ":12");
        assertThat(cells.get(4)).isEqualTo(HOSTILE);
        assertThat(row.getElementsByTagName("pre").item(0).getTextContent()).isEqualTo(HOSTILE + "\n" + HOSTILE);
        assertThat(texts(d.getElementsByTagName("li"))).containsExactly(HOSTILE);
        // a reference that is not an http(s) URL is shown as text, never as a link
        assertThat(texts(row.getElementsByTagName("div"))).contains(HOSTILE + "; javascript:alert(1); https://x.example/\"><script>");
        assertThat(out).contains("x\uFFFD").contains("\uFFFD</td>");
    }

    @Test
    void anEmptyAudit() {
        Document d = parse(Schemas.render(new AuditReport("Dockerfile", List.of(), List.of(), null, null), ReportFormat.HTML, options()));
        assertThat(d.getDocumentElement().getTextContent()).contains("No checks ran.");
        assertThat(byIdOrNull(d, "results")).isNull();
        assertThat(byIdOrNull(d, "filters")).isNull();
    }

    private static List<Element> children(Node parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) out.add(e);
        }
        return out;
    }

    private static List<String> texts(NodeList l) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.getLength(); i++) out.add(l.item(i).getTextContent());
        return out;
    }

    private static Element byId(Document d, String id) {
        Element e = byIdOrNull(d, id);
        if (e == null) throw new AssertionError("no element #" + id);
        return e;
    }

    private static Element byIdOrNull(Document d, String id) {
        NodeList all = d.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getAttribute("id").equals(id)) return e;
        }
        return null;
    }
}
