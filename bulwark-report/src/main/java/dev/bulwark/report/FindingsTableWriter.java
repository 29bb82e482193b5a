package dev.bulwark.report;

import dev.bulwark.model.Finding;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.Severity;
import dev.bulwark.model.Suppression;
import dev.bulwark.model.VulnDbInfo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.bulwark.report.TableWriter.clean;
import static dev.bulwark.report.TableWriter.fit;
import static dev.bulwark.report.TableWriter.len;

/**
 * The human report of a scan, after Trivy's table: the inventory header plus the database used, an overall
 * summary line, then one table per ecosystem (OS packages first) with the findings in the report's order, then
 * what was suppressed, the KEV legend and the warnings. Every line fits the terminal width.
 * <p>
 * When the terminal leaves the TITLE column too little room to say anything, titles move to a line of their own
 * under their row, cut to the width.
 */
final class FindingsTableWriter {
    static final String KEV = "[KEV]";
    private static final List<String> HEADERS = List.of("PACKAGE", "VULNERABILITY", "SEVERITY", "STATUS", "INSTALLED", "FIXED");
    /**
     * Floors the columns shrink to (widest first) before the line is clipped: ids and severities keep their natural
     * width up to these, STATUS gives way first (FIXED says most of it), versions last.
     */
    private static final int[] FLOORS = {12, 20, 14, 5, 12, 12};
    private static final int SEVERITY_COLUMN = 2;
    private static final int STATUS_COLUMN = 3;
    /** Fewer columns than this for the titles and they go below their rows instead. */
    private static final int MIN_TITLE = 24;
    private static final String TITLE_INDENT = "    ";

    private final TableWriter t;

    FindingsTableWriter(ReportOptions opts) {
        this.t = new TableWriter(opts);
    }

    void write(ScanReport report, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        for (String line : lines(report)) {
            w.write(line);
            w.write('\n');
        }
        w.flush();
    }

    List<String> lines(ScanReport report) {
        Inventory inv = report.inventory();
        List<String> lines = new ArrayList<>();
        Map<PackageType, List<Package>> packages = PackageOrder.sorted(inv.packages()).stream()
                .collect(Collectors.groupingBy(Package::type, LinkedHashMap::new, Collectors.toList()));
        t.header(lines, inv, packages);
        if (report.db() != null) t.labelled(lines, "DB", db(report.db(), inv.scannedAt()));
        lines.add(t.style(TableWriter.BOLD, fit(Findings.summary(report.findings()), t.width)));

        if (report.findings().isEmpty()) {
            lines.add("");
            lines.add(fit("No vulnerabilities found.", t.width));
        }
        Map<PackageType, List<Finding>> groups = Findings.byType(report.findings());
        // one layout for the whole report: titles in a column only if every table leaves them room
        boolean inline = groups.values().stream().allMatch(g -> titles(g).stream().allMatch(String::isEmpty)
                || layout(rows(g), titles(g)).inline());
        groups.forEach((type, group) -> {
            lines.add("");
            lines.add(t.style(TableWriter.TITLE, fit(clean(Findings.groupTitle(type, inv.os())), t.width)));
            lines.add(fit(Findings.summary(group), t.width));
            table(lines, group, inline);
        });
        ImageFindings.tableLines(t, report, lines);

        List<String> notes = new ArrayList<>();
        long kev = report.findings().stream().filter(Finding::knownExploited).count();
        if (kev > 0) notes.add(KEV + ": " + kev + (kev == 1 ? " finding is" : " findings are")
                + " in CISA's Known Exploited Vulnerabilities catalog: fix " + (kev == 1 ? "it" : "them") + " first.");
        if (!report.suppressed().isEmpty()) notes.add(suppressedNote(report.suppressed()));
        if (!notes.isEmpty()) {
            lines.add("");
            for (String n : notes) lines.addAll(t.wrap(clean(n), "", "  "));
        }

        List<String> warnings = new ArrayList<>(inv.warnings());
        warnings.addAll(report.warnings());
        if (!warnings.isEmpty()) {
            lines.add("");
            lines.add(t.style(TableWriter.WARN, fit("Warnings (" + warnings.size() + ")", t.width)));
            for (String warning : warnings) lines.addAll(t.wrap(clean(warning), "  - ", "    "));
        }
        return lines;
    }

    private static List<String[]> rows(List<Finding> group) {
        List<String[]> rows = new ArrayList<>();
        for (Finding f : group) {
            rows.add(new String[]{clean(f.pkg().name()), clean(f.id()),
                    f.severity().name() + (f.knownExploited() ? " " + KEV : ""), f.status().label(),
                    clean(f.pkg().version()), clean(Findings.fixed(f))});
        }
        return rows;
    }

    private static List<String> titles(List<Finding> group) {
        return group.stream().map(f -> clean(f.title())).toList();
    }

    /** Column widths, and the TITLE column's width when titles go in a column (0 when they go below the rows). */
    private record Layout(int[] widths, int title) {
        boolean inline() {
            return title > 0;
        }
    }

    private Layout layout(List<String[]> rows, List<String> titles) {
        int room = t.width;
        int[] widths = widths(rows, room);
        long used = (long) TableWriter.GAP * (HEADERS.size() - 1);
        for (int w : widths) used += w;
        int titleWidth = len("TITLE");
        for (String title : titles) titleWidth = Math.max(titleWidth, len(title));
        long left = room == Integer.MAX_VALUE ? titleWidth : room - used - TableWriter.GAP;
        return new Layout(widths, left >= Math.min(MIN_TITLE, titleWidth) ? (int) Math.min(left, titleWidth) : 0);
    }

    /** Natural widths; then STATUS gives way first, then the widest column above its floor, one column at a time. */
    private static int[] widths(List<String[]> rows, int room) {
        int[] floors = FLOORS.clone();
        int[] w = TableWriter.columnWidths(HEADERS, rows, floors, Integer.MAX_VALUE); // also turns floors into effective ones
        long total = (long) TableWriter.GAP * (w.length - 1);
        for (int x : w) total += x;
        if (total <= room) return w;
        int give = (int) Math.min(total - room, w[STATUS_COLUMN] - floors[STATUS_COLUMN]);
        w[STATUS_COLUMN] -= give;
        total -= give;
        while (total > room) {
            int widest = -1;
            for (int i = 0; i < w.length; i++) {
                if (w[i] > floors[i] && (widest < 0 || w[i] > w[widest])) widest = i;
            }
            if (widest < 0) break; // narrower than the floors: the row is clipped
            w[widest]--;
            total--;
        }
        return w;
    }

    private void table(List<String> lines, List<Finding> group, boolean titlesInline) {
        List<String[]> rows = rows(group);
        List<String> titles = titles(group);
        Layout layout = layout(rows, titles);
        boolean anyTitle = titles.stream().anyMatch(s -> !s.isEmpty());
        boolean inline = anyTitle && titlesInline;
        List<String> headers = new ArrayList<>(HEADERS);
        int[] all = layout.widths();
        if (inline) {
            headers.add("TITLE");
            all = Arrays.copyOf(all, all.length + 1);
            all[all.length - 1] = layout.title();
        }
        lines.add(t.style(TableWriter.BOLD, t.row(headers.toArray(String[]::new), all)));
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            if (inline) {
                r = Arrays.copyOf(r, r.length + 1);
                r[r.length - 1] = titles.get(i);
            }
            lines.add(colourSeverity(t.row(r, all), all, group.get(i).severity()));
            if (anyTitle && !inline && !titles.get(i).isEmpty()) lines.add(fit(TITLE_INDENT + titles.get(i), t.width));
        }
    }

    /** Colours the SEVERITY cell after the row was fitted, so escape codes never count towards the width. */
    private String colourSeverity(String line, int[] widths, Severity severity) {
        String code = switch (severity) {
            case CRITICAL -> "\u001b[1;31m";
            case HIGH -> "\u001b[31m";
            case MEDIUM -> "\u001b[33m";
            case LOW -> "\u001b[34m";
            default -> null;
        };
        if (code == null || !t.color()) return line;
        int start = 0;
        for (int i = 0; i < SEVERITY_COLUMN; i++) start += widths[i] + TableWriter.GAP;
        if (len(line) <= start) return line; // clipped before the cell
        int from = line.offsetByCodePoints(0, start);
        int end = from;
        while (end < line.length() && line.charAt(end) != ' ') end++;
        return line.substring(0, from) + t.style(code, line.substring(from, end)) + line.substring(end);
    }

    private static String suppressedNote(List<Suppression> suppressed) {
        Map<String, Integer> by = new LinkedHashMap<>();
        for (Suppression s : suppressed) by.merge(s.by() == null || s.by().isBlank() ? "unknown" : s.by(), 1, Integer::sum);
        String counts = by.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return "Suppressed: " + suppressed.size() + (suppressed.size() == 1 ? " finding" : " findings") + " (" + counts
                + "), not counted above; the JSON, SARIF, CycloneDX and HTML reports list them.";
    }

    /** "built 2024-05-01T06:00:00Z (1 day before the scan); sources: debian, osv-go, kev". */
    static String db(VulnDbInfo db, Instant scannedAt) {
        StringBuilder sb = new StringBuilder();
        if (db.builtAt() == null) {
            sb.append("build time unknown");
        } else {
            sb.append("built ").append(Sboms.iso(db.builtAt()));
            if (scannedAt != null) {
                Duration d = Duration.between(db.builtAt(), scannedAt);
                sb.append(" (").append(human(d.abs())).append(d.isNegative() ? " after" : " before").append(" the scan)");
            }
        }
        String sources = db.sources().stream().map(VulnDbInfo.Source::name).collect(Collectors.joining(", "));
        if (!sources.isEmpty()) sb.append("; sources: ").append(sources);
        return sb.toString();
    }

    static String human(Duration d) {
        long days = d.toDays();
        if (days >= 1) return days + (days == 1 ? " day" : " days");
        long hours = d.toHours();
        if (hours >= 1) return hours + (hours == 1 ? " hour" : " hours");
        long minutes = d.toMinutes();
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }
}
