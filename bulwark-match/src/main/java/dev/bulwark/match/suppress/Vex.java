package dev.bulwark.match.suppress;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * VEX documents told apart by content: OpenVEX, CycloneDX, and either of them wrapped in an in-toto statement or a
 * DSSE envelope (as {@code cosign download attestation} writes them; signatures are not checked here).
 */
final class Vex {
    private static final int MAX_WRAPPING = 2;

    private Vex() {
    }

    /** Load order over every VEX file of one {@link Suppressions}: ties of time go to the later statement. */
    static final class Order {
        private long next;

        long next() {
            return next++;
        }
    }

    static List<VexStatement> parse(String name, String text, Order order, Warnings w) throws SuppressionException {
        String t = text.stripLeading();
        if (t.isEmpty()) throw new SuppressionException(name, "is empty, not a VEX document", null);
        if (t.charAt(0) != '{' && t.charAt(0) != '[') {
            throw new SuppressionException(name, "is not a JSON VEX document (OpenVEX or CycloneDX); an ignore file"
                    + " goes to --ignorefile", null);
        }
        Documents.Tree tree = Documents.json(name, text);
        return document(tree, tree.root(), order, w, 0);
    }

    private static List<VexStatement> document(Documents.Tree tree, JsonNode root, Order order, Warnings w, int depth)
            throws SuppressionException {
        String name = tree.name();
        if (!root.isObject()) throw new SuppressionException(name, "a VEX document must be a JSON object", null);
        if (root.has("payloadType") && root.has("payload")) {
            if (depth >= MAX_WRAPPING) throw new SuppressionException(name, "envelopes nested too deeply", null);
            String type = root.path("payloadType").asText("");
            if (!type.equals("application/vnd.in-toto+json")) {
                throw new SuppressionException(name, "is a DSSE envelope of '" + Text.abbreviate(type)
                        + "', not of an in-toto statement", null);
            }
            String payload = root.path("payload").asText("");
            byte[] raw;
            try {
                String compact = payload.replaceAll("\\s+", "");
                raw = compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0
                        ? Base64.getUrlDecoder().decode(compact) : Base64.getDecoder().decode(compact);
            } catch (IllegalArgumentException e) {
                throw new SuppressionException(name, "the envelope's payload is not base64", null);
            }
            String decoded = Documents.text(name + " (payload)", raw);
            Documents.Tree inner = Documents.json(name + " (payload)", decoded);
            // lines of the decoded payload would mislead: the file the user has holds base64
            return document(new Documents.Tree(name, inner.root(), Map.of()), inner.root(), order, w, depth + 1);
        }
        if (root.has("_type") && root.has("predicate")) {
            if (depth >= MAX_WRAPPING) throw new SuppressionException(name, "statements nested too deeply", null);
            String predicateType = root.path("predicateType").asText("").toLowerCase(Locale.ROOT);
            JsonNode predicate = root.get("predicate");
            if (predicateType.contains("openvex") || predicateType.contains("cyclonedx") || predicateType.isEmpty()) {
                return document(tree, predicate, order, w, depth + 1);
            }
            throw new SuppressionException(name, "is an in-toto statement of '" + Text.abbreviate(predicateType)
                    + "', not of a VEX document", null);
        }
        if ("CycloneDX".equalsIgnoreCase(root.path("bomFormat").asText(""))) {
            return CycloneDxVex.parse(tree, root, order, w);
        }
        if (root.path("document").has("csaf_version")) {
            throw new SuppressionException(name, "is a CSAF document; Bulwark reads OpenVEX and CycloneDX VEX", null);
        }
        if (root.path("@context").asText("").toLowerCase(Locale.ROOT).contains("openvex") || root.has("statements")) {
            return OpenVex.parse(tree, root, order, w);
        }
        if (root.has("vulnerabilities") && root.has("specVersion")) {
            return CycloneDxVex.parse(tree, root, order, w);
        }
        throw new SuppressionException(name, "is neither an OpenVEX document (@context https://openvex.dev/ns…) nor"
                + " a CycloneDX BOM (bomFormat CycloneDX)", null);
    }

    /**
     * An RFC 3339 timestamp field of {@code node}, or null when absent; a malformed one is a warning and null
     * (the statement then counts as older than any dated one).
     */
    static Instant time(JsonNode node, String field, String loc, Warnings w) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) return null;
        String s = n.isTextual() ? n.asText().strip() : "";
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                w.add(loc, field + " '" + Text.abbreviate(n.asText()) + "' is not a date-time; ignored");
                return null;
            }
        }
    }

    static Instant later(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }

    /** "label: text" on one line, or the label alone. */
    static String reason(String label, String text) {
        String l = label == null ? "" : Text.oneLine(label);
        String t = text == null ? "" : Text.oneLine(text);
        if (l.isEmpty()) return t;
        return t.isEmpty() ? l : l + ": " + t;
    }
}
