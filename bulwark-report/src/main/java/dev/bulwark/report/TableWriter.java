package dev.bulwark.report;

import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.SourcePackage;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The human report: a header about the image, one table per ecosystem (OS packages first), then warnings. Every
 * line fits the terminal width; cells that do not fit end in an ellipsis.
 * <p>
 * Width is counted in code points: East Asian wide characters take two columns and can still push a line over.
 */
final class TableWriter {
    private static final String ELLIPSIS = "\u2026";
    static final int GAP = 2;
    static final String BOLD = "\u001b[1m";
    static final String TITLE = "\u001b[1;36m";
    static final String WARN = "\u001b[1;33m";
    static final String RESET = "\u001b[0m";

    final int width;
    private final boolean color;

    TableWriter(ReportOptions opts) {
        this.width = opts.width() <= 0 ? Integer.MAX_VALUE : opts.width();
        this.color = opts.color();
    }

    boolean color() {
        return color;
    }

    void write(Inventory inv, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        for (String line : lines(inv)) {
            w.write(line);
            w.write('\n');
        }
        w.flush();
    }

    List<String> lines(Inventory inv) {
        List<String> lines = new ArrayList<>();
        List<Package> packages = PackageOrder.sorted(inv.packages());
        Map<PackageType, List<Package>> groups = packages.stream()
                .collect(Collectors.groupingBy(Package::type, LinkedHashMap::new, Collectors.toList()));

        header(lines, inv, groups);
        if (packages.isEmpty()) {
            lines.add("");
            lines.add(fit("No packages found.", width));
        }
        groups.forEach((type, group) -> {
            lines.add("");
            lines.add(style(TITLE, fit(type.purlType() + " packages (" + group.size() + ")", width)));
            table(lines, group);
        });
        if (!inv.warnings().isEmpty()) {
            lines.add("");
            lines.add(style(WARN, fit("Warnings (" + inv.warnings().size() + ")", width)));
            for (String warning : inv.warnings()) lines.addAll(wrap(clean(warning), "  - ", "    "));
        }
        return lines;
    }

    void header(List<String> lines, Inventory inv, Map<PackageType, List<Package>> groups) {
        ImageInfo image = inv.image();
        String target = image == null || image.target() == null ? "-" : image.target();
        String id = image == null || image.imageId() == null ? "-" : image.imageId().shortHex();
        if (image != null && image.platform() != null) id += "  " + image.platform();
        String counts = groups.entrySet().stream()
                .map(e -> e.getKey().purlType() + " " + e.getValue().size())
                .collect(Collectors.joining(", "));
        labelled(lines, "Target", target);
        labelled(lines, "Image", id);
        labelled(lines, "OS", Findings.osName(inv.os()));
        labelled(lines, "Layers", String.valueOf(image == null ? 0 : image.layers().size()));
        labelled(lines, "Packages", inv.packages().size() + (counts.isEmpty() ? "" : " (" + counts + ")"));
    }

    void labelled(List<String> lines, String label, String value) {
        String key = String.format("%-10s", label + ":");
        String line = fit(key + clean(value), width);
        // colour only the label, after fitting, so escape codes never count towards the width
        lines.add(line.length() > key.length() ? style(BOLD, key) + line.substring(key.length()) : style(BOLD, line));
    }

    private void table(List<String> lines, List<Package> group) {
        boolean showSource = group.stream().anyMatch(p -> !source(p).isEmpty());
        List<String> headers = showSource ? List.of("NAME", "VERSION", "SOURCE", "LICENSE") : List.of("NAME", "VERSION", "LICENSE");
        int[] least = showSource ? new int[]{12, 8, 8, 7} : new int[]{12, 8, 7};
        List<String[]> rows = new ArrayList<>();
        for (Package p : group) {
            String licence = String.join(", ", p.licenses());
            rows.add(showSource
                    ? new String[]{clean(p.name()), clean(p.version()), clean(source(p)), clean(licence)}
                    : new String[]{clean(p.name()), clean(p.version()), clean(licence)});
        }
        int[] widths = columnWidths(headers, rows, least);
        lines.add(style(BOLD, row(headers.toArray(String[]::new), widths)));
        for (String[] r : rows) lines.add(row(r, widths));
    }

    /** The source package when it tells something the row does not: another name, or another version. */
    private static String source(Package p) {
        SourcePackage s = p.source();
        if (s == null || s.name() == null || s.name().isBlank()) return "";
        boolean otherVersion = s.version() != null && !s.version().isBlank() && !s.version().equals(p.version());
        if (s.name().equals(p.name())) return otherVersion ? "(" + s.version() + ")" : "";
        return otherVersion ? s.name() + " (" + s.version() + ")" : s.name();
    }

    /**
     * Natural widths, then the widest column gives up one column at a time until the row fits, no column going
     * below its floor (or its natural width, if smaller). Narrow terminals may still overflow: {@link #row} clips.
     */
    int[] columnWidths(List<String> headers, List<String[]> rows, int[] least) {
        return columnWidths(headers, rows, least, width);
    }

    /** As {@link #columnWidths(List, List, int[])}, fitting the columns into {@code room} columns. */
    static int[] columnWidths(List<String> headers, List<String[]> rows, int[] least, int room) {
        int n = headers.size();
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = len(headers.get(i));
            for (String[] r : rows) w[i] = Math.max(w[i], len(r[i]));
            least[i] = Math.min(w[i], Math.max(least[i], len(headers.get(i))));
        }
        long total = (long) GAP * (n - 1);
        for (int x : w) total += x;
        while (total > room) {
            int widest = -1;
            for (int i = 0; i < n; i++) {
                if (w[i] > least[i] && (widest < 0 || w[i] > w[widest])) widest = i;
            }
            if (widest < 0) break;
            w[widest]--;
            total--;
        }
        return w;
    }

    String row(String[] cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String cell = fit(cells[i], widths[i]);
            sb.append(cell);
            if (i < cells.length - 1) sb.append(" ".repeat(widths[i] - len(cell) + GAP));
        }
        return fit(sb.toString().stripTrailing(), width);
    }

    /** Word-wraps {@code text}; words longer than a line are broken. */
    List<String> wrap(String text, String first, String rest) {
        List<String> out = new ArrayList<>();
        String prefix = first;
        int room = Math.max(1, width == Integer.MAX_VALUE ? Integer.MAX_VALUE : width - len(first));
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ", -1)) {
            while (len(word) > room) { // a path longer than the line: break it where it must
                if (!line.isEmpty()) {
                    out.add(prefix + line);
                    prefix = rest;
                    line.setLength(0);
                }
                int cut = word.offsetByCodePoints(0, room);
                out.add(prefix + word.substring(0, cut));
                prefix = rest;
                word = word.substring(cut);
            }
            if (!line.isEmpty() && len(line) + 1 + len(word) > room) {
                out.add(prefix + line);
                prefix = rest;
                line.setLength(0);
            }
            if (!line.isEmpty()) line.append(' ');
            line.append(word);
        }
        if (!line.isEmpty() || out.isEmpty()) out.add(prefix + line);
        return out.stream().map(l -> fit(l.stripTrailing(), width)).toList();
    }

    /** Cuts to {@code w} code points, the last one an ellipsis when something was cut. */
    static String fit(String s, int w) {
        if (len(s) <= w) return s;
        if (w <= 0) return "";
        return s.substring(0, s.offsetByCodePoints(0, w - 1)) + ELLIPSIS;
    }

    /**
     * Image content is untrusted: a package name with escape sequences or bidi overrides must not be able to
     * rewrite the user's terminal. Line breaks and tabs become spaces, other control and format characters '?'.
     */
    static String clean(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (cp == '\t' || cp == '\n' || cp == '\r' || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                sb.append(' ');
            } else if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE) {
                sb.append('?');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    String style(String code, String text) {
        return color && !text.isEmpty() ? code + text + RESET : text;
    }

    static int len(CharSequence s) {
        return Character.codePointCount(s, 0, s.length());
    }
}
