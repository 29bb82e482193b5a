package dev.bulwark.match.suppress;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ignore files in Trivy's two forms: {@code .trivyignore} (one id a line, {@code #} comments, an optional
 * {@code exp:YYYY-MM-DD}) and {@code .trivyignore.yaml} (a {@code vulnerabilities:} list of entries with
 * {@code id}, {@code paths}, {@code purls}, {@code statement}, {@code expired_at}). The form is told by content.
 */
final class IgnoreFiles {
    static final String BY = "ignorefile";
    /** Sections of Trivy's YAML form that are about other scanners: read past without a word. */
    private static final Set<String> OTHER_SECTIONS = Set.of("misconfigurations", "secrets", "licenses");
    private static final Set<String> ENTRY_FIELDS = Set.of("id", "paths", "purls", "statement", "expired_at");
    /** The first line of the YAML form names one of its sections ("vulnerabilities:"). */
    private static final Pattern YAML_KEY_LINE = Pattern.compile(
            "[\"']?(vulnerabilities|misconfigurations|secrets|licenses)[\"']?\\s*:(\\s.*)?");
    private static final int MAX_GLOB = 1024;
    private static final int MAX_COMMENT_LINES = 10;

    private IgnoreFiles() {
    }

    static List<IgnoreRule> parse(String name, String text, LocalDate today, Warnings w) throws SuppressionException {
        String first = firstSignificantLine(text);
        if (first == null) return List.of();
        if (first.startsWith("{") || first.startsWith("[") || first.startsWith("---") || first.startsWith("%YAML")
                || first.startsWith("- ") || first.equals("-") || YAML_KEY_LINE.matcher(first).matches()) {
            return yaml(name, Documents.yaml(name, text), today, w);
        }
        return plain(name, text, today, w);
    }

    private static String firstSignificantLine(String text) {
        for (int start = 0; start < text.length(); ) {
            int end = lineEnd(text, start);
            String t = text.substring(start, end).strip();
            if (!t.isEmpty() && !t.startsWith("#")) return t;
            start = end + 1;
        }
        return null;
    }

    private static int lineEnd(String text, int start) {
        int nl = text.indexOf('\n', start);
        return nl < 0 ? text.length() : nl;
    }

    // ---- .trivyignore ----

    private static List<IgnoreRule> plain(String name, String text, LocalDate today, Warnings w) {
        List<IgnoreRule> rules = new ArrayList<>();
        List<String> comment = new ArrayList<>();
        boolean lastWasComment = false;
        int lineNo = 0;
        for (int start = 0, end; start < text.length(); start = end + 1) {
            end = lineEnd(text, start);
            lineNo++;
            String line = text.substring(start, end).strip();
            if (line.isEmpty()) {
                comment.clear();
                lastWasComment = false;
                continue;
            }
            if (line.startsWith("#")) {
                if (!lastWasComment) comment.clear();
                String c = line.replaceFirst("^#+", "").strip();
                // a reason is a sentence or two: a hostile block of a million comment lines is not kept whole
                if (!c.isEmpty() && comment.size() < MAX_COMMENT_LINES) comment.add(Text.abbreviate(c, 500));
                lastWasComment = true;
                continue;
            }
            lastWasComment = false;
            String loc = ":" + lineNo;
            String[] tokens = line.split("\\s+", 4); // id, exp:, comment: anything beyond is an error anyway
            String id = tokens[0];
            if (id.equals("-") || id.endsWith(":")) {
                w.add(loc, "looks like YAML, but the file is read as one id a line (the YAML form starts with"
                        + " 'vulnerabilities:'); not applied");
                continue;
            }
            LocalDate expiry = null;
            String inline = "";
            boolean bad = false;
            for (int k = 1; k < tokens.length; k++) {
                String tok = tokens[k];
                if (tok.startsWith("#")) {
                    inline = line.substring(line.indexOf(tok, id.length())).replaceFirst("^#+", "").strip();
                    break;
                }
                if (tok.startsWith("exp:")) {
                    expiry = date(tok.substring(4));
                    if (expiry == null) {
                        w.add(loc, "'" + Text.abbreviate(tok) + "' is not an expiry date (exp:YYYY-MM-DD); entry "
                                + Text.abbreviate(id) + " not applied");
                        bad = true;
                        break;
                    }
                    continue;
                }
                w.add(loc, "unexpected '" + Text.abbreviate(tok) + "' after " + Text.abbreviate(id)
                        + " (a line holds one id and an optional exp:YYYY-MM-DD); entry not applied");
                bad = true;
                break;
            }
            if (bad) continue;
            if (id.startsWith("exp:")) {
                w.add(loc, "line starts with an expiry but names no id; not applied");
                continue;
            }
            if (expiry != null && !today.isBefore(expiry)) {
                w.add(loc, Text.abbreviate(id) + " expired on " + expiry + "; entry not applied");
                continue;
            }
            String reason = !inline.isEmpty() ? inline : String.join(" ", comment);
            rules.add(new IgnoreRule(id, List.of(), List.of(), Text.oneLine(reason), w.file() + loc));
        }
        return rules;
    }

    // ---- .trivyignore.yaml ----

    private static List<IgnoreRule> yaml(String name, Documents.Tree tree, LocalDate today, Warnings w)
            throws SuppressionException {
        JsonNode root = tree.root();
        if (root.isNull() || root.isMissingNode()) return List.of();
        if (!root.isObject()) {
            throw new SuppressionException(name, "an ignore file in YAML form must be a mapping with a 'vulnerabilities' list", null);
        }
        if (root.has("statements") || root.has("@context") || root.has("bomFormat") || root.has("payloadType")
                || root.has("_type")) {
            throw new SuppressionException(name, "is a VEX document, not an ignore file: pass it with --vex", null);
        }
        List<IgnoreRule> rules = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!e.getKey().equals("vulnerabilities") && !OTHER_SECTIONS.contains(e.getKey())) {
                w.add("", "unknown section '" + Text.abbreviate(e.getKey()) + "' ignored (expected vulnerabilities)");
            }
        }
        JsonNode vulns = root.path("vulnerabilities");
        // "vulnerabilities:" with nothing under it: no entries yet
        if (vulns.isMissingNode() || vulns.isNull() || vulns.isTextual() && vulns.asText().isBlank()) return rules;
        if (!vulns.isArray()) throw new SuppressionException(name, "'vulnerabilities' must be a list of entries", null);
        int n = 0;
        for (JsonNode entry : vulns) {
            n++;
            String loc = tree.location("entry", n, entry);
            IgnoreRule r = entry(entry, today, w, loc, w.file() + ": entry " + n);
            if (r != null) rules.add(r);
        }
        return rules;
    }

    private static IgnoreRule entry(JsonNode entry, LocalDate today, Warnings w, String loc, String where) {
        if (!entry.isObject()) {
            w.add(loc, "an entry must be a mapping with an 'id'; not applied");
            return null;
        }
        for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!ENTRY_FIELDS.contains(f)) {
                // A misspelt "path:" or "purl:" would otherwise widen the entry to every package: refuse it.
                w.add(loc, "unknown field '" + Text.abbreviate(f) + "' (fields: id, paths, purls, statement, expired_at); entry not applied");
                return null;
            }
        }
        JsonNode idNode = entry.get("id");
        if (idNode == null || !idNode.isTextual() || idNode.asText().isBlank()) {
            w.add(loc, "entry has no 'id' string; not applied");
            return null;
        }
        String id = idNode.asText().strip();
        List<String> pathTexts = strings(entry.get("paths"));
        List<String> purlTexts = strings(entry.get("purls"));
        if (pathTexts == null || purlTexts == null) {
            w.add(loc, Text.abbreviate(id) + ": 'paths' and 'purls' must be lists of strings; entry not applied");
            return null;
        }
        List<Glob> globs = new ArrayList<>();
        for (String p : pathTexts) {
            if (p.length() > MAX_GLOB || p.isBlank()) {
                w.add(loc, Text.abbreviate(id) + ": path pattern is empty or longer than " + MAX_GLOB + " characters; entry not applied");
                return null;
            }
            globs.add(Glob.compile(p));
        }
        List<Purl> purls = new ArrayList<>();
        for (String p : purlTexts) {
            try {
                purls.add(Purl.parse(p));
            } catch (IllegalArgumentException e) {
                w.add(loc, Text.abbreviate(id) + ": " + e.getMessage() + "; entry not applied");
                return null;
            }
        }
        JsonNode st = entry.get("statement");
        String statement = "";
        if (st != null && !st.isNull()) {
            if (!st.isValueNode()) {
                w.add(loc, Text.abbreviate(id) + ": 'statement' must be text; entry not applied");
                return null;
            }
            statement = st.asText();
        }
        JsonNode exp = entry.get("expired_at");
        if (exp != null && !exp.isNull()) {
            LocalDate expiry = exp.isTextual() ? date(exp.asText()) : null;
            if (expiry == null) {
                w.add(loc, Text.abbreviate(id) + ": expired_at '" + Text.abbreviate(exp.asText()) + "' is not a date (YYYY-MM-DD); entry not applied");
                return null;
            }
            if (!today.isBefore(expiry)) {
                w.add(loc, Text.abbreviate(id) + " expired on " + expiry + "; entry not applied");
                return null;
            }
        }
        return new IgnoreRule(id, globs, purls, Text.oneLine(statement), where);
    }

    /** The strings of a list (a lone string counts as a list of one); null when the node is something else. */
    private static List<String> strings(JsonNode n) {
        if (n == null || n.isNull()) return List.of();
        if (n.isTextual()) return List.of(n.asText());
        if (!n.isArray()) return null;
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) return null;
            out.add(e.asText());
        }
        return out;
    }

    /** YYYY-MM-DD, or the date of an ISO date-time; null when neither. */
    static LocalDate date(String s) {
        String t = s.strip();
        try {
            return LocalDate.parse(t);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(t).toLocalDate();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
