package dev.bulwark.match.suppress;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * OpenVEX documents (v0.2.0, and the v0.0.x forms where {@code vulnerability} and products were plain strings):
 * each statement becomes a {@link VexStatement}; a statement that cannot be used is a warning.
 */
final class OpenVex {
    static final String BY = "openvex";
    static final Set<String> JUSTIFICATIONS = Set.of("component_not_present", "vulnerable_code_not_present",
            "vulnerable_code_not_in_execute_path", "vulnerable_code_cannot_be_controlled_by_adversary",
            "inline_mitigations_already_exist");

    private OpenVex() {
    }

    static List<VexStatement> parse(Documents.Tree tree, JsonNode root, Vex.Order order, Warnings w)
            throws SuppressionException {
        String context = root.path("@context").asText("");
        if (!context.isEmpty() && !context.toLowerCase(Locale.ROOT).contains("openvex")) {
            w.add("", "@context '" + Text.abbreviate(context) + "' is not OpenVEX's; read as OpenVEX anyway");
        }
        JsonNode statements = root.get("statements");
        if (statements == null || !statements.isArray()) {
            throw new SuppressionException(tree.name(), "an OpenVEX document needs a 'statements' list", null);
        }
        Instant docTime = Vex.time(root, "timestamp", "", w);
        Instant docUpdated = Vex.time(root, "last_updated", "", w);
        Instant inherited = Vex.later(docTime, docUpdated);
        List<VexStatement> out = new ArrayList<>();
        int n = 0;
        for (JsonNode s : statements) {
            n++;
            String loc = tree.location("statement", n, s);
            VexStatement st = statement(s, inherited, order, w, loc, tree.name() + loc);
            if (st != null) out.add(st);
        }
        if (n == 0) w.add("", "has no statements; it suppresses nothing");
        return out;
    }

    private static VexStatement statement(JsonNode s, Instant inherited, Vex.Order order, Warnings w, String loc,
                                          String where) {
        if (!s.isObject()) {
            w.add(loc, "a statement must be an object; not applied");
            return null;
        }
        Set<String> ids = vulnerabilityIds(s.get("vulnerability"));
        if (ids.isEmpty()) {
            w.add(loc, "names no vulnerability (vulnerability.name); not applied");
            return null;
        }
        String label = ids.iterator().next();
        JsonNode statusNode = s.get("status");
        VexStatus status = statusNode != null && statusNode.isTextual() ? status(statusNode.asText()) : null;
        if (status == null) {
            w.add(loc, label + ": status '" + Text.abbreviate(statusNode == null ? "" : statusNode.asText())
                    + "' is not one of not_affected, affected, fixed, under_investigation; not applied");
            return null;
        }
        String justification = textOrNull(s.get("justification"));
        String impact = textOrNull(s.get("impact_statement"));
        if (status == VexStatus.NOT_AFFECTED) {
            if (justification == null && impact == null) {
                w.add(loc, label + ": not_affected without a justification or impact_statement; not applied");
                return null;
            }
            if (justification != null && !JUSTIFICATIONS.contains(justification)) {
                w.add(loc, label + ": unknown justification '" + Text.abbreviate(justification) + "' (applied all the same)");
            }
        }
        List<VexStatement.Product> products = new ArrayList<>();
        JsonNode ps = s.get("products");
        if (ps != null && ps.isArray()) {
            int k = 0;
            for (JsonNode p : ps) {
                k++;
                VexStatement.Product product = product(p, w, loc, label, k);
                if (product != null) products.add(product);
            }
        } else if (ps != null && !ps.isNull()) {
            w.add(loc, label + ": 'products' must be a list; not applied");
            return null;
        }
        if (products.isEmpty()) {
            w.add(loc, label + ": names no product with a package URL; not applied");
            return null;
        }
        Instant t = Vex.later(Vex.time(s, "timestamp", loc, w), Vex.time(s, "last_updated", loc, w));
        String reason = switch (status) {
            case NOT_AFFECTED -> Vex.reason(justification, impact);
            case FIXED -> Vex.reason("fixed", textOrNull(s.get("status_notes")));
            default -> Vex.reason(status.name().toLowerCase(Locale.ROOT), textOrNull(s.get("status_notes")));
        };
        return new VexStatement(ids, products, status, t != null ? t : inherited, order.next(), BY, reason, where);
    }

    private static Set<String> vulnerabilityIds(JsonNode v) {
        Set<String> ids = new LinkedHashSet<>();
        if (v == null) return ids;
        if (v.isTextual()) { // OpenVEX 0.0.x
            if (!v.asText().isBlank()) ids.add(Ids.key(v.asText()));
            return ids;
        }
        if (!v.isObject()) return ids;
        String name = textOrNull(v.get("name"));
        if (name != null) ids.add(Ids.key(name));
        String fromIri = Ids.fromIri(textOrNull(v.get("@id")));
        if (fromIri != null) ids.add(Ids.key(fromIri));
        JsonNode aliases = v.get("aliases");
        if (aliases != null && aliases.isArray()) {
            for (JsonNode a : aliases) {
                if (a.isTextual() && !a.asText().isBlank()) ids.add(Ids.key(a.asText()));
            }
        }
        return ids;
    }

    private static VexStatement.Product product(JsonNode p, Warnings w, String loc, String label, int k) {
        List<Purl> purls = purls(p, w, loc, label, "product " + k);
        if (purls.isEmpty()) {
            w.add(loc, label + ": product " + k + " has no package URL (@id or identifiers.purl); skipped");
            return null;
        }
        List<List<Purl>> subs = new ArrayList<>();
        JsonNode sc = p.isObject() ? p.get("subcomponents") : null;
        if (sc != null && sc.isArray()) {
            int j = 0;
            for (JsonNode c : sc) {
                j++;
                List<Purl> cp = purls(c, w, loc, label, "product " + k + " subcomponent " + j);
                if (cp.isEmpty()) {
                    w.add(loc, label + ": product " + k + " subcomponent " + j + " has no package URL; skipped");
                } else {
                    subs.add(cp);
                }
            }
            if (subs.isEmpty() && !sc.isEmpty()) {
                // Every subcomponent was unusable: applying the statement to the whole product would widen it.
                w.add(loc, label + ": product " + k + " has no usable subcomponent; skipped");
                return null;
            }
        } else if (sc != null && !sc.isNull()) {
            w.add(loc, label + ": product " + k + " 'subcomponents' must be a list; skipped");
            return null;
        }
        return new VexStatement.Product(purls, subs);
    }

    /** The package URLs of a component: its @id when that is a purl, and identifiers.purl; a string is an @id. */
    private static List<Purl> purls(JsonNode c, Warnings w, String loc, String label, String what) {
        List<String> texts = new ArrayList<>();
        if (c.isTextual()) {
            texts.add(c.asText());
        } else if (c.isObject()) {
            String id = textOrNull(c.get("@id"));
            if (id != null && id.regionMatches(true, 0, "pkg:", 0, 4)) texts.add(id);
            String purl = textOrNull(c.path("identifiers").get("purl"));
            if (purl != null && !texts.contains(purl)) texts.add(purl);
        }
        List<Purl> out = new ArrayList<>();
        for (String t : texts) {
            try {
                out.add(Purl.parse(t));
            } catch (IllegalArgumentException e) {
                w.add(loc, label + ": " + what + ": " + e.getMessage());
            }
        }
        return out;
    }

    static VexStatus status(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "not_affected" -> VexStatus.NOT_AFFECTED;
            case "fixed" -> VexStatus.FIXED;
            case "affected" -> VexStatus.AFFECTED;
            case "under_investigation" -> VexStatus.UNDER_INVESTIGATION;
            default -> null;
        };
    }

    static String textOrNull(JsonNode n) {
        return n != null && n.isTextual() && !n.asText().isBlank() ? n.asText().strip() : null;
    }
}
