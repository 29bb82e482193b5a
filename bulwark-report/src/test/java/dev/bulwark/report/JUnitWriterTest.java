package dev.bulwark.report;

import dev.bulwark.model.Finding;
import dev.bulwark.model.FindingStatus;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.Severity;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.bulwark.report.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

class JUnitWriterTest {
    private final String xml = Schemas.render(ScanFixtures.report(), ReportFormat.JUNIT, options());
    private final Document doc = parse(xml);

    @Test
    void testsArePackagesAndFailuresVulnerablePackages() {
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("tests")).isEqualTo("12");
        assertThat(root.getAttribute("failures")).isEqualTo("5");
        assertThat(root.getAttribute("errors")).isEqualTo("0");
        // the totals agree with what the document holds
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(12);
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(5);
        NodeList suites = doc.getElementsByTagName("testsuite");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < suites.getLength(); i++) {
            Element s = (Element) suites.item(i);
            names.add(s.getAttribute("name") + " " + s.getAttribute("tests") + "/" + s.getAttribute("failures"));
            assertThat(s.getElementsByTagName("testcase").getLength()).isEqualTo(Integer.parseInt(s.getAttribute("tests")));
            assertThat(s.getElementsByTagName("failure").getLength()).isEqualTo(Integer.parseInt(s.getAttribute("failures")));
        }
        assertThat(names).containsExactly("deb packages - Debian GNU/Linux 12 (bookworm) 5/2", "maven packages 2/1",
                "npm packages 3/1", "pypi packages 1/0", "golang packages 1/1");
    }

    @Test
    void aFailureListsThePackagesFindings() {
        Element ssl = testcase("libssl3@3.0.11-1~deb12u2");
        assertThat(ssl.getAttribute("classname")).isEqualTo("deb");
        Element failure = (Element) ssl.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("1 vulnerability (MEDIUM: 1)");
        assertThat(failure.getAttribute("type")).isEqualTo("MEDIUM");
        assertThat(failure.getTextContent().strip()).isEqualTo("CVE-2024-0727 MEDIUM: fixed in 3.0.13-1~deb12u1 - "
                + "openssl: denial of service via null dereference https://security-tracker.debian.org/tracker/CVE-2024-0727");
        Element log4j = testcase("org.apache.logging.log4j:log4j-core@2.14.1");
        assertThat(log4j.getElementsByTagName("failure").item(0).getTextContent()).contains("CVE-2021-44228 CRITICAL [KEV]");
        assertThat(testcase("bash@5.2.15-2+b2").getChildNodes().getLength()).isZero();
    }

    @Test
    void suppressedFindingsDoNotFailButAreNamed() {
        Element libc = testcase("libc6@2.36-9+deb12u4");
        assertThat(libc.getElementsByTagName("failure").getLength()).isEqualTo(1); // the will-not-fix one
        assertThat(libc.getElementsByTagName("system-out").item(0).getTextContent().strip())
                .isEqualTo("suppressed CVE-2010-4756 (LOW) by openvex (vex/app.openvex.json): vulnerable_code_not_in_execute_path");
        ScanReport onlySuppressed = new ScanReport(ScanFixtures.inventory(), List.of(), ScanFixtures.report().suppressed(), null, List.of());
        Document d = parse(Schemas.render(onlySuppressed, ReportFormat.JUNIT, options()));
        assertThat(d.getDocumentElement().getAttribute("failures")).isEqualTo("0");
    }

    @Test
    void severalFindingsOfOnePackageMakeOneFailure() {
        Finding second = new Finding("CVE-2024-2511", List.of(), ScanFixtures.pkg("libssl3"), List.of("3.0.14-1~deb12u1"),
                FindingStatus.FIXED, Severity.LOW, "debian", null, false, Double.NaN, "openssl: Unbounded memory growth with session handling in TLSv1.3",
                List.of(), List.of());
        ScanReport r = ScanFixtures.report();
        List<Finding> more = new ArrayList<>(r.findings());
        more.add(second);
        Document d = parse(Schemas.render(new ScanReport(r.inventory(), more, r.suppressed(), r.db(), r.warnings()), ReportFormat.JUNIT, options()));
        assertThat(d.getDocumentElement().getAttribute("failures")).isEqualTo("5");
        Element failure = (Element) find(d, "libssl3@3.0.11-1~deb12u2").getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("2 vulnerabilities (MEDIUM: 1, LOW: 1)");
        assertThat(failure.getTextContent().strip().lines()).hasSize(2);
    }

    @Test
    void hostileTextStaysWellFormed() {
        Package evil = new Package(PackageType.NPM, "<evil name=\"x\">&\u0001]]>\ud800", "1'\"", null, null, List.of(), null, List.of(), Map.of());
        Finding f = new Finding("CVE-<1>", List.of(), evil, List.of(), FindingStatus.AFFECTED, Severity.HIGH, "", null, false,
                Double.NaN, "</failure><testcase name=\"fake\"/>", List.of(), List.of());
        ScanReport r = new ScanReport(new Inventory(null, null, List.of(evil), List.of(), null, null), List.of(f), List.of(), null, List.of());
        Document d = parse(Schemas.render(r, ReportFormat.JUNIT, options()));
        assertThat(d.getElementsByTagName("testcase").getLength()).isEqualTo(1);
        Element tc = (Element) d.getElementsByTagName("testcase").item(0);
        assertThat(tc.getAttribute("name")).isEqualTo("<evil name=\"x\">&\uFFFD]]>\uFFFD@1'\"");
        assertThat(tc.getTextContent()).contains("</failure><testcase name=\"fake\"/>");
    }

    @Test
    void anInventoryAloneIsAllPassing() {
        Document d = parse(Schemas.render(Fixtures.debianApp(), ReportFormat.JUNIT, options()));
        assertThat(d.getDocumentElement().getAttribute("tests")).isEqualTo("9");
        assertThat(d.getDocumentElement().getAttribute("failures")).isEqualTo("0");
        Document empty = parse(Schemas.render(new Inventory(null, null, List.of(), List.of(), null, null), ReportFormat.JUNIT, options()));
        assertThat(empty.getDocumentElement().getAttribute("tests")).isEqualTo("0");
    }

    private Element testcase(String name) {
        return find(doc, name);
    }

    private static Element find(Document d, String name) {
        NodeList cases = d.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element e = (Element) cases.item(i);
            if (e.getAttribute("name").equals(name)) return e;
        }
        throw new AssertionError("no testcase " + name);
    }

    static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + xml, e);
        }
    }
}
