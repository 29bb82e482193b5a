package dev.bulwark.report;

import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.bulwark.report.TableWriter.clean;
import static dev.bulwark.report.TableWriter.fit;
import static dev.bulwark.report.TableWriter.len;

/**
 * The human report of an audit, after docker-bench-security's output but tighter: a short header, then per section
 * (host audits) or per file (file audits) one line per result, {@code [FAIL] 5.4 web Ensure that privileged ...},
 * with the evidence and the fix indented under the results that need them; then the totals, the score and the
 * warnings. Every line fits the terminal width: result lines are cut, evidence and fixes word-wrapped (a fix keeps
 * its line breaks and indentation, so YAML snippets stay YAML).
 */
final class AuditTableWriter {
    /** Evidence and fix lines start under the check id of "[FAIL] ". */
    static final String INDENT = "       ";
    static final String FIX = "fix: ";

    private final TableWriter t;
    private final boolean quiet;

    AuditTableWriter(ReportOptions opts) {
        this.t = new TableWriter(opts);
        this.quiet = opts.quiet();
    }

    void write(AuditReport report, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        for (String line : lines(report)) {
            w.write(line);
            w.write('\n');
        }
        w.flush();
    }

    List<String> lines(AuditReport report) {
        List<String> lines = new ArrayList<>();
        t.labelled(lines, "Target", report.target() == null || report.target().isBlank() ? "-" : report.target());
        if (report.auditedAt() != null) t.labelled(lines, "Audited", Sboms.iso(report.auditedAt()));
        if (report.tool() != null && !report.tool().isBlank()) t.labelled(lines, "Tool", report.tool());

        if (report.results().isEmpty()) {
            lines.add("");
            lines.add(fit("No checks ran.", t.width));
        }
        for (Audits.Group g : Audits.groups(report)) {
            lines.add("");
            // a score per section, as the CIS benchmark's own reports give it
            Integer sectionScore = Audits.score(g.results());
            lines.add(t.style(TableWriter.TITLE, fit(clean(g.title()) + " (" + Audits.nonZero(g.results())
                    + (sectionScore == null ? "" : "; score " + sectionScore + "%") + ")", t.width)));
            for (AuditResult r : g.results()) {
                if (quiet && r.status() == AuditStatus.PASS) continue;
                result(lines, r);
            }
        }

        lines.add("");
        lines.add(t.style(TableWriter.BOLD, fit(Audits.summary(report.results()), t.width)));
        lines.add(t.style(TableWriter.BOLD, fit(Audits.scoreLine(report.results()), t.width)));
        if (quiet) lines.add(fit("PASS results are not listed (quiet).", t.width));

        if (!report.warnings().isEmpty()) {
            lines.add("");
            lines.add(t.style(TableWriter.WARN, fit("Warnings (" + report.warnings().size() + ")", t.width)));
            for (String warning : report.warnings()) lines.addAll(t.wrap(clean(warning), "  - ", "    "));
        }
        return lines;
    }

    /**
     * One line for the result; then, for FAIL, WARN, MANUAL and ERROR, the evidence; then, for FAIL, WARN and MANUAL,
     * the fix. PASS and INFO get the one line (their evidence is in the other formats).
     */
    private void result(List<String> lines, AuditResult r) {
        String tag = tag(r.status());
        String title = r.title().isBlank() ? "" : " " + clean(r.title());
        String line = fit(tag + " " + clean(r.checkId()) + " " + clean(Audits.where(r)) + title, t.width);
        lines.add(colourTag(line, tag, r.status()));
        boolean fixable = r.status() == AuditStatus.FAIL || r.status() == AuditStatus.WARN || r.status() == AuditStatus.MANUAL;
        boolean detailed = fixable || r.status() == AuditStatus.ERROR;
        if (detailed && !r.evidence().isBlank()) lines.addAll(block(r.evidence(), INDENT, INDENT));
        if (fixable && !r.fix().isBlank()) lines.addAll(block(r.fix(), INDENT + FIX, INDENT + " ".repeat(FIX.length())));
    }

    /**
     * Text of several lines, each word-wrapped; the first gets {@code first}, the rest {@code rest}, and each keeps
     * its own leading blanks (capped, so that a deeply indented snippet still has room on a narrow terminal). Blank
     * lines are dropped.
     */
    private List<String> block(String text, String first, String rest) {
        List<String> out = new ArrayList<>();
        boolean firstLine = true;
        int maxLead = t.width == Integer.MAX_VALUE ? Integer.MAX_VALUE : Math.max(0, (t.width - len(rest)) / 2);
        for (String raw : text.strip().split("\r\n|\r|\n")) {
            String cleaned = clean(raw).stripTrailing();
            if (cleaned.isBlank()) continue;
            int lead = 0;
            while (lead < cleaned.length() && cleaned.charAt(lead) == ' ') lead++;
            String pad = " ".repeat(Math.min(lead, maxLead));
            String body = cleaned.substring(lead);
            out.addAll(t.wrap(body, (firstLine ? first : rest) + pad, rest + pad));
            firstLine = false;
        }
        return out;
    }

    static String tag(AuditStatus s) {
        return "[" + s.name() + "]";
    }

    /** Colours the tag after the line was fitted, so escape codes never count towards the width. */
    private String colourTag(String line, String tag, AuditStatus s) {
        if (!t.color() || !line.startsWith(tag)) return line;
        String code = switch (s) {
            case FAIL -> "\u001b[1;31m";
            case PASS -> "\u001b[1;32m";
            case WARN -> "\u001b[1;33m";
            case MANUAL -> "\u001b[1;34m";
            case INFO -> "\u001b[2m";
            case ERROR -> "\u001b[1;35m";
        };
        return t.style(code, tag) + line.substring(tag.length());
    }
}
