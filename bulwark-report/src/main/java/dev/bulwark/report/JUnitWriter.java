package dev.bulwark.report;

import dev.bulwark.model.Finding;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.Severity;
import dev.bulwark.model.Suppression;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * JUnit XML as CI servers read it (GitLab's test report, Jenkins' JUnit plugin): a test suite per ecosystem (OS
 * packages first), a test case per package, failing with one {@code failure} listing the package's findings.
 * {@code tests} counts packages, {@code failures} vulnerable packages. Suppressed findings do not fail a package;
 * they are named in its {@code system-out}.
 */
final class JUnitWriter {
    private JUnitWriter() {
    }

    static void write(ScanReport report, OutputStream out) throws IOException {
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            write(report, x);
            x.flush();
            x.close(); // does not close the stream
            out.write('\n');
        } catch (XMLStreamException e) {
            throw new IOException("cannot write JUnit XML: " + e.getMessage(), e);
        }
    }

    private static void write(ScanReport report, XMLStreamWriter x) throws XMLStreamException {
        Map<Package, List<Finding>> findings = new HashMap<>();
        for (Finding f : report.findings()) findings.computeIfAbsent(f.pkg(), p -> new ArrayList<>()).add(f);
        Map<Package, List<Suppression>> suppressed = new HashMap<>();
        for (Suppression s : report.suppressed()) {
            if (s.finding() != null) suppressed.computeIfAbsent(s.finding().pkg(), p -> new ArrayList<>()).add(s);
        }
        Map<PackageType, List<Package>> groups = Findings.packagesByType(report);
        int tests = 0;
        int failures = 0;
        for (List<Package> g : groups.values()) {
            tests += g.size();
            failures += (int) g.stream().filter(findings::containsKey).count();
        }
        tests += report.secrets().size() + report.hygiene().size();
        failures += report.secrets().size() + report.hygiene().size();

        x.writeStartDocument("UTF-8", "1.0");
        x.writeCharacters("\n");
        x.writeStartElement("testsuites");
        x.writeAttribute("name", text(("bulwark " + target(report)).strip()));
        counts(x, tests, failures);
        for (Map.Entry<PackageType, List<Package>> e : groups.entrySet()) {
            List<Package> group = e.getValue();
            x.writeCharacters("\n  ");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", text(Findings.groupTitle(e.getKey(), report.inventory().os())));
            counts(x, group.size(), (int) group.stream().filter(findings::containsKey).count());
            x.writeAttribute("skipped", "0");
            for (Package p : group) testcase(x, p, findings.getOrDefault(p, List.of()), suppressed.getOrDefault(p, List.of()));
            x.writeCharacters("\n  ");
            x.writeEndElement();
        }
        imageSuites(report, x);
        x.writeCharacters("\n");
        x.writeEndElement();
        x.writeEndDocument();
    }

    /** One failed test case per secret (redacted) and per hygiene problem, in suites of their own. */
    private static void imageSuites(ScanReport report, XMLStreamWriter x) throws XMLStreamException {
        if (!report.secrets().isEmpty()) {
            x.writeCharacters("\n  ");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", "Secrets");
            counts(x, report.secrets().size(), report.secrets().size());
            x.writeAttribute("skipped", "0");
            for (dev.bulwark.model.SecretFinding f : report.secrets())
                failedCase(x, "secret." + f.ruleId(), ImageFindings.where(f), ImageFindings.message(f, report.inventory()), f.severity());
            x.writeCharacters("\n  ");
            x.writeEndElement();
        }
        if (!report.hygiene().isEmpty()) {
            x.writeCharacters("\n  ");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", "Image hygiene");
            counts(x, report.hygiene().size(), report.hygiene().size());
            x.writeAttribute("skipped", "0");
            for (dev.bulwark.model.HygieneFinding h : report.hygiene())
                failedCase(x, "hygiene." + h.checkId(), h.subject(), ImageFindings.message(h) + (h.fix().isEmpty() ? "" : "\nfix: " + h.fix()), h.severity());
            x.writeCharacters("\n  ");
            x.writeEndElement();
        }
    }

    private static void failedCase(XMLStreamWriter x, String classname, String name, String message, Severity severity) throws XMLStreamException {
        x.writeCharacters("\n    ");
        x.writeStartElement("testcase");
        x.writeAttribute("classname", text(classname));
        x.writeAttribute("name", text(name));
        x.writeAttribute("time", "0");
        x.writeCharacters("\n      ");
        x.writeStartElement("failure");
        x.writeAttribute("message", text(message.lines().findFirst().orElse("")));
        x.writeAttribute("type", severity.name());
        x.writeCharacters(text("\n" + message + "\n"));
        x.writeEndElement();
        x.writeCharacters("\n    ");
        x.writeEndElement();
    }

    private static void counts(XMLStreamWriter x, int tests, int failures) throws XMLStreamException {
        x.writeAttribute("tests", String.valueOf(tests));
        x.writeAttribute("failures", String.valueOf(failures));
        x.writeAttribute("errors", "0");
        x.writeAttribute("time", "0");
    }

    private static void testcase(XMLStreamWriter x, Package p, List<Finding> findings, List<Suppression> suppressed)
            throws XMLStreamException {
        x.writeCharacters("\n    ");
        x.writeStartElement("testcase");
        x.writeAttribute("classname", p.type().purlType());
        x.writeAttribute("name", text(p.name() + (p.version().isEmpty() ? "" : "@" + p.version())));
        x.writeAttribute("time", "0");
        if (!findings.isEmpty()) {
            x.writeCharacters("\n      ");
            x.writeStartElement("failure");
            x.writeAttribute("message", text(failureMessage(findings)));
            x.writeAttribute("type", highest(findings).name());
            StringBuilder body = new StringBuilder("\n");
            for (Finding f : findings) body.append(line(f)).append('\n');
            x.writeCharacters(text(body.toString()));
            x.writeEndElement();
        }
        if (!suppressed.isEmpty()) {
            x.writeCharacters("\n      ");
            x.writeStartElement("system-out");
            StringBuilder body = new StringBuilder("\n");
            for (Suppression s : suppressed) {
                body.append("suppressed ").append(s.finding().id()).append(" (").append(s.finding().severity().name())
                        .append(") by ").append(s.by() == null || s.by().isBlank() ? "unknown" : s.by());
                if (s.where() != null && !s.where().isBlank()) body.append(" (").append(s.where()).append(')');
                if (s.reason() != null && !s.reason().isBlank()) body.append(": ").append(s.reason().strip());
                body.append('\n');
            }
            x.writeCharacters(text(body.toString()));
            x.writeEndElement();
        }
        if (!findings.isEmpty() || !suppressed.isEmpty()) x.writeCharacters("\n    ");
        x.writeEndElement();
    }

    /** "2 vulnerabilities (HIGH: 1, MEDIUM: 1)". */
    static String failureMessage(List<Finding> findings) {
        String counts = Findings.count(findings).entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey().name() + ": " + e.getValue()).collect(Collectors.joining(", "));
        return findings.size() + (findings.size() == 1 ? " vulnerability" : " vulnerabilities") + " (" + counts + ")";
    }

    /** "CVE-2024-0727 MEDIUM [KEV]: fixed in 3.0.13-1~deb12u1 - openssl: ... https://..." */
    private static String line(Finding f) {
        StringBuilder sb = new StringBuilder(f.id()).append(' ').append(f.severity().name());
        if (f.knownExploited()) sb.append(' ').append(FindingsTableWriter.KEV);
        sb.append(": ").append(Findings.remedy(f));
        if (!f.title().isBlank()) sb.append(" - ").append(f.title().strip());
        String link = Findings.firstLink(f.references());
        if (link != null) sb.append(" ").append(link);
        return sb.toString();
    }

    private static Severity highest(List<Finding> findings) {
        Severity top = Severity.UNKNOWN;
        for (Finding f : findings) {
            if (f.severity().compareTo(top) > 0) top = f.severity();
        }
        return top;
    }

    private static String target(ScanReport report) {
        var image = report.inventory().image();
        return image == null || image.target() == null ? "" : image.target();
    }

    private static String text(String s) {
        return Findings.xmlText(s);
    }
}
