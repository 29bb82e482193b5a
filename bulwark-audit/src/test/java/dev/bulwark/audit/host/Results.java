package dev.bulwark.audit.host;

import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;

import java.util.List;
import java.util.stream.Collectors;

/** Finding results in a report, with messages that show what was there instead. */
final class Results {
    private Results() {
    }

    static List<AuditResult> of(AuditReport r, String id) {
        return r.results().stream().filter(x -> x.checkId().equals(id)).toList();
    }

    static AuditResult one(AuditReport r, String id, String subject) {
        List<AuditResult> hits = r.results().stream()
            .filter(x -> x.checkId().equals(id) && x.subject().equals(subject)).toList();
        if (hits.size() != 1) {
            throw new AssertionError("expected one result of " + id + " on '" + subject + "', got " + hits.size()
                + "; results of " + id + ": " + describe(of(r, id)));
        }
        return hits.getFirst();
    }

    static AuditStatus status(AuditReport r, String id, String subject) {
        return one(r, id, subject).status();
    }

    static String describe(List<AuditResult> rs) {
        return rs.stream().map(x -> x.subject() + "=" + x.status() + " (" + x.evidence() + ")")
            .collect(Collectors.joining("; "));
    }

    /** Fails with every result of the check when one of {@code subject}'s isn't {@code expected}. */
    static AuditResult expect(AuditReport r, String id, String subject, AuditStatus expected) {
        AuditResult x = one(r, id, subject);
        if (x.status() != expected) {
            throw new AssertionError(id + " on '" + subject + "': expected " + expected + " but was " + x.status()
                + " — evidence: " + x.evidence() + " — fix: " + x.fix());
        }
        if (expected == AuditStatus.FAIL && x.fix().isBlank()) {
            throw new AssertionError(id + " on '" + subject + "' is WARN without a fix");
        }
        return x;
    }
}
