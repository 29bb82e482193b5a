package dev.bulwark.report;

import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Digest;
import dev.bulwark.model.Severity;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.bulwark.report.HtmlWriter.esc;

/**
 * One self-contained HTML page for an audit, built like the scan's page ({@link HtmlWriter}: same styles, no
 * external resource, one inline script admitted by its hash in a Content-Security-Policy, well-formed XML, every
 * text escaped): header, summary cards per status and the score, a table per section or file with its counts, then
 * every result with status, check, severity, subject and location, evidence and fix. The script sorts tables and
 * filters the results by status (check boxes) and by text; without it every result shows.
 */
final class AuditHtmlWriter {
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
              var results = document.getElementById('results');
              var filters = document.getElementById('filters');
              var query = document.getElementById('filter');
              if (results === null || filters === null || query === null) return;
              filters.hidden = false;
              function apply() {
                var shown = {};
                Array.prototype.forEach.call(filters.querySelectorAll('input[type=checkbox]'), function (c) {
                  shown[c.value] = c.checked;
                });
                var q = query.value.trim().toLowerCase();
                Array.prototype.forEach.call(results.tBodies[0].rows, function (r) {
                  var ok = shown[r.getAttribute('data-status')] === true;
                  if (ok) ok = q === '' || r.textContent.toLowerCase().indexOf(q) !== -1;
                  r.hidden = !ok;
                });
              }
              filters.addEventListener('change', apply);
              query.addEventListener('input', apply);
              apply();
            })();
            """;
    static final String SCRIPT_HASH = "sha256-" + Base64.getEncoder().encodeToString(
            Digest.newSha256().digest(SCRIPT.getBytes(StandardCharsets.UTF_8)));
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src '" + SCRIPT_HASH
            + "'; base-uri 'none'; form-action 'none'";

    private static final String CSS = """
            :root { --fail: #c53030; --pass: #2f855a; --warn: #b7791f; --manual: #2b6cb0; --info: #718096;
                    --error: #6b46c1; }
            .card.st-fail { border-top-color: var(--fail); } .card.st-pass { border-top-color: var(--pass); }
            .card.st-warn { border-top-color: var(--warn); } .card.st-manual { border-top-color: var(--manual); }
            .card.st-info { border-top-color: var(--info); } .card.st-error { border-top-color: var(--error); }
            .card.score { border-top-color: #1a202c; }
            .badge.st-fail { background: var(--fail); } .badge.st-pass { background: var(--pass); }
            .badge.st-warn { background: var(--warn); } .badge.st-manual { background: var(--manual); }
            .badge.st-info { background: var(--info); } .badge.st-error { background: var(--error); }
            tr.st-pass td, tr.st-info td { color: #4a5568; }
            pre.fix { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere;
                      font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; }
            .filters { margin: 0 0 8px; display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }
            .filters #filter { margin: 0; }
            .refs { color: #4a5568; font-size: 12px; }
            td .badge { white-space: nowrap; overflow-wrap: normal; }
            """;

    private static final Pattern CONTAINER_ID = Pattern.compile("(?:sha256:)?[0-9a-f]{64}");

    private final ReportOptions opts;
    private final StringBuilder h = new StringBuilder(32 * 1024);

    private AuditHtmlWriter(ReportOptions opts) {
        this.opts = opts;
    }

    static void write(AuditReport report, ReportOptions opts, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        w.write(render(report, opts));
        w.flush();
    }

    static String render(AuditReport report, ReportOptions opts) {
        return new AuditHtmlWriter(opts).page(report);
    }

    private String page(AuditReport report) {
        String target = report.target() == null || report.target().isBlank() ? "unknown target" : report.target();
        boolean host = Audits.isHostAudit(report);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(esc(CSP)).append("\"/>\n")
                .append("<meta name=\"generator\" content=\"").append(esc(opts.toolName() + " " + opts.toolVersion())).append("\"/>\n")
                .append("<title>").append(esc("Bulwark audit: " + target)).append("</title>\n")
                .append("<style>\n").append(HtmlWriter.CSS).append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<header>\n<h1>Audit report: ").append(esc(target)).append("</h1>\n<dl class=\"meta\">\n");
        meta("Target", target);
        meta("Audit", host ? "Docker host (CIS Docker Benchmark)" : "files");
        if (report.auditedAt() != null) meta("Audited", Sboms.iso(report.auditedAt()));
        if (report.tool() != null && !report.tool().isBlank()) meta("Auditor", report.tool());
        meta("Checks", Audits.summary(report.results()).substring("Checks: ".length()));
        h.append("</dl>\n</header>\n<main>\n");
        cards(report);
        groups(report, host);
        results(report, host);
        warnings(report);
        h.append("</main>\n<footer class=\"muted\">Written by ").append(esc(opts.toolName() + " " + opts.toolVersion()))
                .append(". FAIL: does not comply; PASS: complies; WARN: may be intended, confirm; MANUAL: a manual check, ")
                .append("a human decides; INFO: does not apply here; ERROR: the check could not run. ")
                .append("Level: the CIS profile level. Score: PASS / (PASS + FAIL).</footer>\n");
        h.append("<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private void meta(String label, String value) {
        h.append("<dt>").append(esc(label)).append("</dt><dd>").append(esc(value)).append("</dd>\n");
    }

    private void cards(AuditReport report) {
        h.append("<section class=\"cards\" aria-label=\"Summary\">\n");
        card("total", String.valueOf(report.results().size()), "Checks");
        for (Map.Entry<AuditStatus, Integer> e : Audits.count(report.results()).entrySet()) {
            card(statusClass(e.getKey()), String.valueOf(e.getValue()), e.getKey().name());
        }
        Integer score = Audits.score(report.results());
        card("score", score == null ? "n/a" : score + "%", "Score");
        h.append("</section>\n");
    }

    private void card(String cls, String n, String label) {
        h.append("<div class=\"card ").append(cls).append("\"><span class=\"n\">").append(esc(n))
                .append("</span><span class=\"l\">").append(esc(label)).append("</span></div>\n");
    }

    private void groups(AuditReport report, boolean host) {
        List<Audits.Group> groups = Audits.groups(report);
        if (groups.isEmpty()) return;
        h.append("<section>\n<h2>").append(host ? "Sections" : "Files").append("</h2>\n")
                .append("<table id=\"groups\" class=\"sortable\">\n<thead><tr><th>").append(host ? "Section" : "File")
                .append("</th><th>Checks</th>");
        for (AuditStatus s : Audits.STATUSES) h.append("<th>").append(s.name()).append("</th>");
        h.append("<th>Score</th></tr></thead>\n<tbody>\n");
        for (Audits.Group g : groups) {
            h.append("<tr><td>").append(esc(g.title())).append("</td><td>").append(g.results().size()).append("</td>");
            for (int n : Audits.count(g.results()).values()) h.append("<td>").append(n).append("</td>");
            Integer score = Audits.score(g.results());
            h.append("<td data-sort=\"").append(score == null ? -1 : score).append("\">")
                    .append(score == null ? "n/a" : score + "%").append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private void results(AuditReport report, boolean host) {
        h.append("<section>\n<h2>Results (").append(report.results().size()).append(")</h2>\n");
        if (report.results().isEmpty()) {
            h.append("<p>No checks ran.</p>\n</section>\n");
            return;
        }
        Map<AuditStatus, Integer> counts = Audits.count(report.results());
        h.append("<div id=\"filters\" class=\"filters\" hidden=\"hidden\">\n");
        for (AuditStatus s : Audits.STATUSES) {
            h.append("<label><input type=\"checkbox\" value=\"").append(Audits.lower(s)).append("\" checked=\"checked\"/> ")
                    .append(s.name()).append(" (").append(counts.get(s)).append(")</label>\n");
        }
        h.append("<input type=\"search\" id=\"filter\" placeholder=\"Filter results\" aria-label=\"Filter results\"/>\n</div>\n");
        // a file audit's location names the file: no column of its own
        h.append("<table id=\"results\" class=\"sortable\">\n<thead><tr><th>Status</th><th>Check</th><th>Severity</th>")
                .append(host ? "<th>Section</th><th>Subject</th>" : "<th>Location</th>")
                .append("<th>Evidence</th><th>Fix</th></tr></thead>\n<tbody>\n");
        for (Audits.Group g : Audits.groups(report)) {
            for (AuditResult r : g.results()) row(r, host ? g.title() : null);
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    /** One result; {@code group} is the section for host audits, null for file audits. */
    private void row(AuditResult r, String group) {
        String st = statusClass(r.status());
        h.append("<tr class=\"").append(st).append("\" data-status=\"").append(Audits.lower(r.status())).append("\">");
        h.append("<td class=\"nw\" data-sort=\"").append(Audits.STATUSES.indexOf(r.status())).append("\"><span class=\"badge ").append(st)
                .append("\">").append(r.status().name()).append("</span></td>");
        h.append("<td>");
        String link = Findings.firstLink(r.references());
        if (link != null) {
            h.append("<a href=\"").append(esc(link)).append("\" rel=\"noopener noreferrer\">").append(esc(r.checkId())).append("</a>");
        } else {
            h.append(esc(r.checkId()));
        }
        if (!r.title().isBlank()) h.append("<div class=\"title\">").append(esc(r.title())).append("</div>");
        if (r.level() > 0) h.append("<div class=\"refs\">CIS Level ").append(r.level()).append("</div>");
        List<String> refs = r.references().stream().filter(x -> Findings.link(x) == null).toList();
        if (!refs.isEmpty()) h.append("<div class=\"refs\">").append(esc(String.join("; ", refs))).append("</div>");
        h.append("</td>");
        h.append("<td class=\"nw\" data-sort=\"").append(Severity.values().length - 1 - r.severity().ordinal()).append("\"><span class=\"badge ")
                .append(sevClass(r.severity())).append("\">").append(r.severity().name()).append("</span></td>");
        if (group == null) {
            subjectOrLocation(Audits.where(r), r.location());
        } else {
            h.append("<td>").append(esc(group)).append("</td>");
            subjectOrLocation(r.subject(), r.location());
        }
        h.append("<td>").append(esc(r.evidence())).append("</td>");
        h.append("<td>");
        if (!r.fix().isBlank()) h.append("<pre class=\"fix\">").append(esc(r.fix().strip())).append("</pre>");
        h.append("</td></tr>\n");
    }

    /** The subject, with the location under it when that adds something (a container id shortened). */
    private void subjectOrLocation(String subject, String loc) {
        h.append("<td>").append(esc(subject));
        if (!loc.isBlank() && !loc.equals(subject)) {
            if (CONTAINER_ID.matcher(loc).matches()) { // a container or image id: short, the whole one in the tooltip
                h.append("<div class=\"muted\" title=\"").append(esc(loc)).append("\">").append(esc(loc.substring(loc.length() - 64, loc.length() - 52)))
                        .append("</div>");
            } else {
                h.append("<div class=\"muted\">").append(esc(loc)).append("</div>");
            }
        }
        h.append("</td>");
    }

    private void warnings(AuditReport report) {
        if (report.warnings().isEmpty()) return;
        h.append("<section>\n<h2>Warnings (").append(report.warnings().size()).append(")</h2>\n<ul class=\"warnings\">\n");
        for (String w : report.warnings()) h.append("<li>").append(esc(w)).append("</li>\n");
        h.append("</ul>\n</section>\n");
    }

    private static String statusClass(AuditStatus s) {
        return "st-" + Audits.lower(s);
    }

    private static String sevClass(Severity s) {
        return "sev-" + s.name().toLowerCase(Locale.ROOT);
    }
}
