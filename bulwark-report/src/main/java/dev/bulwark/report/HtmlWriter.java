package dev.bulwark.report;

import dev.bulwark.model.Digest;
import dev.bulwark.model.Finding;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.Package;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.Severity;
import dev.bulwark.model.Suppression;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML page: header, summary cards by severity, the findings, what was suppressed, warnings and
 * the packages (the SBOM). No external resource of any kind; a small inline script sorts tables and filters the
 * findings, and the page reads the same without it. A Content-Security-Policy allows that one script (by hash)
 * and nothing else, so that even a mistake in escaping could not run script from image content.
 * <p>
 * All text comes from the image or from feeds and is escaped; links are made only from http(s) references. The
 * markup is also well-formed XML (void elements self-closed, only the five predefined entities), which the tests
 * use to parse it; the script has no '&lt;' or '&amp;' so that it needs no escaping either.
 */
final class HtmlWriter {
    static final String SCRIPT = """
            (function () {
              function key(td) {
                var s = td.getAttribute('data-sort');
                return s === null ? td.textContent.trim().toLowerCase() : s;
              }
              document.querySelectorAll('table.sortable').forEach(function (table) {
                var heads = table.tHead.rows[0].cells;
                Array.prototype.forEach.call(heads, function (th, i) {
                  th.addEventListener('click', function () {
                    var body = table.tBodies[0];
                    var asc = th.getAttribute('aria-sort') !== 'ascending';
                    Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
                    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
                    var rows = Array.prototype.slice.call(body.rows);
                    rows.sort(function (a, b) {
                      var c = key(a.cells[i]).localeCompare(key(b.cells[i]), undefined, {numeric: true});
                      return asc ? c : -c;
                    });
                    rows.forEach(function (r) { body.appendChild(r); });
                  });
                });
              });
              var filter = document.getElementById('filter');
              var findings = document.getElementById('findings');
              if (filter === null || findings === null) return;
              filter.hidden = false;
              filter.addEventListener('input', function () {
                var q = filter.value.trim().toLowerCase();
                Array.prototype.forEach.call(findings.tBodies[0].rows, function (r) {
                  r.hidden = q === '' ? false : r.textContent.toLowerCase().indexOf(q) === -1;
                });
              });
            })();
            """;
    static final String SCRIPT_HASH = "sha256-" + Base64.getEncoder().encodeToString(
            Digest.newSha256().digest(SCRIPT.getBytes(StandardCharsets.UTF_8)));
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src '" + SCRIPT_HASH
            + "'; base-uri 'none'; form-action 'none'";

    static final String CSS = """
            :root { --critical: #8b0000; --high: #d9480f; --medium: #b7791f; --low: #2b6cb0; --negligible: #4a5568;
                    --unknown: #718096; --line: #e2e8f0; }
            * { box-sizing: border-box; }
            body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1a202c;
                   background: #f7fafc; }
            header, main, footer { max-width: 1400px; margin: 0 auto; padding: 16px 24px; }
            h1 { font-size: 22px; margin: 8px 0; } h2 { font-size: 18px; margin: 24px 0 8px; }
            dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
            dl.meta dt { font-weight: 600; color: #4a5568; } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
            .cards { display: flex; flex-wrap: wrap; gap: 12px; }
            .card { background: #fff; border: 1px solid var(--line); border-top: 4px solid var(--unknown);
                    border-radius: 6px; padding: 10px 16px; min-width: 110px; }
            .card .n { display: block; font-size: 26px; font-weight: 700; } .card .l { color: #4a5568; }
            .card.sev-critical { border-top-color: var(--critical); } .card.sev-high { border-top-color: var(--high); }
            .card.sev-medium { border-top-color: var(--medium); } .card.sev-low { border-top-color: var(--low); }
            .card.sev-negligible { border-top-color: var(--negligible); } .card.kev { border-top-color: #000; }
            table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
            th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
            th { background: #edf2f7; cursor: pointer; white-space: nowrap; position: sticky; top: 0; }
            td { overflow-wrap: anywhere; } td.v { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
            td.nw { white-space: nowrap; }
            .badge { display: inline-block; padding: 1px 6px; border-radius: 4px; color: #fff; font-size: 12px;
                     font-weight: 600; background: var(--unknown); }
            .badge.sev-critical { background: var(--critical); } .badge.sev-high { background: var(--high); }
            .badge.sev-medium { background: var(--medium); } .badge.sev-low { background: var(--low); }
            .badge.sev-negligible { background: var(--negligible); } .badge.kev { background: #000; }
            .muted, .type, .title, .aliases { color: #4a5568; font-size: 12px; }
            .score { color: #4a5568; font-size: 12px; margin-left: 4px; }
            #filter { margin: 0 0 8px; padding: 6px 8px; width: 320px; max-width: 100%; }
            ul.warnings li { overflow-wrap: anywhere; }
            """;

    private final ReportOptions opts;
    private final StringBuilder h = new StringBuilder(32 * 1024);

    private HtmlWriter(ReportOptions opts) {
        this.opts = opts;
    }

    static void write(ScanReport report, ReportOptions opts, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        w.write(render(report, opts));
        w.flush();
    }

    static String render(ScanReport report, ReportOptions opts) {
        return new HtmlWriter(opts).page(report);
    }

    private String page(ScanReport report) {
        Inventory inv = report.inventory();
        ImageInfo image = inv.image();
        String target = image == null || image.target() == null ? "unknown target" : image.target();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(esc(CSP)).append("\"/>\n")
                .append("<meta name=\"generator\" content=\"").append(esc(opts.toolName() + " " + opts.toolVersion())).append("\"/>\n")
                .append("<title>").append(esc("Bulwark report: " + target)).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        header(report, target);
        h.append("<main>\n");
        cards(report);
        findings(report);
        imageFindings(report);
        suppressed(report);
        warnings(report);
        packages(report);
        h.append("</main>\n<footer class=\"muted\">Written by ").append(esc(opts.toolName() + " " + opts.toolVersion()))
                .append(". Severity is the distribution's rating for OS packages when it gives one, else CVSS. ")
                .append("KEV: listed in CISA's Known Exploited Vulnerabilities catalog. ")
                .append("EPSS: probability of exploitation in the next 30 days.</footer>\n");
        h.append("<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private void header(ScanReport report, String target) {
        Inventory inv = report.inventory();
        ImageInfo image = inv.image();
        h.append("<header>\n<h1>Vulnerability report: ").append(esc(target)).append("</h1>\n<dl class=\"meta\">\n");
        meta("Target", target);
        if (image != null && image.imageId() != null) meta("Image ID", image.imageId().toString());
        if (image != null && image.manifestDigest() != null) meta("Manifest", image.manifestDigest().toString());
        if (image != null && image.platform() != null) meta("Platform", image.platform().toString());
        meta("OS", Findings.osName(inv.os()));
        if (inv.scannedAt() != null) meta("Scanned", Sboms.iso(inv.scannedAt()));
        if (report.db() != null) meta("Database", FindingsTableWriter.db(report.db(), inv.scannedAt()));
        meta("Packages", String.valueOf(inv.packages().size()));
        h.append("</dl>\n</header>\n");
    }

    private void meta(String label, String value) {
        h.append("<dt>").append(esc(label)).append("</dt><dd>").append(esc(value)).append("</dd>\n");
    }

    private void cards(ScanReport report) {
        h.append("<section class=\"cards\" aria-label=\"Summary\">\n");
        card("total", report.findings().size(), "Total");
        for (Map.Entry<Severity, Integer> e : Findings.count(report.findings()).entrySet()) {
            if (e.getKey() == Severity.NEGLIGIBLE && e.getValue() == 0) continue;
            card(sevClass(e.getKey()), e.getValue(), label(e.getKey()));
        }
        card("kev", (int) report.findings().stream().filter(Finding::knownExploited).count(), "Known exploited");
        card("suppressed", report.suppressed().size(), "Suppressed");
        h.append("</section>\n");
    }

    private void card(String cls, int n, String label) {
        h.append("<div class=\"card ").append(cls).append("\"><span class=\"n\">").append(n)
                .append("</span><span class=\"l\">").append(esc(label)).append("</span></div>\n");
    }

    private void findings(ScanReport report) {
        h.append("<section>\n<h2>Findings (").append(report.findings().size()).append(")</h2>\n");
        if (report.findings().isEmpty()) {
            h.append("<p>No vulnerabilities found.</p>\n</section>\n");
            return;
        }
        h.append("<input type=\"search\" id=\"filter\" placeholder=\"Filter findings\" aria-label=\"Filter findings\" hidden=\"hidden\"/>\n");
        h.append("<table id=\"findings\" class=\"sortable\">\n<thead><tr><th>Package</th><th>Vulnerability</th>")
                .append("<th>Severity</th><th>Status</th><th>Installed</th><th>Fixed</th><th>Layer</th><th>Path</th>")
                .append("<th>KEV / EPSS</th></tr></thead>\n<tbody>\n");
        Map<Digest, LayerInfo> layers = layers(report.inventory());
        for (Finding f : report.findings()) {
            Package p = f.pkg();
            h.append("<tr class=\"").append(sevClass(f.severity())).append("\">");
            h.append("<td>").append(esc(p.name())).append(" <span class=\"type\">").append(esc(p.type().purlType()))
                    .append("</span></td>");
            h.append("<td>");
            vulnerability(f);
            h.append("</td>");
            h.append("<td data-sort=\"").append(f.severity().ordinal()).append("\">");
            badge(f.severity());
            String score = Findings.score(f);
            if (score != null) h.append("<span class=\"score\" title=\"").append(esc(cvssTitle(f))).append("\">")
                    .append(esc(score)).append("</span>");
            h.append("</td>");
            h.append("<td>").append(esc(f.status().label())).append("</td>");
            h.append("<td class=\"v\">").append(esc(p.version())).append("</td>");
            h.append("<td class=\"v\">").append(esc(Findings.fixed(f))).append("</td>");
            layerCell(p, layers);
            h.append("<td class=\"v\">").append(esc(p.paths().isEmpty() ? "" : p.paths().get(0))).append("</td>");
            String epss = Findings.epss(f);
            h.append("<td data-sort=\"").append(f.knownExploited() ? "2:" : "1:")
                    .append(Double.isFinite(f.epss()) ? String.format(Locale.ROOT, "%.6f", f.epss()) : "").append("\">");
            if (f.knownExploited()) h.append("<span class=\"badge kev\">KEV</span> ");
            if (epss != null) h.append("<span class=\"muted\">EPSS ").append(esc(epss)).append("</span>");
            h.append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private void vulnerability(Finding f) {
        String link = Findings.firstLink(f.references());
        if (link != null) {
            h.append("<a href=\"").append(esc(link)).append("\" rel=\"noopener noreferrer\">").append(esc(f.id())).append("</a>");
        } else {
            h.append(esc(f.id()));
        }
        List<String> aliases = f.aliases().stream().filter(a -> !a.equals(f.id())).toList();
        if (!aliases.isEmpty()) h.append("<div class=\"aliases\">").append(esc(String.join(", ", aliases))).append("</div>");
        if (!f.title().isBlank()) h.append("<div class=\"title\">").append(esc(f.title())).append("</div>");
    }

    private void layerCell(Package p, Map<Digest, LayerInfo> layers) {
        if (p.layer() == null) {
            h.append("<td class=\"v nw\"></td>");
            return;
        }
        LayerInfo l = layers.get(p.layer());
        String title = p.layer() + (l == null ? "" : " (layer " + l.index() + (l.createdBy() == null ? "" : ": " + l.createdBy()) + ")");
        h.append("<td class=\"v nw\" title=\"").append(esc(title)).append("\">").append(esc(p.layer().shortHex())).append("</td>");
    }

    private void suppressed(ScanReport report) {
        if (report.suppressed().isEmpty()) return;
        h.append("<section>\n<h2>Suppressed (").append(report.suppressed().size()).append(")</h2>\n")
                .append("<table class=\"sortable\">\n<thead><tr><th>Package</th><th>Vulnerability</th><th>Severity</th>")
                .append("<th>Installed</th><th>By</th><th>Reason</th><th>Where</th></tr></thead>\n<tbody>\n");
        for (Suppression s : report.suppressed()) {
            Finding f = s.finding();
            h.append("<tr>");
            if (f == null) {
                h.append("<td></td><td></td><td></td><td></td>");
            } else {
                h.append("<td>").append(esc(f.pkg().name())).append(" <span class=\"type\">")
                        .append(esc(f.pkg().type().purlType())).append("</span></td><td>");
                vulnerability(f);
                h.append("</td><td data-sort=\"").append(f.severity().ordinal()).append("\">");
                badge(f.severity());
                h.append("</td><td class=\"v\">").append(esc(f.pkg().version())).append("</td>");
            }
            h.append("<td>").append(esc(s.by())).append("</td><td>").append(esc(s.reason())).append("</td><td>")
                    .append(esc(s.where())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    /** Secrets (redacted) and hygiene problems, when the scan looked for them. */
    private void imageFindings(ScanReport report) {
        Inventory inv = report.inventory();
        if (!report.secrets().isEmpty()) {
            h.append("<section>\n<h2>Secrets (").append(report.secrets().size()).append(")</h2>\n");
            h.append("<table class=\"sortable\">\n<thead><tr><th>Severity</th><th>Rule</th><th>Where</th><th>Layer</th><th>Match</th></tr></thead>\n<tbody>\n");
            for (dev.bulwark.model.SecretFinding f : report.secrets()) {
                h.append("<tr class=\"").append(sevClass(f.severity())).append("\"><td data-sort=\"").append(f.severity().ordinal()).append("\">");
                badge(f.severity());
                h.append("</td><td>").append(esc(f.ruleId())).append(" <span class=\"muted\">").append(esc(f.title())).append("</span></td>");
                h.append("<td class=\"v\">").append(esc(ImageFindings.where(f))).append("</td>");
                h.append("<td>").append(esc(ImageFindings.layer(f.layer(), inv))).append(f.deletedLater() ? " <span class=\"badge kev\">deleted later</span>" : "").append("</td>");
                h.append("<td class=\"v\">").append(esc(f.match())).append("</td></tr>\n");
            }
            h.append("</tbody>\n</table>\n</section>\n");
        }
        if (inv.efficiency() != null || !report.hygiene().isEmpty()) {
            h.append("<section>\n<h2>Image hygiene (").append(report.hygiene().size()).append(")</h2>\n");
            if (inv.efficiency() != null) h.append("<p>").append(esc(ImageFindings.efficiency(inv.efficiency()))).append("</p>\n");
            if (!report.hygiene().isEmpty()) {
                h.append("<table class=\"sortable\">\n<thead><tr><th>Severity</th><th>Check</th><th>Subject</th><th>Evidence</th><th>Fix</th></tr></thead>\n<tbody>\n");
                for (dev.bulwark.model.HygieneFinding x : report.hygiene()) {
                    h.append("<tr class=\"").append(sevClass(x.severity())).append("\"><td data-sort=\"").append(x.severity().ordinal()).append("\">");
                    badge(x.severity());
                    h.append("</td><td>").append(esc(x.checkId())).append(" <span class=\"muted\">").append(esc(x.title())).append("</span></td>");
                    h.append("<td class=\"v\">").append(esc(x.subject())).append("</td><td>").append(esc(x.evidence())).append("</td><td>")
                            .append(esc(x.fix())).append("</td></tr>\n");
                }
                h.append("</tbody>\n</table>\n");
            }
            h.append("</section>\n");
        }
    }

    private void warnings(ScanReport report) {
        List<String> all = new ArrayList<>(report.inventory().warnings());
        all.addAll(report.warnings());
        if (all.isEmpty()) return;
        h.append("<section>\n<h2>Warnings (").append(all.size()).append(")</h2>\n<ul class=\"warnings\">\n");
        for (String w : all) h.append("<li>").append(esc(w)).append("</li>\n");
        h.append("</ul>\n</section>\n");
    }

    private void packages(ScanReport report) {
        List<Package> packages = PackageOrder.sorted(report.inventory().packages());
        h.append("<section>\n<h2>Packages (").append(packages.size()).append(")</h2>\n");
        if (packages.isEmpty()) {
            h.append("<p>No packages found.</p>\n</section>\n");
            return;
        }
        h.append("<table id=\"packages\" class=\"sortable\">\n<thead><tr><th>Type</th><th>Name</th><th>Version</th>")
                .append("<th>Licences</th><th>Layer</th><th>Path</th><th>Package URL</th></tr></thead>\n<tbody>\n");
        Map<Digest, LayerInfo> layers = layers(report.inventory());
        for (Package p : packages) {
            h.append("<tr><td class=\"nw\">").append(esc(p.type().purlType())).append("</td><td>").append(esc(p.name()))
                    .append("</td><td class=\"v\">").append(esc(p.version())).append("</td><td>")
                    .append(esc(String.join(", ", p.licenses()))).append("</td>");
            layerCell(p, layers);
            h.append("<td class=\"v\">").append(esc(p.paths().isEmpty() ? "" : p.paths().get(0))).append("</td><td class=\"v\">")
                    .append(esc(p.purl() == null ? "" : p.purl())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private void badge(Severity s) {
        h.append("<span class=\"badge ").append(sevClass(s)).append("\">").append(s.name()).append("</span>");
    }

    private static String cvssTitle(Finding f) {
        var c = f.cvss();
        StringBuilder sb = new StringBuilder("CVSS");
        if (c.version() != null) sb.append(' ').append(c.version());
        if (c.vector() != null) sb.append(' ').append(c.vector());
        if (c.source() != null) sb.append(" (").append(c.source()).append(')');
        return sb.toString();
    }

    private static Map<Digest, LayerInfo> layers(Inventory inv) {
        Map<Digest, LayerInfo> m = new HashMap<>();
        if (inv.image() != null) {
            for (LayerInfo l : inv.image().layers()) {
                if (l.diffId() != null) m.putIfAbsent(l.diffId(), l);
            }
        }
        return m;
    }

    private static String sevClass(Severity s) {
        return "sev-" + s.name().toLowerCase(Locale.ROOT);
    }

    private static String label(Severity s) {
        String n = s.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    /** Text for element content and quoted attribute values alike. */
    static String esc(String s) {
        if (s == null) return "";
        String t = Findings.xmlText(s);
        StringBuilder sb = new StringBuilder(t.length() + 16);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
