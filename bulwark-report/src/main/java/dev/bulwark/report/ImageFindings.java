package dev.bulwark.report;

import dev.bulwark.model.Digest;
import dev.bulwark.model.HygieneFinding;
import dev.bulwark.model.ImageEfficiency;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.SecretFinding;
import dev.bulwark.model.Severity;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the writers of a scan report share about secrets and hygiene problems: their wording, counts and where
 * they point. A secret is only ever shown as its redacted match.
 */
final class ImageFindings {
    private ImageFindings() {
    }

    /** "3 secrets (CRITICAL: 2, HIGH: 1)". */
    static String secretSummary(List<SecretFinding> secrets) {
        return count(secrets.size(), "secret", "secrets", secrets.stream().map(SecretFinding::severity).toList());
    }

    static String hygieneSummary(List<HygieneFinding> hygiene) {
        return count(hygiene.size(), "hygiene problem", "hygiene problems", hygiene.stream().map(HygieneFinding::severity).toList());
    }

    private static String count(int n, String one, String many, List<Severity> severities) {
        Map<Severity, Integer> by = new EnumMap<>(Severity.class);
        for (Severity s : severities) by.merge(s, 1, Integer::sum);
        String counts = by.entrySet().stream().sorted(Map.Entry.<Severity, Integer>comparingByKey().reversed())
                .map(e -> e.getKey().name() + ": " + e.getValue()).collect(Collectors.joining(", "));
        return n + " " + (n == 1 ? one : many) + (n == 0 ? "" : " (" + counts + ")");
    }

    /** "/root/.ssh/id_rsa:1", or "config:ENV X". */
    static String where(SecretFinding f) {
        return f.line() > 0 ? f.path() + ":" + f.line() : f.path();
    }

    /** "layer 3" (0-based, as the inventory numbers layers), or "" when unknown. */
    static String layer(Digest d, Inventory inv) {
        if (d == null || inv.image() == null) return "";
        for (LayerInfo l : inv.image().layers()) if (d.equals(l.diffId())) return "layer " + l.index();
        return d.hex().substring(0, Math.min(12, d.hex().length()));
    }

    /** "Private key (RSA) in /root/.ssh/id_rsa:1, layer 2 (deleted by a later layer): MIIE********". */
    static String message(SecretFinding f, Inventory inv) {
        StringBuilder sb = new StringBuilder(f.title()).append(" in ").append(where(f));
        String l = layer(f.layer(), inv);
        if (!l.isEmpty()) sb.append(", ").append(l);
        if (f.deletedLater()) sb.append(" (deleted by a later layer, still in the image)");
        return sb.append(": ").append(f.match()).toString();
    }

    static String message(HygieneFinding h) {
        return h.title() + ": " + h.subject() + (h.evidence().isEmpty() ? "" : " - " + h.evidence());
    }

    static String efficiency(ImageEfficiency e) {
        return String.format(Locale.ROOT, "efficiency %.1f%%: %s of %s in the layers is wasted (overwritten or deleted later); caches %s",
                e.score() * 100, bytes(e.wastedBytes()), bytes(e.totalBytes()), bytes(e.cacheBytes()));
    }

    static String bytes(long b) {
        if (b < 1024) return b + " B";
        if (b < 1 << 20) return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        if (b < 1L << 30) return String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0);
        return String.format(Locale.ROOT, "%.2f GiB", b / 1073741824.0);
    }

    /** Table lines for the secrets and hygiene sections; nothing when neither ran nor found anything. */
    static void tableLines(TableWriter t, ScanReport report, List<String> lines) {
        Inventory inv = report.inventory();
        if (!report.secrets().isEmpty()) {
            lines.add("");
            lines.add(t.style(TableWriter.TITLE, TableWriter.fit("Secrets", t.width)));
            lines.add(TableWriter.fit(secretSummary(report.secrets()), t.width));
            List<String> headers = List.of("SEVERITY", "RULE", "WHERE", "LAYER", "MATCH");
            List<String[]> rows = new ArrayList<>();
            for (SecretFinding f : report.secrets()) {
                String l = layer(f.layer(), inv).replace("layer ", "");
                rows.add(new String[]{f.severity().name(), TableWriter.clean(f.ruleId()), TableWriter.clean(where(f)),
                        f.deletedLater() ? l + " deleted" : l, TableWriter.clean(f.match())});
            }
            // the match is never cut (it is short by construction); paths give way first
            int[] w = t.columnWidths(headers, rows, new int[]{8, 14, 20, 9, 24});
            lines.add(t.style(TableWriter.BOLD, t.row(headers.toArray(String[]::new), w)));
            for (String[] r : rows) lines.add(t.row(r, w));
        }
        if (inv.efficiency() != null || !report.hygiene().isEmpty()) {
            lines.add("");
            lines.add(t.style(TableWriter.TITLE, TableWriter.fit("Image hygiene", t.width)));
            lines.add(TableWriter.fit(hygieneSummary(report.hygiene()), t.width));
            if (inv.efficiency() != null) lines.addAll(t.wrap(TableWriter.clean(efficiency(inv.efficiency())), "", "  "));
            if (!report.hygiene().isEmpty()) {
                List<String> headers = List.of("SEVERITY", "CHECK", "SUBJECT", "EVIDENCE");
                List<String[]> rows = new ArrayList<>();
                for (HygieneFinding h : report.hygiene())
                    rows.add(new String[]{h.severity().name(), TableWriter.clean(h.checkId()), TableWriter.clean(h.subject()), TableWriter.clean(h.evidence())});
                int[] w = t.columnWidths(headers, rows, new int[]{8, 10, 20, 20});
                lines.add(t.style(TableWriter.BOLD, t.row(headers.toArray(String[]::new), w)));
                for (String[] r : rows) lines.add(t.row(r, w));
            }
        }
    }
}
