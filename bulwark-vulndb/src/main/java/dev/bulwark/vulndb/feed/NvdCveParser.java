package dev.bulwark.vulndb.feed;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.model.Advisory;
import dev.bulwark.model.Cvss;
import dev.bulwark.model.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * NVD CVE API 2.0 responses (and the 2.0 JSON feed files, which share the shape):
 * {@code {..., "format": "NVD_CVE", "version": "2.0", "vulnerabilities": [{"cve": {...}}]}}.
 *
 * <p>NVD records enrich other feeds' advisories; they name no package in a form matching can use (CPE
 * configurations are not read), so each becomes an advisory with source {@code nvd}, CVSS and no affected list.
 * From {@code metrics}: {@code cvssMetricV40}, {@code cvssMetricV31}, {@code cvssMetricV30}, {@code cvssMetricV2},
 * each entry's {@code cvssData.vectorString} (v2 and v3.x rescored here; v4 keeps NVD's {@code baseScore}) and its
 * {@code source} ({@code nvd@nist.gov} becomes "nvd"). The advisory's severity is that of the first Primary score
 * in the order v3.1, v3.0, v4.0, v2 (else of any score). The summary is the first line of the English description.
 * A {@code vulnStatus} of "Rejected" marks the record withdrawn as of {@code lastModified}. Timestamps without an
 * offset ("2021-08-04T21:15:08.527") are UTC. {@code weaknesses} (CWE ids) have no place in the model yet and are
 * not kept.
 */
public final class NvdCveParser implements FeedParser {
    private static final String SOURCE = "nvd";
    private static final List<String> METRICS = List.of("cvssMetricV31", "cvssMetricV30", "cvssMetricV40",
            "cvssMetricV2");

    private final Limits limits;

    public NvdCveParser() {
        this(Limits.DEFAULT);
    }

    public NvdCveParser(Limits limits) {
        this.limits = limits;
    }

    @Override
    public void parse(InputStream in, String name, FeedSink sink) {
        try (JsonParser p = Json.parser(in, Json.Syntax.JSON, limits)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                sink.problem(FeedSink.describe(name, null, "not an NVD API response (no top-level object)"));
                return;
            }
            boolean seen = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!field.equals("vulnerabilities") || t != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                seen = true;
                for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                    JsonNode item = Json.readBounded(p, limits.maxRecordBytes());
                    if (item == null) sink.problem(FeedSink.describe(name, "vulnerabilities[" + i + "]",
                            "too large; refused"));
                    else cve(item.path("cve"), i, name, sink);
                }
            }
            if (!seen) sink.problem(FeedSink.describe(name, null, "no 'vulnerabilities' list"));
        } catch (IOException | RuntimeException e) {
            sink.problem(FeedSink.describe(name, null, "unreadable NVD response: " + OsvParser.oneLine(e)));
        }
    }

    private static void cve(JsonNode c, int index, String file, FeedSink sink) {
        String id = Json.text(c, "id");
        if (id == null || id.isBlank()) {
            sink.problem(FeedSink.describe(file, "vulnerabilities[" + index + "]", "no cve.id; skipped"));
            return;
        }
        Consumer<String> problems = msg -> sink.problem(FeedSink.describe(file, id, msg));
        Advisory a;
        try {
            List<Cvss> cvss = new ArrayList<>();
            Severity primary = Severity.UNKNOWN;
            for (String key : METRICS) {
                for (JsonNode metric : c.path("metrics").path(key)) {
                    String vector = Json.text(metric.path("cvssData"), "vectorString");
                    if (vector == null) {
                        problems.accept(key + " entry without cvssData.vectorString");
                        continue;
                    }
                    String by = Json.textOr(metric, "source", SOURCE);
                    Cvss score = CvssVectors.of(vector, Json.number(metric.path("cvssData"), "baseScore"),
                            by.equals("nvd@nist.gov") ? SOURCE : by, problems);
                    cvss.add(score);
                    if (primary == Severity.UNKNOWN && "Primary".equals(Json.text(metric, "type"))) {
                        primary = score.severity();
                    }
                }
            }
            Severity severity = primary != Severity.UNKNOWN ? primary
                    : cvss.isEmpty() ? Severity.UNKNOWN : cvss.getFirst().severity();

            String summary = null;
            for (JsonNode d : c.path("descriptions")) {
                if ("en".equals(Json.text(d, "lang"))) {
                    summary = OsvParser.firstLine(Json.text(d, "value"));
                    break;
                }
            }
            Set<String> refs = new LinkedHashSet<>();
            for (JsonNode ref : c.path("references")) {
                String url = Json.text(ref, "url");
                if (url != null) refs.add(url);
            }
            Instant modified = instant(c, "lastModified", problems);
            Instant withdrawn = "Rejected".equals(Json.text(c, "vulnStatus")) ? modified : null;
            a = new Advisory(id, SOURCE, List.of(), summary, instant(c, "published", problems), modified,
                    withdrawn, severity, cvss, List.of(), List.copyOf(refs));
        } catch (RuntimeException e) {
            problems.accept("malformed record skipped: " + OsvParser.oneLine(e));
            return;
        }
        sink.advisory(a); // outside the try: a failing sink is not a bad record
    }

    private static Instant instant(JsonNode c, String field, Consumer<String> problems) {
        try {
            return Json.instant(Json.text(c, field));
        } catch (DateTimeParseException e) {
            problems.accept("unreadable '" + field + "' timestamp '" + Json.text(c, field) + "'");
            return null;
        }
    }
}
