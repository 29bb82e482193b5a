package dev.bulwark.vulndb.feed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.model.Advisory;
import dev.bulwark.model.AffectedPackage;
import dev.bulwark.model.Cvss;
import dev.bulwark.model.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * RustSec advisory-db files: Markdown that opens with a fenced {@code ```toml} block ({@code [advisory]},
 * {@code [versions]}, optional {@code [affected]}), followed by a {@code # Title} heading and the description.
 *
 * <p>Versions are Cargo requirement lists, not OSV events, so (as for npm) they go into
 * {@link AffectedPackage#extra()}: {@value #PATCHED} and {@value #UNAFFECTED}, each list joined with
 * {@code " || "} (any element may match; within an element a comma means "and", as in Cargo). An empty
 * {@code patched = []} is kept as an empty string: no fixed release exists. {@code [affected]} functions, os and
 * arch are kept in extra too; {@code informational} ("unmaintained", "unsound", "notice") as well.
 *
 * <p>Files under {@code crates/} are about crates ({@code crates.io}); files under {@code rust/} are about the
 * toolchain itself (std, cargo, rustdoc) and get the ecosystem {@value #TOOLCHAIN}, so that a crate that happens to
 * be called {@code cargo} is not matched against them.
 */
public final class RustSecParser implements FeedParser {
    public static final String PATCHED = "patched";
    public static final String UNAFFECTED = "unaffected";
    public static final String TOOLCHAIN = "rust-toolchain";
    private static final String SOURCE = "rustsec";

    private final Limits limits;

    public RustSecParser() {
        this(Limits.DEFAULT);
    }

    public RustSecParser(Limits limits) {
        this.limits = limits;
    }

    @Override
    public void parse(InputStream in, String name, FeedSink sink) {
        String text;
        try {
            byte[] bytes = Json.readAtMost(in, limits.maxRecordBytes());
            if (bytes == null) {
                sink.problem(FeedSink.describe(name, null, "record larger than " + limits.maxRecordBytes()
                        + " bytes; refused"));
                return;
            }
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            sink.problem(FeedSink.describe(name, null, "unreadable: " + OsvParser.oneLine(e)));
            return;
        }
        String[] parts = split(text);
        if (parts == null) {
            sink.problem(FeedSink.describe(name, null, "no ```toml front matter block at the start; skipped"));
            return;
        }
        JsonNode toml;
        try {
            toml = Json.factories(limits).toml().readTree(parts[0]);
        } catch (IOException | RuntimeException e) {
            sink.problem(FeedSink.describe(name, null, "front matter is not valid TOML: " + OsvParser.oneLine(e)));
            return;
        }
        JsonNode advisory = toml == null ? null : toml.get("advisory");
        String id = Json.text(advisory, "id");
        if (id == null || id.isBlank()) {
            sink.problem(FeedSink.describe(name, null, "no [advisory] id; skipped"));
            return;
        }
        Consumer<String> problems = msg -> sink.problem(FeedSink.describe(name, id, msg));
        Advisory a;
        try {
            a = toAdvisory(toml, advisory, id, title(parts[1]), toolchain(name), problems);
        } catch (RuntimeException e) {
            problems.accept("malformed record skipped: " + OsvParser.oneLine(e));
            return;
        }
        if (a != null) sink.advisory(a); // outside the try: a failing sink is not a bad record
    }

    private static Advisory toAdvisory(JsonNode toml, JsonNode adv, String id, String title, boolean toolchain,
                                       Consumer<String> problems) {
        String pkg = Json.text(adv, "package");
        if (pkg == null || pkg.isBlank()) {
            problems.accept("no [advisory] package; skipped");
            return null;
        }
        JsonNode versions = toml.get("versions");
        if (versions == null) problems.accept("no [versions] table");

        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(PATCHED, String.join(" || ", Json.texts(versions, PATCHED)));
        List<String> unaffected = Json.texts(versions, UNAFFECTED);
        if (!unaffected.isEmpty()) extra.put(UNAFFECTED, String.join(" || ", unaffected));
        String informational = Json.text(adv, "informational");
        if (informational != null) extra.put("informational", informational);
        JsonNode affected = toml.path("affected");
        List<String> functions = new ArrayList<>();
        for (Iterator<String> it = affected.path("functions").fieldNames(); it.hasNext(); ) functions.add(it.next());
        if (!functions.isEmpty()) extra.put("functions", String.join(",", functions));
        List<String> os = Json.texts(affected, "os"), arch = Json.texts(affected, "arch");
        if (!os.isEmpty()) extra.put("os", String.join(",", os));
        if (!arch.isEmpty()) extra.put("arch", String.join(",", arch));
        List<String> categories = Json.texts(adv, "categories");
        if (!categories.isEmpty()) extra.put("categories", String.join(",", categories));

        List<Cvss> cvss = new ArrayList<>();
        String vector = Json.text(adv, "cvss");
        if (vector != null && !vector.isBlank()) cvss.add(CvssVectors.of(vector, Double.NaN, SOURCE, problems));
        Severity severity = OsvParser.highest(cvss);

        Set<String> refs = new LinkedHashSet<>();
        String url = Json.text(adv, "url");
        if (url != null) refs.add(url);
        refs.addAll(Json.texts(adv, "references"));

        AffectedPackage p = new AffectedPackage(toolchain ? TOOLCHAIN : "crates.io", pkg, List.of(), List.of(), null,
                severity, extra);
        return new Advisory(id, SOURCE, Json.texts(adv, "aliases"), title, date(adv, "date", problems), null,
                date(adv, "withdrawn", problems), severity, cvss, List.of(p), List.copyOf(refs));
    }

    /** Splits into {front matter, rest}, or null when the text does not open with a closed ```toml block. */
    private static String[] split(String text) {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        t = t.stripLeading();
        if (!t.startsWith("```toml")) return null;
        int start = t.indexOf('\n');
        if (start < 0) return null;
        int end = t.indexOf("\n```", start);
        if (end < 0) return null;
        int after = t.indexOf('\n', end + 4);
        return new String[] {t.substring(start + 1, end + 1), after < 0 ? "" : t.substring(after + 1)};
    }

    /** The first level-one Markdown heading after the front matter. */
    private static String title(String markdown) {
        for (String line : markdown.split("\\R")) {
            if (line.startsWith("# ")) return line.substring(2).strip();
        }
        return null;
    }

    /** rust/std/CVE-….md: the directory two above the file is "rust" (crates/ holds crate advisories). */
    private static boolean toolchain(String name) {
        String[] parts = name.replace('\\', '/').split("/");
        return parts.length >= 3 && parts[parts.length - 3].equals("rust");
    }

    private static Instant date(JsonNode adv, String field, Consumer<String> problems) {
        String text = Json.text(adv, field);
        try {
            return Json.instant(text);
        } catch (DateTimeParseException e) {
            problems.accept("unreadable '" + field + "' date '" + text + "'");
            return null;
        }
    }
}
