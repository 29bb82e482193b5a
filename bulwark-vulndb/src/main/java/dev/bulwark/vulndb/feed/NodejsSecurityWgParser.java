package dev.bulwark.vulndb.feed;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.model.Advisory;
import dev.bulwark.model.AffectedPackage;
import dev.bulwark.model.Cvss;
import dev.bulwark.model.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Node.js security working group's vulnerability files ({@code vuln/npm}, {@code vuln/core}, {@code vuln/deps}),
 * one record per {@code N.json}, or all of a directory's records in its {@code index.json} (an object keyed by N).
 *
 * <p>The feed gives affected versions as range EXPRESSIONS ({@code "<=1.5.1"}, {@code "^8.1.4 || ^7.10.1"}), not
 * OSV events, so no {@code AffectedRange} is made: the expressions go into {@link AffectedPackage#extra()} under
 * {@value #VULNERABLE} and {@value #PATCHED} (absent when nothing is patched), and matching evaluates them with
 * npm's range semantics. Ids follow the working group's README: {@code NSWG-ECO-N} for npm modules,
 * {@code NSWG-COR-N} for Node.js core.
 * <ul>
 *   <li>npm: ecosystem {@code npm}, package {@code module_name}; CVSS from {@code cvss_vector}, with
 *       {@code cvss_score} only as a fallback.</li>
 *   <li>core: ecosystem {@value #NODE_ECOSYSTEM}, package {@value #NODE_PACKAGE} (the runtime, which no OSV
 *       ecosystem covers); severity from {@code severity}; {@code affectedEnvironments} kept in extra.</li>
 *   <li>deps: statements that a CVE in a bundled dependency does NOT affect Node.js (field {@code reason}): one
 *       advisory per CVE, id the CVE, package status {@code not-affected}, the reason in extra.</li>
 * </ul>
 */
public final class NodejsSecurityWgParser implements FeedParser {
    public static final String VULNERABLE = "vulnerable_versions";
    public static final String PATCHED = "patched_versions";
    public static final String NODE_ECOSYSTEM = "nodejs";
    public static final String NODE_PACKAGE = "node";
    private static final String SOURCE = "nodejs";
    private static final Pattern FILE_NUMBER = Pattern.compile("(?:^|[/\\\\])(\\d+)\\.json$");

    private enum Kind { NPM, CORE, DEPS }

    private final Limits limits;

    public NodejsSecurityWgParser() {
        this(Limits.DEFAULT);
    }

    public NodejsSecurityWgParser(Limits limits) {
        this.limits = limits;
    }

    @Override
    public void parse(InputStream in, String name, FeedSink sink) {
        Matcher m = FILE_NUMBER.matcher(name);
        String fileNumber = m.find() ? m.group(1) : null;
        try (JsonParser p = Json.parser(in, Json.Syntax.JSON, limits)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                sink.problem(FeedSink.describe(name, null, "not a JSON object"));
                return;
            }
            // An index holds records under numeric keys; a record file holds the fields of one record. Which one
            // this is shows at the first key, so fields are read one at a time rather than the file at once.
            Boolean index = null;
            ObjectNode single = JsonNodeFactory.instance.objectNode();
            long used = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (index == null) index = key.matches("\\d+") && p.currentToken() == JsonToken.START_OBJECT;
                long budget = index ? limits.maxRecordBytes() : limits.maxRecordBytes() - used;
                JsonNode value = Json.readBounded(p, budget);
                if (index) {
                    if (value == null) sink.problem(FeedSink.describe(name, key, "record too large; refused"));
                    else record(value, key, name, sink);
                } else if (value == null) {
                    sink.problem(FeedSink.describe(name, fileNumber, "record too large; refused"));
                    return;
                } else {
                    used += key.length() + value.toString().length();
                    single.set(key, value);
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) throw new IOException("unexpected " + p.currentToken());
            if (index == null || !index) record(single, fileNumber, name, sink);
        } catch (IOException | RuntimeException e) {
            sink.problem(FeedSink.describe(name, fileNumber, "unreadable: " + OsvParser.oneLine(e)));
        }
    }

    private void record(JsonNode r, String number, String file, FeedSink sink) {
        Kind kind = kind(file, r);
        if (kind == null) {
            sink.problem(FeedSink.describe(file, number, "neither an npm, a core nor a deps record; skipped"));
            return;
        }
        String recordId = kind == Kind.NPM && Json.text(r, "id") != null ? Json.text(r, "id") : number;
        Consumer<String> problems = msg -> sink.problem(FeedSink.describe(file, recordId, msg));
        List<Advisory> found;
        try {
            found = switch (kind) {
                case NPM -> npm(r, recordId, problems).stream().toList();
                case CORE -> core(r, recordId, problems).stream().toList();
                case DEPS -> deps(r, problems);
            };
        } catch (RuntimeException e) {
            problems.accept("malformed record skipped: " + OsvParser.oneLine(e));
            return;
        }
        found.forEach(sink::advisory); // outside the try: a failing sink is not a bad record
    }

    /** The directory says which kind a file is; for files taken out of it, the fields do. */
    private static Kind kind(String file, JsonNode r) {
        String f = file.replace('\\', '/');
        if (f.contains("/npm/") || f.startsWith("npm/")) return Kind.NPM;
        if (f.contains("/core/") || f.startsWith("core/")) return Kind.CORE;
        if (f.contains("/deps/") || f.startsWith("deps/")) return Kind.DEPS;
        if (r.has("module_name")) return Kind.NPM;
        if (r.has("vulnerable") && r.has("patched")) return Kind.CORE;
        if (r.has("reason") && r.has("cve")) return Kind.DEPS;
        return null;
    }

    private static java.util.Optional<Advisory> npm(JsonNode r, String id, Consumer<String> problems) {
        String module = Json.text(r, "module_name");
        String vulnerable = Json.text(r, "vulnerable_versions");
        if (id == null || module == null || module.isBlank() || vulnerable == null) {
            problems.accept("npm record lacks id, module_name or vulnerable_versions; skipped");
            return java.util.Optional.empty();
        }
        List<Cvss> cvss = new ArrayList<>();
        double score = Json.number(r, "cvss_score");
        String vector = Json.text(r, "cvss_vector");
        if (vector != null && !vector.isBlank()) cvss.add(CvssVectors.of(vector, score, SOURCE, problems));
        Severity severity = OsvParser.highest(cvss);
        if (severity == Severity.UNKNOWN && !Double.isNaN(score)) severity = Severity.ofCvssScore(score);

        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(VULNERABLE, vulnerable);
        String patched = Json.text(r, "patched_versions");
        if (patched != null) extra.put(PATCHED, patched);
        AffectedPackage pkg = new AffectedPackage("npm", module, List.of(), List.of(), null, severity, extra);
        return java.util.Optional.of(new Advisory("NSWG-ECO-" + id, SOURCE, Json.texts(r, "cves"),
                Json.text(r, "title"), instant(r, "publish_date", problems), instant(r, "updated_at", problems), null,
                severity, cvss, List.of(pkg), Json.texts(r, "references")));
    }

    private static java.util.Optional<Advisory> core(JsonNode r, String id, Consumer<String> problems) {
        String vulnerable = Json.text(r, "vulnerable");
        if (id == null || vulnerable == null) {
            problems.accept("core record lacks a number or 'vulnerable'; skipped");
            return java.util.Optional.empty();
        }
        List<Cvss> cvss = new ArrayList<>();
        String vector = Json.text(r, "cvss");
        if (vector != null && !vector.isBlank()) {
            cvss.add(CvssVectors.of(vector, Json.number(r, "cvss_score"), SOURCE, problems));
        }
        Severity severity = Severity.parse(Json.text(r, "severity"));
        if (severity == Severity.UNKNOWN) severity = OsvParser.highest(cvss);

        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(VULNERABLE, vulnerable);
        String patched = Json.text(r, "patched");
        if (patched != null) extra.put(PATCHED, patched);
        List<String> environments = Json.texts(r, "affectedEnvironments");
        if (!environments.isEmpty()) extra.put("affectedEnvironments", String.join(",", environments));
        AffectedPackage pkg = new AffectedPackage(NODE_ECOSYSTEM, NODE_PACKAGE, List.of(), List.of(), null, severity,
                extra);
        String summary = OsvParser.firstLine(Json.text(r, "description"));
        if (summary == null) summary = OsvParser.firstLine(Json.text(r, "overview"));
        return java.util.Optional.of(new Advisory("NSWG-COR-" + id, SOURCE, Json.texts(r, "cve"), summary,
                instant(r, "publish_date", problems), null, null, severity, cvss, List.of(pkg),
                Json.texts(r, "ref")));
    }

    private static List<Advisory> deps(JsonNode r, Consumer<String> problems) {
        List<String> cves = Json.texts(r, "cve");
        if (cves.isEmpty()) {
            problems.accept("deps record names no CVE; skipped");
            return List.of();
        }
        Map<String, String> extra = new LinkedHashMap<>();
        String reason = Json.text(r, "reason");
        if (reason != null) extra.put("reason", reason);
        AffectedPackage pkg = new AffectedPackage(NODE_ECOSYSTEM, NODE_PACKAGE, List.of(), List.of(), "not-affected",
                Severity.UNKNOWN, extra);
        String summary = OsvParser.firstLine(Json.text(r, "description"));
        List<Advisory> out = new ArrayList<>();
        for (String cve : cves) {
            out.add(new Advisory(cve, SOURCE, List.of(), summary, null, null, null, Severity.UNKNOWN, List.of(),
                    List.of(pkg), Json.texts(r, "ref")));
        }
        return out;
    }

    private static Instant instant(JsonNode r, String field, Consumer<String> problems) {
        try {
            return Json.instant(Json.text(r, field));
        } catch (DateTimeParseException e) {
            problems.accept("unreadable '" + field + "' date '" + Json.text(r, field) + "'");
            return null;
        }
    }
}
