package dev.bulwark.vulndb.feed;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * CISA's Known Exploited Vulnerabilities catalog ({@code known_exploited_vulnerabilities.json}):
 * {@code {title, catalogVersion, dateReleased, count, vulnerabilities: [...]}}, each item a {@link KevEntry}.
 * Following the catalog's JSON schema, cveID ({@code CVE-YYYY-N{4,19}}), vendorProject, product, vulnerabilityName,
 * dateAdded, shortDescription, requiredAction and dueDate are required: an item without one is reported and
 * skipped. A catalog whose {@code count} disagrees with its list is reported too.
 */
public final class KevParser implements FeedParser {
    private static final Pattern CVE_ID = Pattern.compile("CVE-\\d{4}-\\d{4,19}");
    private static final String[] REQUIRED = {"cveID", "vendorProject", "product", "vulnerabilityName", "dateAdded",
            "shortDescription", "requiredAction", "dueDate"};

    private final Limits limits;

    public KevParser() {
        this(Limits.DEFAULT);
    }

    public KevParser(Limits limits) {
        this.limits = limits;
    }

    @Override
    public void parse(InputStream in, String name, FeedSink sink) {
        try (JsonParser p = Json.parser(in, Json.Syntax.JSON, limits)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                sink.problem(FeedSink.describe(name, null, "not a KEV catalog (no top-level object)"));
                return;
            }
            long count = -1, items = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (field.equals("count") && t == JsonToken.VALUE_NUMBER_INT) {
                    count = p.getLongValue();
                } else if (field.equals("vulnerabilities") && t == JsonToken.START_ARRAY) {
                    items = 0;
                    for (; p.nextToken() != JsonToken.END_ARRAY; items++) {
                        JsonNode item = Json.readBounded(p, limits.maxRecordBytes());
                        if (item == null) sink.problem(FeedSink.describe(name, "vulnerabilities[" + items + "]",
                                "too large; refused"));
                        else entry(item, (int) items, name, sink);
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (items < 0) sink.problem(FeedSink.describe(name, null, "no 'vulnerabilities' list"));
            else if (count >= 0 && count != items) {
                sink.problem(FeedSink.describe(name, null, "catalog says count " + count + " but lists " + items));
            }
        } catch (IOException | RuntimeException e) {
            sink.problem(FeedSink.describe(name, null, "unreadable KEV catalog: " + OsvParser.oneLine(e)));
        }
    }

    private static void entry(JsonNode v, int index, String file, FeedSink sink) {
        String cve = Json.text(v, "cveID");
        String where = cve != null ? cve : "vulnerabilities[" + index + "]";
        for (String field : REQUIRED) {
            if (Json.text(v, field) == null) {
                sink.problem(FeedSink.describe(file, where, "required field '" + field + "' missing; skipped"));
                return;
            }
        }
        if (!CVE_ID.matcher(cve).matches()) {
            sink.problem(FeedSink.describe(file, where, "cveID is not a CVE id; skipped"));
            return;
        }
        try {
            sink.kev(new KevEntry(cve, Json.text(v, "vendorProject"), Json.text(v, "product"),
                    Json.text(v, "vulnerabilityName"), LocalDate.parse(Json.text(v, "dateAdded")),
                    Json.text(v, "shortDescription"), Json.text(v, "requiredAction"),
                    LocalDate.parse(Json.text(v, "dueDate")),
                    "Known".equalsIgnoreCase(Json.text(v, "knownRansomwareCampaignUse")), Json.text(v, "notes"),
                    Json.texts(v, "cwes")));
        } catch (DateTimeParseException e) {
            sink.problem(FeedSink.describe(file, where, "dateAdded or dueDate is not YYYY-MM-DD; skipped"));
        }
    }
}
