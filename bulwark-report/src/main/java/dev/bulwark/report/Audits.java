package dev.bulwark.report;

import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the audit reports (table, SARIF, JUnit, HTML) share: host or file audit, groups, counts, the score and where a
 * result is. docs/report-audit.md describes the rules.
 */
final class Audits {
    /** The order statuses are counted and listed in: docker-bench-security's summary order, then MANUAL and ERROR. */
    static final List<AuditStatus> STATUSES = List.of(AuditStatus.FAIL, AuditStatus.PASS, AuditStatus.WARN,
            AuditStatus.MANUAL, AuditStatus.INFO, AuditStatus.ERROR);
    /** HostAuditor names its target "docker:" + the daemon's address; file audits name the file. */
    static final String HOST_TARGET = "docker:";
    /** A CIS section number as an id: "5", "5.4", "1.1.4". */
    private static final Pattern CIS_ID = Pattern.compile("([1-7])(?:\\.[0-9]+)*");
    /** "CIS Docker Benchmark v1.6.0 4.9", "CIS Docker Benchmark v1.8.0 2.7". */
    private static final Pattern CIS_REFERENCE = Pattern.compile("CIS Docker Benchmark v[0-9.]+ ([1-7])(?:\\.[0-9]+)*");
    private static final Pattern LINE_COL = Pattern.compile("([0-9]{1,9})(?::([0-9]{1,9}))?");
    private static final Pattern TRAILING_LINE_COL = Pattern.compile("(.+?):([0-9]{1,9})(?::([0-9]{1,9}))?");

    private Audits() {
    }

    /** A host audit ({@code bulwark audit docker}) rather than a file audit: its target starts with "docker:". */
    static boolean isHostAudit(AuditReport r) {
        return r.target() != null && r.target().startsWith(HOST_TARGET);
    }

    /**
     * The CIS Docker Benchmark section (1 to 7) a check belongs to: from its id ("5.4" is in section 5), else from its
     * first CIS reference ("DOCKER-DEVICEMAPPER" refers to "CIS Docker Benchmark v1.8.0 2.7"); 0 when neither says.
     */
    static int section(AuditResult r) {
        Matcher m = CIS_ID.matcher(r.checkId());
        if (m.matches()) return Integer.parseInt(m.group(1));
        for (String ref : r.references()) {
            Matcher c = CIS_REFERENCE.matcher(ref.strip());
            if (c.matches()) return Integer.parseInt(c.group(1));
        }
        return 0;
    }

    /** The benchmark's name for a section (as docker-bench-security prints it); "Other checks" for 0. */
    static String sectionName(int section) {
        return switch (section) {
            case 1 -> "Host Configuration";
            case 2 -> "Docker daemon configuration";
            case 3 -> "Docker daemon configuration files";
            case 4 -> "Container Images and Build File";
            case 5 -> "Container Runtime";
            case 6 -> "Docker Security Operations";
            case 7 -> "Docker Swarm Configuration";
            default -> "Other checks";
        };
    }

    /** "5 Container Runtime", or "Other checks". */
    static String sectionTitle(int section) {
        return section >= 1 && section <= 7 ? section + " " + sectionName(section) : sectionName(section);
    }

    /** One group of results: a benchmark section (host audits) or a file (file audits). */
    record Group(String title, List<AuditResult> results) {
    }

    /**
     * The results grouped the way every grouped format shows them, each group keeping the report's order: host audits
     * by section (1 to 7, then checks of no section), file audits by file (the result's subject) in order of first
     * appearance.
     */
    static List<Group> groups(AuditReport report) {
        List<Group> out = new ArrayList<>();
        if (isHostAudit(report)) {
            Map<Integer, List<AuditResult>> bySection = new TreeMap<>((a, b) -> Integer.compare(a == 0 ? 99 : a, b == 0 ? 99 : b));
            for (AuditResult r : report.results()) bySection.computeIfAbsent(section(r), s -> new ArrayList<>()).add(r);
            bySection.forEach((s, rs) -> out.add(new Group(sectionTitle(s), List.copyOf(rs))));
        } else {
            Map<String, List<AuditResult>> byFile = new LinkedHashMap<>();
            for (AuditResult r : report.results()) byFile.computeIfAbsent(file(report, r), f -> new ArrayList<>()).add(r);
            byFile.forEach((f, rs) -> out.add(new Group(f, List.copyOf(rs))));
        }
        return out;
    }

    /** The file a file-audit result is about: its subject, else the report's target. */
    static String file(AuditReport report, AuditResult r) {
        if (!r.subject().isBlank()) return r.subject();
        return report.target() == null || report.target().isBlank() ? "(no file)" : report.target();
    }

    /** Counts per status, every status present (zero when none), in {@link #STATUSES} order. */
    static Map<AuditStatus, Integer> count(List<AuditResult> results) {
        Map<AuditStatus, Integer> counts = new EnumMap<>(AuditStatus.class);
        for (AuditStatus s : AuditStatus.values()) counts.put(s, 0);
        for (AuditResult r : results) counts.merge(r.status(), 1, Integer::sum);
        Map<AuditStatus, Integer> ordered = new LinkedHashMap<>();
        for (AuditStatus s : STATUSES) ordered.put(s, counts.get(s));
        return ordered;
    }

    /** "Checks: 12, FAIL 4, PASS 5, WARN 1, MANUAL 1, INFO 1, ERROR 0": one per result (a check on one subject). */
    static String summary(List<AuditResult> results) {
        StringBuilder sb = new StringBuilder("Checks: ").append(results.size());
        count(results).forEach((s, n) -> sb.append(", ").append(s.name()).append(' ').append(n));
        return sb.toString();
    }

    /** "FAIL 2, PASS 3": the statuses that occur, in {@link #STATUSES} order. */
    static String nonZero(List<AuditResult> results) {
        StringBuilder sb = new StringBuilder();
        count(results).forEach((s, n) -> {
            if (n == 0) return;
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(s.name()).append(' ').append(n);
        });
        return sb.toString();
    }

    /** PASS / (PASS + FAIL) as a whole percentage (rounded half up), or null when nothing passed or failed. */
    static Integer score(List<AuditResult> results) {
        Map<AuditStatus, Integer> c = count(results);
        int pass = c.get(AuditStatus.PASS);
        int scored = pass + c.get(AuditStatus.FAIL);
        return scored == 0 ? null : Math.round(100f * pass / scored);
    }

    /** "Score: 56% (5 PASS of 9 PASS or FAIL)", or "Score: n/a (no PASS or FAIL)". */
    static String scoreLine(List<AuditResult> results) {
        Integer score = score(results);
        if (score == null) return "Score: n/a (no PASS or FAIL)";
        Map<AuditStatus, Integer> c = count(results);
        int pass = c.get(AuditStatus.PASS);
        return "Score: " + score + "% (" + pass + " PASS of " + (pass + c.get(AuditStatus.FAIL)) + " PASS or FAIL)";
    }

    /**
     * Where a result is, in one word: the location when it names a place in the subject's file ("Dockerfile:12",
     * "compose.yaml:7:5"), else the subject ("daemon", a container name), else the location, else "-".
     */
    static String where(AuditResult r) {
        String loc = r.location();
        if (!r.subject().isEmpty() && loc.startsWith(r.subject() + ":")
                && LINE_COL.matcher(loc.substring(r.subject().length() + 1)).matches()) {
            return loc;
        }
        if (!r.subject().isBlank()) return r.subject();
        return loc.isBlank() ? "-" : loc;
    }

    /** A place in a file: the path, and line and column from 1 (0 when not known). */
    record Position(String path, int line, int column) {
    }

    /**
     * The file position of a file-audit result: "path:line[:col]" split (the subject's name taken whole when the
     * location starts with it, so that a path with colons is not cut), a location without line as the whole file, or
     * the file itself when there is no location.
     */
    static Position position(AuditReport report, AuditResult r) {
        String loc = r.location();
        String subject = r.subject();
        if (!subject.isEmpty() && loc.startsWith(subject + ":")) {
            Matcher m = LINE_COL.matcher(loc.substring(subject.length() + 1));
            if (m.matches()) return new Position(subject, number(m.group(1)), number(m.group(2)));
        }
        if (!loc.isBlank()) {
            Matcher m = TRAILING_LINE_COL.matcher(loc);
            if (!loc.equals(subject) && m.matches()) {
                return new Position(m.group(1), number(m.group(2)), number(m.group(3)));
            }
            return new Position(loc, 0, 0);
        }
        return new Position(file(report, r), 0, 0);
    }

    private static int number(String s) {
        return s == null ? 0 : Integer.parseInt(s);
    }

    /** "fail" for CSS classes and data attributes. */
    static String lower(AuditStatus s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
