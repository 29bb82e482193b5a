package dev.bulwark.report;

import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * JUnit XML for an audit, as CI servers read it: a test suite per section (host audits) or per file (file audits),
 * a test case per result. WARN is a {@code failure} (message the evidence, text the fix), ERROR an {@code error},
 * NOTE {@code skipped}; INFO passes with its evidence and fix in {@code system-out}; PASS passes.
 */
final class AuditJUnitWriter {
    private AuditJUnitWriter() {
    }

    static void write(AuditReport report, OutputStream out) throws IOException {
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

    private static void write(AuditReport report, XMLStreamWriter x) throws XMLStreamException {
        x.writeStartDocument("UTF-8", "1.0");
        x.writeCharacters("\n");
        x.writeStartElement("testsuites");
        x.writeAttribute("name", text(("bulwark audit " + (report.target() == null ? "" : report.target())).strip()));
        counts(x, report.results());
        for (Audits.Group g : Audits.groups(report)) {
            x.writeCharacters("\n  ");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", text(g.title()));
            counts(x, g.results());
            for (AuditResult r : g.results()) testcase(x, g.title(), r);
            x.writeCharacters("\n  ");
            x.writeEndElement();
        }
        x.writeCharacters("\n");
        x.writeEndElement();
        x.writeEndDocument();
    }

    /** tests = results, failures = WARN, errors = ERROR, skipped = NOTE. */
    private static void counts(XMLStreamWriter x, List<AuditResult> results) throws XMLStreamException {
        Map<AuditStatus, Integer> c = Audits.count(results);
        x.writeAttribute("tests", String.valueOf(results.size()));
        x.writeAttribute("failures", String.valueOf(c.get(AuditStatus.FAIL)));
        x.writeAttribute("errors", String.valueOf(c.get(AuditStatus.ERROR)));
        x.writeAttribute("skipped", String.valueOf(c.get(AuditStatus.INFO)));
        x.writeAttribute("time", "0");
    }

    private static void testcase(XMLStreamWriter x, String group, AuditResult r) throws XMLStreamException {
        x.writeCharacters("\n    ");
        x.writeStartElement("testcase");
        x.writeAttribute("classname", text(group));
        x.writeAttribute("name", text(name(r)));
        x.writeAttribute("time", "0");
        boolean body = true;
        switch (r.status()) {
            case FAIL -> element(x, "failure", r.evidence().isBlank() ? r.title() : r.evidence(), r.severity().name(),
                    r.fix().isBlank() ? null : "\n" + r.fix().strip() + "\n");
            case ERROR -> element(x, "error", r.evidence().isBlank() ? "the check could not run" : r.evidence(),
                    "ERROR", null);
            case INFO -> element(x, "skipped", r.evidence().isBlank() ? "does not apply" : r.evidence(), null, null);
            case WARN, MANUAL -> {
                StringBuilder out = new StringBuilder(r.status() == AuditStatus.WARN
                        ? "\nWARN: a human must confirm\n" : "\nMANUAL: a human must decide\n");
                if (!r.evidence().isBlank()) out.append(r.evidence().strip()).append('\n');
                if (!r.fix().isBlank()) out.append("fix: ").append(r.fix().strip()).append('\n');
                x.writeCharacters("\n      ");
                x.writeStartElement("system-out");
                x.writeCharacters(text(out.toString()));
                x.writeEndElement();
            }
            case PASS -> body = false;
        }
        if (body) x.writeCharacters("\n    ");
        x.writeEndElement();
    }

    private static void element(XMLStreamWriter x, String tag, String message, String type, String content)
            throws XMLStreamException {
        x.writeCharacters("\n      ");
        if (content == null) {
            x.writeEmptyElement(tag);
        } else {
            x.writeStartElement(tag);
        }
        x.writeAttribute("message", text(message.strip()));
        if (type != null) x.writeAttribute("type", type);
        if (content != null) {
            x.writeCharacters(text(content));
            x.writeEndElement();
        }
    }

    /** "5.4 web Ensure that privileged containers are not used", as the table's line. */
    static String name(AuditResult r) {
        String title = r.title().isBlank() ? "" : " " + r.title();
        return r.checkId() + " " + Audits.where(r) + title;
    }

    private static String text(String s) {
        return Findings.xmlText(s);
    }
}
