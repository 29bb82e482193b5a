package dev.bulwark.report;

import dev.bulwark.model.Digest;
import dev.bulwark.model.Finding;
import dev.bulwark.model.FindingStatus;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.Severity;
import dev.bulwark.model.Suppression;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.bulwark.report.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

class HtmlWriterTest {
    static final String HOSTILE = "<script>alert(\"pwned\")</script>'\"&amp;<img src=x onerror=alert(1)>";

    private final String html = Schemas.render(ScanFixtures.report(), ReportFormat.HTML, options());
    private final Document doc = JUnitWriterTest.parse(html);

    @Test
    void isOneSelfContainedPage() {
        assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en\">");
        assertThat(html).endsWith("</html>\n");
        // nothing is fetched: no src, no stylesheet links, no url() or @import in the CSS
        assertThat(elements(doc, "link")).isEmpty();
        assertThat(elements(doc, "img")).isEmpty();
        assertThat(elements(doc, "iframe")).isEmpty();
        assertThat(html).doesNotContain("src=").doesNotContain("url(").doesNotContain("@import");
        // the only script is ours, and the policy admits it by hash and nothing else
        List<Element> scripts = elements(doc, "script");
        assertThat(scripts).hasSize(1);
        assertThat(scripts.get(0).getTextContent()).isEqualTo(HtmlWriter.SCRIPT);
        String expected = "sha256-" + Base64.getEncoder().encodeToString(
                Digest.newSha256().digest(HtmlWriter.SCRIPT.getBytes(StandardCharsets.UTF_8)));
        Element csp = elements(doc, "meta").stream().filter(m -> m.getAttribute("http-equiv").equals("Content-Security-Policy"))
                .findFirst().orElseThrow();
        assertThat(csp.getAttribute("content")).contains("default-src 'none'").contains("script-src '" + expected + "'");
        // the same report gives the same bytes
        assertThat(Schemas.render(ScanFixtures.report(), ReportFormat.HTML, options())).isEqualTo(html);
    }

    @Test
    void summaryCardsBySeverity() {
        Map<String, String> cards = new java.util.LinkedHashMap<>();
        for (Element div : elements(doc, "div")) {
            if (!div.getAttribute("class").startsWith("card ")) continue;
            cards.put(div.getAttribute("class").substring(5), div.getElementsByTagName("span").item(0).getTextContent());
        }
        assertThat(cards).containsExactly(Map.entry("total", "5"), Map.entry("sev-critical", "1"), Map.entry("sev-high", "1"),
                Map.entry("sev-medium", "2"), Map.entry("sev-low", "0"), Map.entry("sev-negligible", "1"),
                Map.entry("sev-unknown", "0"), Map.entry("kev", "1"), Map.entry("suppressed", "1"));
    }

    @Test
    void findingsTableInTheReportsOrder() {
        Element table = byId(doc, "findings");
        List<String> headers = texts(table.getElementsByTagName("th"));
        assertThat(headers).containsExactly("Package", "Vulnerability", "Severity", "Status", "Installed", "Fixed", "Layer",
                "Path", "KEV / EPSS");
        List<Element> rows = children(table.getElementsByTagName("tbody").item(0), "tr");
        assertThat(rows).hasSize(5);
        List<String> ssl = texts(rows.get(2).getElementsByTagName("td"));
        assertThat(ssl.get(0)).isEqualTo("libssl3 deb");
        assertThat(ssl.get(1)).isEqualTo("CVE-2024-0727openssl: denial of service via null dereference");
        assertThat(ssl.get(2)).isEqualTo("MEDIUM5.5");
        assertThat(ssl.subList(3, 8)).containsExactly("fixed", "3.0.11-1~deb12u2", "3.0.13-1~deb12u1",
                Fixtures.BASE_LAYER.shortHex(), "/var/lib/dpkg/status");
        assertThat(ssl.get(8)).isEqualTo("EPSS 0.04%");
        Element link = (Element) rows.get(2).getElementsByTagName("a").item(0);
        assertThat(link.getAttribute("href")).isEqualTo("https://security-tracker.debian.org/tracker/CVE-2024-0727");
        assertThat(link.getAttribute("rel")).isEqualTo("noopener noreferrer");
        Element layer = (Element) rows.get(2).getElementsByTagName("td").item(6);
        assertThat(layer.getAttribute("title")).isEqualTo(Fixtures.BASE_LAYER + " (layer 0: /bin/sh -c #(nop) ADD file:1b0b5 in / )");
        List<String> log4j = texts(rows.get(0).getElementsByTagName("td"));
        assertThat(log4j.get(1)).startsWith("CVE-2021-44228GHSA-jfh8-c2jp-5v3q");
        assertThat(log4j.get(8)).isEqualTo("KEV EPSS 97.57%");
        assertThat(texts(rows.get(1).getElementsByTagName("td")).get(0)).isEqualTo("golang.org/x/text golang");
    }

    @Test
    void suppressedWarningsAndPackagesAreListed() {
        assertThat(html).contains("<h2>Suppressed (1)</h2>").contains("vulnerable_code_not_in_execute_path")
                .contains("<h2>Warnings (3)</h2>").contains("<h2>Packages (12)</h2>");
        Element packages = byId(doc, "packages");
        assertThat(children(packages.getElementsByTagName("tbody").item(0), "tr")).hasSize(12);
    }

    @Test
    void hostileTextIsEscapedEverywhere() {
        Package evil = new Package(PackageType.NPM, HOSTILE, HOSTILE, HOSTILE, null, List.of(HOSTILE), Fixtures.APP_LAYER,
                List.of(HOSTILE), Map.of());
        Finding f = new Finding(HOSTILE, List.of(HOSTILE), evil, List.of(HOSTILE), FindingStatus.FIXED, Severity.HIGH, HOSTILE,
                null, true, 0.5, HOSTILE, List.of(HOSTILE), List.of("javascript:alert(1)", "https://x.example/\"><script>"));
        ImageInfo image = new ImageInfo(HOSTILE, "docker", null, null, List.of(), List.of(), null, null,
                List.of(new LayerInfo(0, Fixtures.APP_LAYER, null, 1, null, HOSTILE)), Map.of());
        ScanReport r = new ScanReport(new Inventory(image, null, List.of(evil), List.of(HOSTILE), null, "bulwark"), List.of(f),
                List.of(new Suppression(f, HOSTILE, HOSTILE, HOSTILE)), null, List.of(HOSTILE));
        String out = Schemas.render(r, ReportFormat.HTML, options());
        assertThat(out).doesNotContain("<script>alert").doesNotContain("<img").doesNotContain("javascript:");
        assertThat(out.split("<script", -1)).hasSize(2); // ours only
        Document d = JUnitWriterTest.parse(out); // still one well-formed document
        assertThat(elements(d, "script")).hasSize(1);
        assertThat(elements(d, "img")).isEmpty();
        // nothing was lost or double-escaped: the text reads exactly as the image said it
        assertThat(elements(d, "title").get(0).getTextContent()).isEqualTo("Bulwark report: " + HOSTILE);
        assertThat(texts(d.getElementsByTagName("li"))).contains(HOSTILE);
        Element row = children(byId(d, "findings").getElementsByTagName("tbody").item(0), "tr").get(0);
        assertThat(row.getElementsByTagName("td").item(0).getFirstChild().getNodeValue()).isEqualTo(HOSTILE + " ");
        assertThat(row.getElementsByTagName("td").item(4).getTextContent()).isEqualTo(HOSTILE);
        assertThat(((Element) row.getElementsByTagName("td").item(6)).getAttribute("title")).endsWith(": " + HOSTILE + ")");
        // no link from a javascript: reference; the https one with quotes in it is not a valid URI either
        assertThat(elements(d, "a")).isEmpty();
    }

    @Test
    void anInventoryAloneShowsNoFindingsAndItsPackages() {
        Document d = JUnitWriterTest.parse(Schemas.render(Fixtures.rootfs(), ReportFormat.HTML, options()));
        assertThat(byIdOrNull(d, "findings")).isNull();
        assertThat(d.getDocumentElement().getTextContent()).contains("No vulnerabilities found.");
        assertThat(children(byId(d, "packages").getElementsByTagName("tbody").item(0), "tr")).hasSize(1);
    }

    static List<Element> elements(Document d, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList l = d.getElementsByTagName(tag);
        for (int i = 0; i < l.getLength(); i++) out.add((Element) l.item(i));
        return out;
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
