package dev.bulwark.audit.file;

import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Severity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the results of one file's audit; {@link #sorted()} puts them in check order, then by line. */
final class Results {
    private record Entry(Check check, int line, int col, AuditResult result) {
    }

    private final String subject;
    private final List<Entry> entries = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    Results(String subject) {
        this.subject = subject;
    }

    String subject() {
        return subject;
    }

    /** A result at a line (0: the file as a whole) and column (0: none). */
    void add(Check c, AuditStatus status, Severity severity, int line, int col, String evidence, String fix) {
        String location = line > 0 ? subject + ":" + line + (col > 0 ? ":" + col : "") : subject;
        Severity sev = severity != null ? severity : c.severity;
        entries.add(new Entry(c, line, col, new AuditResult(c.id, c.title, sev, CisLevels.of(c.id), status, subject,
                location, evidence, status == AuditStatus.PASS ? "" : fix, c.references)));
    }

    void fail(Check c, int line, int col, String evidence, String fix) {
        add(c, AuditStatus.FAIL, null, line, col, evidence, fix);
    }

    void pass(Check c, int line, int col, String evidence) {
        add(c, AuditStatus.PASS, null, line, col, evidence, "");
    }

    void warning(String w) {
        warnings.add(w);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    List<AuditResult> sorted() {
        return entries.stream()
                .sorted(Comparator.comparingInt((Entry e) -> e.check().ordinal())
                        .thenComparingInt(Entry::line).thenComparingInt(Entry::col))
                .map(Entry::result).toList();
    }
}
