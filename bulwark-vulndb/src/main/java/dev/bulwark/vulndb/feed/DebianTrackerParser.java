package dev.bulwark.vulndb.feed;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.model.Advisory;
import dev.bulwark.model.AffectedPackage;
import dev.bulwark.model.AffectedRange;
import dev.bulwark.model.AffectedRange.Event;
import dev.bulwark.model.AffectedRange.EventKind;
import dev.bulwark.model.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Debian Security Tracker's JSON dump: {@code {source package: {issue: {description, scope, debianbug,
 * releases: {codename: {status, repositories, fixed_version, urgency, nodsa, nodsa_reason, next_point_update}}}}}}.
 *
 * <p>Format facts, from the tracker's own code ({@code bin/tracker_service.py}, which writes the dump, and
 * {@code lib/python/bugs.py}, which reads the {@code data/CVE/list} notes behind it): issues are {@code CVE-*} or
 * {@code TEMP-*} names; {@code status} is {@code resolved} (a {@code fixed_version} is given), {@code open} or
 * {@code undetermined}; fields without a value are left out; {@code scope} is {@code remote} or {@code local};
 * {@code urgency} is one of high, medium, low, unimportant, end-of-life, "not yet assigned", with {@code **}
 * appended when derived from NVD; a {@code <not-affected>} note is stored as fixed version {@code 0};
 * {@code <end-of-life>} as no fix with urgency end-of-life; {@code <no-dsa>}, {@code <ignored>} and
 * {@code <postponed>} notes give {@code nodsa} (the comment) with {@code nodsa_reason} "", "ignored" or
 * "postponed".
 *
 * <p>One advisory per issue per source package per release (Feeds merges the packages of one issue and release),
 * ecosystem {@code "Debian:" + number} (codenames below; sid is {@code Debian:sid}; an unknown codename is kept as
 * is). Status mapping:
 * <ul>
 *   <li>resolved, fixed_version 0 → {@code not-affected}, no range;</li>
 *   <li>resolved, fixed_version V → {@code fixed}, ECOSYSTEM range introduced 0, fixed V (V is a dpkg version);</li>
 *   <li>open with nodsa_reason {@code ignored}, or urgency {@code end-of-life} or {@code unimportant} →
 *       {@code wont-fix}: the security team has decided no update will come for this release;</li>
 *   <li>open otherwise (plain no-dsa and postponed included: a fix may still come in a point release) →
 *       {@code unfixed};</li>
 *   <li>undetermined → {@code unfixed}, with {@code tracker_status=undetermined} in extra (nobody has checked, so
 *       it is reported rather than hidden).</li>
 * </ul>
 * Urgency gives the package's severity (unimportant → NEGLIGIBLE, "not yet assigned" and end-of-life → UNKNOWN);
 * urgency, nodsa, nodsa_reason, scope, debianbug and the codename are kept in extra.
 */
public final class DebianTrackerParser implements FeedParser {
    /** Debian codenames and their release numbers. */
    public static final Map<String, String> RELEASES = Map.of(
            "wheezy", "7", "jessie", "8", "stretch", "9", "buster", "10", "bullseye", "11", "bookworm", "12",
            "trixie", "13", "forky", "14", "duke", "15");
    private static final String SOURCE = "debian";

    private final Limits limits;

    public DebianTrackerParser() {
        this(Limits.DEFAULT);
    }

    public DebianTrackerParser(Limits limits) {
        this.limits = limits;
    }

    /** "bookworm" → "Debian:12", "sid" → "Debian:sid". */
    public static String ecosystem(String codename) {
        return "Debian:" + RELEASES.getOrDefault(codename, codename);
    }

    @Override
    public void parse(InputStream in, String name, FeedSink sink) {
        try (JsonParser p = Json.parser(in, Json.Syntax.JSON, limits)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                sink.problem(FeedSink.describe(name, null, "not a tracker dump (no top-level object)"));
                return;
            }
            // streamed package by package and issue by issue: the dump is tens of megabytes
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String pkg = p.currentName();
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    sink.problem(FeedSink.describe(name, pkg, "package entry is not an object; skipped"));
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String issue = p.currentName();
                    p.nextToken();
                    JsonNode record = Json.readBounded(p, limits.maxRecordBytes());
                    if (record == null) {
                        sink.problem(FeedSink.describe(name, pkg + " " + issue, "too large; refused"));
                    } else {
                        issue(pkg, issue, record, name, sink);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            sink.problem(FeedSink.describe(name, null, "unreadable tracker dump: " + OsvParser.oneLine(e)));
        }
    }

    private static void issue(String pkg, String issue, JsonNode r, String file, FeedSink sink) {
        String where = pkg + " " + issue;
        JsonNode releases = r.path("releases");
        if (!r.isObject() || !releases.isObject()) {
            sink.problem(FeedSink.describe(file, where, "no releases object; skipped"));
            return;
        }
        String summary = OsvParser.firstLine(Json.text(r, "description"));
        List<String> refs = List.of("https://security-tracker.debian.org/tracker/" + issue);
        for (Map.Entry<String, JsonNode> e : releases.properties()) {
            AffectedPackage affected = release(pkg, e.getKey(), e.getValue(), r, file, where, sink);
            if (affected != null) {
                sink.advisory(new Advisory(issue, SOURCE, List.of(), summary, null, null, null, affected.severity(),
                        List.of(), List.of(affected), refs));
            }
        }
    }

    private static AffectedPackage release(String pkg, String codename, JsonNode rel, JsonNode issue, String file,
                                           String where, FeedSink sink) {
        String status = Json.text(rel, "status");
        String fixed = Json.text(rel, "fixed_version");
        String urgency = Json.textOr(rel, "urgency", "");
        String nodsaReason = Json.text(rel, "nodsa_reason");
        String baseUrgency = urgency.endsWith("**") ? urgency.substring(0, urgency.length() - 2) : urgency;

        List<AffectedRange> ranges = List.of();
        String ourStatus;
        if ("resolved".equals(status)) {
            if (fixed == null || fixed.isBlank()) {
                sink.problem(FeedSink.describe(file, where, codename + " is resolved without a fixed_version; skipped"));
                return null;
            }
            if (fixed.equals("0")) {
                ourStatus = "not-affected";
            } else {
                ourStatus = "fixed";
                ranges = List.of(new AffectedRange(AffectedRange.Type.ECOSYSTEM,
                        List.of(new Event(EventKind.INTRODUCED, "0"), new Event(EventKind.FIXED, fixed))));
            }
        } else if ("open".equals(status) || "undetermined".equals(status)) {
            boolean wontFix = "ignored".equals(nodsaReason) || baseUrgency.equals("end-of-life")
                    || baseUrgency.equals("unimportant");
            ourStatus = "open".equals(status) && wontFix ? "wont-fix" : "unfixed";
        } else {
            sink.problem(FeedSink.describe(file, where, codename + " has unknown status '" + status + "'; skipped"));
            return null;
        }

        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("codename", codename);
        if ("undetermined".equals(status)) extra.put("tracker_status", "undetermined");
        if (!urgency.isEmpty()) extra.put("urgency", urgency);
        putIfPresent(extra, "nodsa", Json.text(rel, "nodsa"));
        putIfPresent(extra, "nodsa_reason", nodsaReason);
        putIfPresent(extra, "scope", Json.text(issue, "scope"));
        putIfPresent(extra, "debianbug", Json.text(issue, "debianbug"));
        Severity severity = baseUrgency.equals("end-of-life") ? Severity.UNKNOWN : Severity.parse(baseUrgency);
        return new AffectedPackage(ecosystem(codename), pkg, ranges, List.of(), ourStatus, severity, extra);
    }

    private static void putIfPresent(Map<String, String> extra, String key, String value) {
        if (value != null && !value.isEmpty()) extra.put(key, value);
    }
}
