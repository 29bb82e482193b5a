package dev.bulwark.harden.imagetest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ImageTestWritersTest {
    static final ImageTestReport REPORT = new ImageTestReport("oci:/img:1", "sha256:" + "b".repeat(64), "s.yaml", List.of(
            new TestResult("command", "greets", "s.yaml:3", TestResult.Status.PASS, List.of(), "", "", Duration.ofMillis(1200)),
            TestResult.of("command", "exit <&> \u001b[31m", "s.yaml:7", List.of(new TestResult.Mismatch("exitCode", "0", "3")),
                    "stdout:\nbad \u0000 byte\nstderr:\n", Duration.ofMillis(800)),
            TestResult.of("file", "mode", "s.yaml:12", List.of(new TestResult.Mismatch("mode", "0755", "0644"),
                    new TestResult.Mismatch("owner", "app", "0:0")), "", Duration.ofMillis(1)),
            TestResult.error("gate", "no secrets", "s.yaml:20", "cannot scan for secrets: broken layer", Duration.ZERO)),
            Instant.parse("2026-12-07T05:00:00Z"), Duration.ofSeconds(3));

    @Test
    void junitXmlIsWellFormedAndCountsAdd() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageTestWriters.junit(REPORT, out);
        var f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(out.toByteArray()));
        Element root = d.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("tests")).isEqualTo("4");
        assertThat(root.getAttribute("failures")).isEqualTo("2");
        assertThat(root.getAttribute("errors")).isEqualTo("1");
        NodeList suites = root.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(3);
        int cases = 0;
        for (int i = 0; i < suites.getLength(); i++) {
            Element s = (Element) suites.item(i);
            int n = s.getElementsByTagName("testcase").getLength();
            assertThat(s.getAttribute("tests")).isEqualTo(Integer.toString(n));
            assertThat(Integer.parseInt(s.getAttribute("failures"))).isEqualTo(s.getElementsByTagName("failure").getLength());
            assertThat(Integer.parseInt(s.getAttribute("errors"))).isEqualTo(s.getElementsByTagName("error").getLength());
            cases += n;
        }
        assertThat(cases).isEqualTo(4);
        Element failure = (Element) d.getElementsByTagName("failure").item(1);
        assertThat(failure.getAttribute("message")).isEqualTo("mode: expected 0755, found 0644; owner: expected app, found 0:0");
        assertThat(failure.getTextContent()).contains("expected: 0755").contains("found:    0644").contains("at s.yaml:12");
        Element first = (Element) d.getElementsByTagName("testcase").item(1);
        assertThat(first.getAttribute("name")).isEqualTo("exit <&> \ufffd[31m");
        assertThat(d.getElementsByTagName("system-out").item(0).getTextContent()).contains("bad \ufffd byte");
        assertThat(((Element) d.getElementsByTagName("error").item(0)).getAttribute("message")).isEqualTo("cannot scan for secrets: broken layer");
    }

    @Test
    void jsonCarriesEveryResult() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageTestWriters.json(REPORT, out);
        JsonNode n = new ObjectMapper().readTree(out.toByteArray());
        assertThat(n.path("passed").asBoolean(true)).isFalse();
        assertThat(n.path("summary").path("tests").asInt()).isEqualTo(4);
        assertThat(n.path("summary").path("fail").asInt()).isEqualTo(2);
        assertThat(n.path("results")).hasSize(4);
        JsonNode m = n.path("results").get(2).path("mismatches").get(0);
        assertThat(m.path("expected").asText()).isEqualTo("0755");
        assertThat(m.path("found").asText()).isEqualTo("0644");
        assertThat(n.path("results").get(3).path("message").asText()).contains("broken layer");
    }

    @Test
    void theTableShowsExpectedAndFoundAndEscapesControlCharacters() {
        StringWriter w = new StringWriter();
        ImageTestWriters.table(REPORT, w);
        String t = w.toString();
        assertThat(t).contains("FAIL    file").contains("mode: expected 0755").contains("found    0644")
                .contains("ERROR   gate").contains("4 tests: 1 passed, 2 failed, 1 errors").doesNotContain("\u001b");
        assertThat(new String(t.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).contains("\\x1b[31m");
    }
}
