package dev.bulwark.vulndb.feed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.model.Advisory;
import dev.bulwark.model.AffectedPackage;
import dev.bulwark.model.AffectedRange;
import dev.bulwark.model.Cvss;
import dev.bulwark.model.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * OSV schema 1.x records, one per file, in JSON (Go vulndb, osv.dev exports) or YAML (PyPA advisory database).
 * A file holding a JSON array of records is read as several records.
 *
 * <p>Mapping: {@code severity[]} CVSS_V2/V3/V4 vectors become {@link Cvss} entries (v2 and v3.x scored here, v4 kept
 * with NaN); {@code database_specific.severity} (GHSA's LOW/MODERATE/HIGH/CRITICAL) is the advisory's severity,
 * else the highest CVSS rating; an affected entry's {@code ecosystem_specific.severity} or
 * {@code database_specific.severity} is that package's severity. {@code details} is not kept (the model has one
 * summary line): its first line stands in when {@code summary} is missing. The source is {@code "osv-"} plus the
 * first affected ecosystem ({@code osv-go}, {@code osv-pypi}), or the id's prefix when nothing is affected.
 */
public final class OsvParser implements FeedParser {
    private final Json.Syntax syntax;
    private final Limits limits;

    private OsvParser(Json.Syntax syntax, Limits limits) {
        this.syntax = syntax;
        this.limits = limits;
    }

    public static OsvParser json() {
        return json(Limits.DEFAULT);
    }

    public static OsvParser json(Limits limits) {
        return new OsvParser(Json.Syntax.JSON, limits);
    }

    public static OsvParser yaml() {
        return yaml(Limits.DEFAULT);
    }

    public static OsvParser yaml(Limits limits) {
        return new OsvParser(Json.Syntax.YAML, limits);
    }

    @Override
    public void parse(InputStream in, String name, FeedSink sink) {
        JsonNode doc;
        try {
            byte[] bytes = Json.readAtMost(in, limits.maxRecordBytes());
            if (bytes == null) {
                sink.problem(FeedSink.describe(name, null,
                        "record larger than " + limits.maxRecordBytes() + " bytes; refused"));
                return;
            }
            doc = Json.document(bytes, syntax, limits);
        } catch (IOException | RuntimeException e) {
            sink.problem(FeedSink.describe(name, null, "not a readable OSV " + syntax + " document: " + oneLine(e)));
            return;
        }
        if (doc == null) {
            sink.problem(FeedSink.describe(name, null, "empty document"));
        } else if (doc.isArray()) {
            for (JsonNode record : doc) record(record, name, sink);
        } else {
            record(doc, name, sink);
        }
    }

    private void record(JsonNode r, String file, FeedSink sink) {
        String id = r.isObject() ? Json.text(r, "id") : null;
        if (id == null || id.isBlank()) {
            sink.problem(FeedSink.describe(file, null, "record has no id; skipped"));
            return;
        }
        Consumer<String> problems = msg -> sink.problem(FeedSink.describe(file, id, msg));
        Advisory a;
        try {
            a = toAdvisory(r, id, problems);
        } catch (RuntimeException e) {
            // a shape no rule below expected (an object where text belongs...): the record, not the feed, is bad
            problems.accept("malformed record skipped: " + oneLine(e));
            return;
        }
        sink.advisory(a); // outside the try: a failing sink (a store that cannot write) is not a bad record
    }

    private Advisory toAdvisory(JsonNode r, String id, Consumer<String> problems) {
        if (Json.text(r, "modified") == null) problems.accept("required field 'modified' missing");
        List<AffectedPackage> affected = new ArrayList<>();
        JsonNode aff = list(r, "affected", problems);
        for (int i = 0; i < aff.size(); i++) {
            AffectedPackage p = affected(aff.get(i), "affected[" + i + "]", problems);
            if (p != null) affected.add(p);
        }
        String source = "osv-" + (affected.isEmpty() ? prefix(id) : ecosystemBase(affected.getFirst().ecosystem()));

        List<Cvss> cvss = new ArrayList<>();
        Severity other = Severity.UNKNOWN;
        for (JsonNode s : list(r, "severity", problems)) {
            Severity sv = severityEntry(s, source, cvss, problems);
            if (sv.compareTo(other) > 0) other = sv;
        }
        Severity severity = Severity.parse(Json.text(r.path("database_specific"), "severity"));
        if (severity == Severity.UNKNOWN) severity = highest(cvss);
        if (severity == Severity.UNKNOWN) severity = other;
        if (severity == Severity.UNKNOWN) {
            for (AffectedPackage p : affected) if (p.severity().compareTo(severity) > 0) severity = p.severity();
        }

        Set<String> refs = new LinkedHashSet<>();
        for (JsonNode ref : list(r, "references", problems)) {
            String url = Json.text(ref, "url");
            if (url != null && !url.isBlank()) refs.add(url);
        }
        list(r, "aliases", problems);
        return new Advisory(id, source, Json.texts(r, "aliases"), summary(r), instant(r, "published", problems),
                instant(r, "modified", problems), instant(r, "withdrawn", problems), severity, cvss, affected,
                List.copyOf(refs));
    }

    /** The array under {@code field}; an empty one, with a problem, when the field holds something else. */
    private static JsonNode list(JsonNode r, String field, Consumer<String> problems) {
        JsonNode v = r.path(field);
        if (v.isArray() || v.isMissingNode() || v.isNull()) return v;
        problems.accept("'" + field + "' is not a list; ignored");
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** Adds a CVSS entry (or returns a non-CVSS rating such as schema 1.6's "Ubuntu" type). */
    private static Severity severityEntry(JsonNode s, String source, List<Cvss> cvss, Consumer<String> problems) {
        String type = Json.textOr(s, "type", "");
        String score = Json.text(s, "score");
        if (score == null || score.isBlank()) {
            problems.accept("severity entry of type '" + type + "' has no score");
            return Severity.UNKNOWN;
        }
        switch (type) {
            case "CVSS_V2", "CVSS_V3", "CVSS_V4" -> cvss.add(CvssVectors.of(score, Double.NaN, source, problems));
            case "Ubuntu" -> {
                return Severity.parse(score);
            }
            default -> problems.accept("unknown severity type '" + type + "'");
        }
        return Severity.UNKNOWN;
    }

    private AffectedPackage affected(JsonNode a, String where, Consumer<String> problems) {
        JsonNode pkg = a.path("package");
        String ecosystem = Json.text(pkg, "ecosystem");
        String name = Json.text(pkg, "name");
        List<AffectedRange> ranges = new ArrayList<>();
        Set<String> repos = new LinkedHashSet<>();
        JsonNode rs = a.path("ranges");
        for (int i = 0; i < rs.size(); i++) {
            AffectedRange range = range(rs.get(i), where + ".ranges[" + i + "]", problems);
            if (range == null) continue;
            ranges.add(range);
            String repo = Json.text(rs.get(i), "repo");
            if (range.type() == AffectedRange.Type.GIT && repo != null) repos.add(repo);
        }
        if (name == null || name.isBlank() || ecosystem == null || ecosystem.isBlank()) {
            // The schema lets a package be left out when GIT ranges say what is affected (OSS-Fuzz C projects).
            if (!repos.isEmpty()) {
                ecosystem = "GIT";
                name = repos.iterator().next();
            } else {
                problems.accept(where + " names no package ecosystem and name; entry skipped");
                return null;
            }
        }
        Map<String, String> extra = new LinkedHashMap<>();
        String purl = Json.text(pkg, "purl");
        if (purl != null) extra.put("purl", purl);
        if (!repos.isEmpty()) extra.put("repo", String.join(" ", repos));
        Severity severity = Severity.parse(Json.text(a.path("ecosystem_specific"), "severity"));
        if (severity == Severity.UNKNOWN) severity = Severity.parse(Json.text(a.path("database_specific"), "severity"));
        if (severity == Severity.UNKNOWN && a.has("severity")) {
            // schema 1.5+: affected[].severity, the same shape as the top-level list
            List<Cvss> own = new ArrayList<>();
            for (JsonNode s : a.path("severity")) severityEntry(s, "osv", own, problems);
            severity = highest(own);
        }
        return new AffectedPackage(ecosystem, name, ranges, Json.texts(a, "versions"), null, severity, extra);
    }

    private static AffectedRange range(JsonNode r, String where, Consumer<String> problems) {
        AffectedRange.Type type;
        try {
            type = AffectedRange.Type.valueOf(Json.textOr(r, "type", "?"));
        } catch (IllegalArgumentException e) {
            problems.accept(where + " has unknown type '" + Json.text(r, "type") + "'; range skipped");
            return null;
        }
        List<AffectedRange.Event> events = new ArrayList<>();
        for (JsonNode e : r.path("events")) {
            AffectedRange.Event event = event(e);
            if (event == null) problems.accept(where + " has a malformed event " + e + "; event skipped");
            else events.add(event);
        }
        if (events.isEmpty()) {
            problems.accept(where + " has no events; range skipped");
            return null;
        }
        return new AffectedRange(type, events);
    }

    /** An event object holds exactly one of introduced, fixed, last_affected, limit. */
    private static AffectedRange.Event event(JsonNode e) {
        if (!e.isObject() || e.size() != 1) return null;
        String key = e.fieldNames().next();
        String version = Json.text(e, key);
        if (version == null || version.isBlank()) return null;
        return switch (key) {
            case "introduced" -> new AffectedRange.Event(AffectedRange.EventKind.INTRODUCED, version);
            case "fixed" -> new AffectedRange.Event(AffectedRange.EventKind.FIXED, version);
            case "last_affected" -> new AffectedRange.Event(AffectedRange.EventKind.LAST_AFFECTED, version);
            case "limit" -> new AffectedRange.Event(AffectedRange.EventKind.LIMIT, version);
            default -> null;
        };
    }

    static Severity highest(List<Cvss> cvss) {
        Severity s = Severity.UNKNOWN;
        for (Cvss c : cvss) if (c.severity().compareTo(s) > 0) s = c.severity();
        return s;
    }

    private static String summary(JsonNode r) {
        String s = Json.text(r, "summary");
        return s != null && !s.isBlank() ? s.strip() : firstLine(Json.text(r, "details"));
    }

    /** The first non-blank line of a text, cut to 200 characters; null for none. */
    static String firstLine(String text) {
        if (text == null) return null;
        for (String line : text.strip().split("\\R")) {
            String l = line.strip();
            if (!l.isEmpty()) return l.length() <= 200 ? l : l.substring(0, 199) + "…";
        }
        return null;
    }

    private static Instant instant(JsonNode r, String field, Consumer<String> problems) {
        String text = Json.text(r, field);
        try {
            return Json.instant(text);
        } catch (DateTimeParseException e) {
            problems.accept("unreadable '" + field + "' timestamp '" + text + "'");
            return null;
        }
    }

    /** "Debian:12" → "debian", "PyPI" → "pypi", "crates.io" → "crates.io". */
    private static String ecosystemBase(String ecosystem) {
        int colon = ecosystem.indexOf(':');
        return (colon < 0 ? ecosystem : ecosystem.substring(0, colon)).toLowerCase(Locale.ROOT).replace(' ', '-');
    }

    private static String prefix(String id) {
        int dash = id.indexOf('-');
        return (dash < 0 ? id : id.substring(0, dash)).toLowerCase(Locale.ROOT);
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
