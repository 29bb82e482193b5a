package dev.bulwark.harden.imagetest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** The three renderings of an {@link ImageTestReport}: a table for people, JSON for tools, JUnit XML for CI systems. */
public final class ImageTestWriters {
    private ImageTestWriters() {}

    /** One line per test; failures and errors followed by what was expected and what was found. */
    public static void table(ImageTestReport r, Writer w) {
        PrintWriter out = new PrintWriter(w);
        out.println("Image: " + r.image() + (r.imageId().isEmpty() ? "" : " (" + r.imageId() + ")"));
        out.println("Spec:  " + r.spec());
        out.println();
        int kindW = 8;
        int nameW = Math.min(60, Math.max(4, r.results().stream().mapToInt(x -> x.name().length()).max().orElse(4)));
        out.printf("%-6s  %-" + kindW + "s  %-" + nameW + "s  %s%n", "RESULT", "KIND", "TEST", "WHERE");
        for (TestResult t : r.results()) {
            String name = t.name().length() > nameW ? t.name().substring(0, nameW - 3) + "..." : t.name();
            out.printf("%-6s  %-" + kindW + "s  %-" + nameW + "s  %s%n", t.status(), t.kind(), clean(name), t.location());
            if (t.status() == TestResult.Status.FAIL) {
                for (TestResult.Mismatch m : t.mismatches()) {
                    out.println("        " + clean(m.what()) + ": expected " + clean(m.expected()));
                    out.println("        " + " ".repeat(m.what().length()) + "  found    " + clean(m.found()));
                }
                if (!t.output().isEmpty()) for (String line : t.output().split("\n", -1)) out.println("        | " + clean(line));
            } else if (t.status() == TestResult.Status.ERROR) {
                out.println("        " + clean(t.message()));
            }
        }
        out.println();
        out.printf("%d tests: %d passed, %d failed, %d errors (%.1f s)%n", r.results().size(), r.count(TestResult.Status.PASS),
                r.count(TestResult.Status.FAIL), r.count(TestResult.Status.ERROR), r.duration().toMillis() / 1000.0);
        out.flush();
    }

    public static void json(ImageTestReport r, OutputStream os) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(os).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeStringField("image", r.image());
            g.writeStringField("imageId", r.imageId());
            g.writeStringField("spec", r.spec());
            g.writeStringField("started", r.started().toString());
            g.writeNumberField("durationMs", r.duration().toMillis());
            g.writeBooleanField("passed", r.passed());
            g.writeObjectFieldStart("summary");
            g.writeNumberField("tests", r.results().size());
            for (TestResult.Status s : TestResult.Status.values()) g.writeNumberField(s.name().toLowerCase(Locale.ROOT), r.count(s));
            g.writeEndObject();
            g.writeArrayFieldStart("results");
            for (TestResult t : r.results()) {
                g.writeStartObject();
                g.writeStringField("kind", t.kind());
                g.writeStringField("name", t.name());
                g.writeStringField("location", t.location());
                g.writeStringField("status", t.status().name());
                g.writeNumberField("durationMs", t.duration().toMillis());
                g.writeArrayFieldStart("mismatches");
                for (TestResult.Mismatch m : t.mismatches()) {
                    g.writeStartObject();
                    g.writeStringField("what", m.what());
                    g.writeStringField("expected", m.expected());
                    g.writeStringField("found", m.found());
                    g.writeEndObject();
                }
                g.writeEndArray();
                if (!t.message().isEmpty()) g.writeStringField("message", t.message());
                if (!t.output().isEmpty()) g.writeStringField("output", t.output());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /**
     * JUnit XML as Jenkins, GitLab and GitHub test reporters read it: one testsuite per kind, a testcase per test,
     * {@code <failure>} for a broken promise (message: expected vs found), {@code <error>} for a test that could not run.
     */
    public static void junit(ImageTestReport r, OutputStream os) throws IOException {
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(os, "UTF-8");
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "bulwark test " + xml(r.image()));
            x.writeAttribute("tests", Integer.toString(r.results().size()));
            x.writeAttribute("failures", Long.toString(r.count(TestResult.Status.FAIL)));
            x.writeAttribute("errors", Long.toString(r.count(TestResult.Status.ERROR)));
            x.writeAttribute("time", seconds(r.duration().toMillis()));
            x.writeCharacters("\n");
            for (String kind : List.of("command", "file", "metadata", "licence", "gate")) {
                List<TestResult> of = r.results().stream().filter(t -> t.kind().equals(kind)).toList();
                if (of.isEmpty()) continue;
                x.writeStartElement("testsuite");
                x.writeAttribute("name", kind);
                x.writeAttribute("tests", Integer.toString(of.size()));
                x.writeAttribute("failures", Long.toString(of.stream().filter(t -> t.status() == TestResult.Status.FAIL).count()));
                x.writeAttribute("errors", Long.toString(of.stream().filter(t -> t.status() == TestResult.Status.ERROR).count()));
                x.writeAttribute("skipped", "0");
                x.writeAttribute("time", seconds(of.stream().mapToLong(t -> t.duration().toMillis()).sum()));
                x.writeAttribute("timestamp", r.started().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().replace("Z", ""));
                x.writeCharacters("\n");
                for (TestResult t : of) {
                    x.writeStartElement("testcase");
                    x.writeAttribute("classname", "bulwark.imagetest." + kind);
                    x.writeAttribute("name", xml(t.name()));
                    x.writeAttribute("file", xml(t.location()));
                    x.writeAttribute("time", seconds(t.duration().toMillis()));
                    if (t.status() == TestResult.Status.FAIL) {
                        x.writeStartElement("failure");
                        x.writeAttribute("message", xml(t.summary()));
                        x.writeAttribute("type", "ImageTestFailure");
                        StringBuilder b = new StringBuilder();
                        for (TestResult.Mismatch m : t.mismatches()) b.append(m.what()).append("\n  expected: ").append(m.expected()).append("\n  found:    ").append(m.found()).append('\n');
                        b.append("at ").append(t.location());
                        x.writeCharacters(xml(b.toString()));
                        x.writeEndElement();
                        if (!t.output().isEmpty()) {
                            x.writeStartElement("system-out");
                            x.writeCharacters(xml(t.output()));
                            x.writeEndElement();
                        }
                    } else if (t.status() == TestResult.Status.ERROR) {
                        x.writeStartElement("error");
                        x.writeAttribute("message", xml(t.message()));
                        x.writeAttribute("type", "ImageTestError");
                        x.writeEndElement();
                    }
                    x.writeEndElement();
                    x.writeCharacters("\n");
                }
                x.writeEndElement();
                x.writeCharacters("\n");
            }
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.flush();
            x.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write JUnit XML: " + e.getMessage(), e);
        }
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    /** XML 1.0 cannot carry most control characters, not even escaped: they become U+FFFD. */
    static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            b.appendCodePoint(ok ? c : 0xFFFD);
        });
        return b.toString();
    }

    /** Control characters from the image or its output cannot drive the terminal. */
    static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) b.append(c < 0x20 && c != '\t' || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        return b.toString();
    }
}
