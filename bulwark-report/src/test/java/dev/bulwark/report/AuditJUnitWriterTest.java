package dev.bulwark.report;

import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Severity;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.util.ArrayList;
import java.util.List;

import static dev.bulwark.report.Fixtures.options;
import static dev.bulwark.report.JUnitWriterTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

class AuditJUnitWriterTest {
    private final Document host = parse(Schemas.render(AuditFixtures.host(), ReportFormat.JUNIT, options()));
    private final Document files = parse(Schemas.render(AuditFixtures.files(), ReportFormat.JUNIT, options()));

    @Test
    void countsAgreeWithTheReportAndTheDocument() {
        Element root = host.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("name")).isEqualTo("bulwark audit docker:unix:///var/run/docker.sock");
        assertThat(List.of(root.getAttribute("tests"), root.getAttribute("failures"), root.getAttribute("errors"),
                root.getAttribute("skipped"))).containsExactly("17", "6", "1", "2");
        assertThat(host.getElementsByTagName("testcase").getLength()).isEqualTo(17);
        assertThat(host.getElementsByTagName("failure").getLength()).isEqualTo(6);
        assertThat(host.getElementsByTagName("error").getLength()).isEqualTo(1);
        assertThat(host.getElementsByTagName("skipped").getLength()).isEqualTo(2);
        assertThat(suites(host)).containsExactly("1 Host Configuration 3/2/0/0", "2 Docker daemon configuration 4/1/0/0",
                "3 Docker daemon configuration files 2/0/1/0", "4 Container Images and Build File 2/1/0/0",
                "5 Container Runtime 4/2/0/1", "6 Docker Security Operations 1/0/0/0", "7 Docker Swarm Configuration 1/0/0/1");
        assertThat(suites(files)).containsExactly("Dockerfile 7/5/0/0", "compose.yaml 4/2/0/1");
    }

    @Test
    void aWarnIsAFailureWithTheEvidenceAndTheFix() {
        Element web = testcase(host, "5.5 web Ensure that privileged containers are not used");
        assertThat(web.getAttribute("classname")).isEqualTo("5 Container Runtime");
        Element failure = (Element) web.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message"))
                .isEqualTo("HostConfig.Privileged=true: all capabilities, all devices, no seccomp, no AppArmor");
        assertThat(failure.getAttribute("type")).isEqualTo("CRITICAL");
        assertThat(failure.getTextContent().strip()).isEqualTo("Recreate without --privileged; add only the capabilities "
                + "(--cap-add) and devices (--device) it needs");
        // a multi-line fix keeps its lines
        Element mem = testcase(files, "5.10 compose.yaml:8:3 Ensure that the memory usage for containers is limited");
        assertThat(mem.getElementsByTagName("failure").item(0).getTextContent().strip().lines())
                .containsExactly("Add to service \"web\":", "deploy:", "  resources:", "    limits:",
                        "      memory: 512M   # what the service needs", "(or mem_limit: 512m)");
    }

    @Test
    void errorSkippedInfoAndPass() {
        Element error = (Element) testcase(host, "3.18 /etc/docker/daemon.json Ensure that daemon.json file permissions are "
                + "set to 644 or more restrictive").getElementsByTagName("error").item(0);
        assertThat(error.getAttribute("message")).isEqualTo("cannot stat /etc/docker/daemon.json: permission denied");
        Element skipped = (Element) testcase(host, "7.1 host Ensure that the minimum number of manager nodes have been "
                + "created in a swarm").getElementsByTagName("skipped").item(0);
        assertThat(skipped.getAttribute("message")).isEqualTo("swarm mode is not active");
        Element info = testcase(host, "6.1 host Ensure that image sprawl is avoided");
        assertThat(info.getElementsByTagName("failure").getLength()).isZero();
        assertThat(info.getElementsByTagName("system-out").item(0).getTextContent().strip().lines()).containsExactly(
                "MANUAL: a human must decide", "14 images, 3 of them used by containers",
                "fix: docker image prune -a (removes every unused image)");
        Element pass = testcase(host, "5.5 db Ensure that privileged containers are not used");
        assertThat(pass.getChildNodes().getLength()).isZero();
    }

    @Test
    void hostileTextStaysWellFormed() {
        String evil = "<evil name=\"x\">&\u0001]]>\ud800</failure><testcase name=\"fake\"/>";
        AuditReport r = new AuditReport(evil, List.of(new AuditResult(evil, evil, Severity.HIGH, 0, AuditStatus.FAIL, evil, evil,
                evil, evil, List.of(evil))), List.of(evil), null, null);
        Document d = parse(Schemas.render(r, ReportFormat.JUNIT, options()));
        assertThat(d.getElementsByTagName("testcase").getLength()).isEqualTo(1);
        Element failure = (Element) d.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("<evil name=\"x\">&\uFFFD]]>\uFFFD</failure><testcase name=\"fake\"/>");
        assertThat(failure.getTextContent()).contains("</failure><testcase name=\"fake\"/>");
    }

    private static List<String> suites(Document d) {
        NodeList suites = d.getElementsByTagName("testsuite");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < suites.getLength(); i++) {
            Element s = (Element) suites.item(i);
            names.add(s.getAttribute("name") + " " + s.getAttribute("tests") + "/" + s.getAttribute("failures") + "/"
                    + s.getAttribute("errors") + "/" + s.getAttribute("skipped"));
            assertThat(s.getElementsByTagName("testcase").getLength()).isEqualTo(Integer.parseInt(s.getAttribute("tests")));
            assertThat(s.getElementsByTagName("failure").getLength()).isEqualTo(Integer.parseInt(s.getAttribute("failures")));
            assertThat(s.getElementsByTagName("error").getLength()).isEqualTo(Integer.parseInt(s.getAttribute("errors")));
            assertThat(s.getElementsByTagName("skipped").getLength()).isEqualTo(Integer.parseInt(s.getAttribute("skipped")));
        }
        return names;
    }

    private static Element testcase(Document d, String name) {
        NodeList cases = d.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element e = (Element) cases.item(i);
            if (e.getAttribute("name").equals(name)) return e;
        }
        throw new AssertionError("no testcase " + name);
    }
}
