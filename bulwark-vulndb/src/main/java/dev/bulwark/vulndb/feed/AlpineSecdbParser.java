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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alpine's secdb, one file per release and repository ({@code v3.11/main.yaml}, or {@code main.json} as served
 * today): {@code distroversion}, {@code reponame}, and {@code packages[].pkg} with a {@code name} (an aport, i.e. a
 * SOURCE package) and {@code secfixes}, a map from the package version that fixed them to the ids fixed.
 *
 * <p>Facts from the secdb's own README: it is "a database of backported fixes", not of all issues, "to be used in
 * combination with another more complete CVE database". So an absent CVE means nothing here, and there is no
 * "unfixed" state. Alpine's security team writes a fix at version {@code "0"} for a CVE that never affected the
 * package (the practice its rejections database later replaced): such entries become status
 * {@code not-affected} with no range.
 *
 * <p>Every other entry becomes one advisory per id per package: ecosystem {@code "Alpine:" + distroversion}
 * ("Alpine:v3.11"), an ECOSYSTEM range {@code introduced 0, fixed <version>}, status {@code fixed}, the repository in
 * extra. Entries are free text in practice ("CVE-2016-9932 XSA-200", "CVE_2019-2426", "CVE-2017-17434-1",
 * "XSA-207", "CVE-2018-14468 (FrameRelay)"): every CVE id in an entry gets its own advisory and the entry's other
 * ids (XSA-, TALOS-, ZBX-…) become its aliases; an entry without a CVE is filed under its first other id; an entry
 * with no id at all is reported.
 */
public final class AlpineSecdbParser implements FeedParser {
    private static final String SOURCE = "alpine";
    private static final Pattern CVE = Pattern.compile("(?i)\\bCVE[-_ ](\\d{4})-(\\d{4,})");
    private static final Pattern OTHER_ID = Pattern.compile("\\b([A-Za-z]+(?:-[A-Za-z]+)*-\\d+(?:-\\d+)?)\\b");

    private final Json.Syntax syntax;
    private final Limits limits;

    private AlpineSecdbParser(Json.Syntax syntax, Limits limits) {
        this.syntax = syntax;
        this.limits = limits;
    }

    public static AlpineSecdbParser yaml() {
        return yaml(Limits.DEFAULT);
    }

    public static AlpineSecdbParser yaml(Limits limits) {
        return new AlpineSecdbParser(Json.Syntax.YAML, limits);
    }

    public static AlpineSecdbParser json() {
        return json(Limits.DEFAULT);
    }

    public static AlpineSecdbParser json(Limits limits) {
        return new AlpineSecdbParser(Json.Syntax.JSON, limits);
    }

    @Override
    public void parse(InputStream in, String name, FeedSink sink) {
        String release = null, repo = null;
        // packages met before distroversion (JSON keys come in any order) wait here; secdb files are small
        List<JsonNode> early = new ArrayList<>();
        long earlyBytes = 0;
        try (JsonParser p = Json.parser(in, syntax, limits)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                sink.problem(FeedSink.describe(name, null, "not a secdb document (no top-level mapping)"));
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "distroversion" -> release = scalar(p);
                    case "reponame" -> repo = scalar(p);
                    case "packages" -> {
                        if (t != JsonToken.START_ARRAY) {
                            // "packages:" with nothing after it (v3.3/community.yaml) is an empty scalar: no packages
                            boolean empty = t == JsonToken.VALUE_NULL || t.isScalarValue() && p.getText().isBlank();
                            if (!empty) sink.problem(FeedSink.describe(name, null, "'packages' is not a list"));
                            p.skipChildren();
                            continue;
                        }
                        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                            JsonNode pkg = Json.readBounded(p, limits.maxRecordBytes());
                            if (pkg == null) {
                                sink.problem(FeedSink.describe(name, "packages[" + i + "]", "too large; refused"));
                            } else if (release == null || repo == null) {
                                earlyBytes += pkg.toString().length();
                                if (earlyBytes > limits.maxEntryBytes()) throw new IOException("packages too large");
                                early.add(pkg);
                            } else {
                                pkg(pkg, i, release, repo, name, sink);
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            sink.problem(FeedSink.describe(name, null, "unreadable secdb document: " + OsvParser.oneLine(e)));
        }
        if (!early.isEmpty()) {
            if (release == null) {
                sink.problem(FeedSink.describe(name, null, "no distroversion; " + early.size() + " packages skipped"));
                return;
            }
            for (int i = 0; i < early.size(); i++) pkg(early.get(i), i, release, repo, name, sink);
        }
    }

    /** The current value's text when it is a scalar; a mapping or list is skipped and gives null. */
    private static String scalar(JsonParser p) throws IOException {
        if (p.currentToken().isScalarValue()) return p.getText();
        p.skipChildren();
        return null;
    }

    private static void pkg(JsonNode entry, int index, String release, String repo, String file, FeedSink sink) {
        JsonNode pkg = entry.path("pkg");
        String name = Json.text(pkg, "name");
        if (name == null || name.isBlank()) {
            sink.problem(FeedSink.describe(file, "packages[" + index + "]", "no pkg.name; skipped"));
            return;
        }
        JsonNode secfixes = pkg.path("secfixes");
        if (!secfixes.isObject()) {
            if (!secfixes.isMissingNode() && !secfixes.isNull()) {
                sink.problem(FeedSink.describe(file, name, "secfixes is not a mapping; skipped"));
            }
            return;
        }
        for (Map.Entry<String, JsonNode> fix : secfixes.properties()) {
            String version = fix.getKey().strip();
            if (!fix.getValue().isArray() || fix.getValue().isEmpty()) {
                // heimdal 7.4.0-r0 in v3.6 lists a version with nothing under it
                sink.problem(FeedSink.describe(file, name + " " + version, "fix lists no ids; skipped"));
                continue;
            }
            for (JsonNode idNode : fix.getValue()) {
                String entryText = idNode.isValueNode() ? idNode.asText() : idNode.toString();
                Ids ids = ids(entryText);
                if (ids.primary().isEmpty()) {
                    sink.problem(FeedSink.describe(file, name + " " + version, "entry '" + entryText
                            + "' names no vulnerability id; skipped"));
                    continue;
                }
                for (String id : ids.primary()) {
                    sink.advisory(advisory(id, ids.aliases(), release, repo, name, version));
                }
            }
        }
    }

    private static Advisory advisory(String id, List<String> aliases, String release, String repo, String pkg,
                                     String version) {
        boolean notAffected = version.equals("0");
        List<AffectedRange> ranges = notAffected ? List.of() : List.of(new AffectedRange(AffectedRange.Type.ECOSYSTEM,
                List.of(new Event(EventKind.INTRODUCED, "0"), new Event(EventKind.FIXED, version))));
        Map<String, String> extra = repo == null ? Map.of() : Map.of("repository", repo);
        AffectedPackage p = new AffectedPackage("Alpine:" + release, pkg, ranges, List.of(),
                notAffected ? "not-affected" : "fixed", Severity.UNKNOWN, extra);
        return new Advisory(id, SOURCE, aliases, null, null, null, null, Severity.UNKNOWN, List.of(), List.of(p),
                List.of());
    }

    /** The ids an advisory is filed under (each CVE, else the first other id) and the aliases they share. */
    record Ids(List<String> primary, List<String> aliases) {
    }

    static Ids ids(String entry) {
        Set<String> cves = new LinkedHashSet<>();
        Matcher m = CVE.matcher(entry);
        while (m.find()) cves.add("CVE-" + m.group(1) + "-" + m.group(2));
        Set<String> others = new LinkedHashSet<>();
        Matcher o = OTHER_ID.matcher(entry);
        while (o.find()) {
            if (!o.group(1).regionMatches(true, 0, "CVE", 0, 3)) others.add(o.group(1));
        }
        if (!cves.isEmpty()) return new Ids(List.copyOf(cves), List.copyOf(others));
        if (others.isEmpty()) return new Ids(List.of(), List.of());
        List<String> rest = new ArrayList<>(others);
        String first = rest.removeFirst();
        return new Ids(List.of(first), rest);
    }
}
