package dev.bulwark.match.suppress;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CycloneDX 1.4–1.6 BOMs carrying {@code vulnerabilities} with an {@code analysis}: each vulnerability becomes a
 * {@link VexStatement} about the components its {@code affects[].ref} names (a bom-ref of the BOM's components, a
 * BOM-Link {@code urn:cdx:serial/version#bom-ref}, or a package URL).
 */
final class CycloneDxVex {
    static final String BY = "cyclonedx-vex";
    static final Set<String> JUSTIFICATIONS = Set.of("code_not_present", "code_not_reachable",
            "requires_configuration", "requires_dependency", "requires_environment", "protected_by_compiler",
            "protected_at_runtime", "protected_at_perimeter", "protected_by_mitigating_control");
    private static final int MAX_COMPONENTS = 1_000_000;

    private CycloneDxVex() {
    }

    static List<VexStatement> parse(Documents.Tree tree, JsonNode root, Vex.Order order, Warnings w)
            throws SuppressionException {
        String spec = root.path("specVersion").asText("");
        if (!spec.matches("1\\.[4-9]\\d*")) {
            if (spec.matches("1\\.[0-3]")) {
                throw new SuppressionException(tree.name(), "is CycloneDX " + spec
                        + ", which has no vulnerabilities; VEX needs CycloneDX 1.4 or later", null);
            }
            w.add("", "specVersion '" + Text.abbreviate(spec) + "' is not 1.4–1.6; read as 1.6");
        }
        JsonNode vulns = root.get("vulnerabilities");
        if (vulns == null || vulns.isNull()) {
            w.add("", "is a CycloneDX BOM without vulnerabilities; it suppresses nothing");
            return List.of();
        }
        if (!vulns.isArray()) throw new SuppressionException(tree.name(), "'vulnerabilities' must be a list", null);
        Map<String, JsonNode> byRef = components(root);
        Instant docTime = Vex.time(root.path("metadata"), "timestamp", "", w);
        List<VexStatement> out = new ArrayList<>();
        int n = 0;
        for (JsonNode v : vulns) {
            n++;
            String loc = tree.location("vulnerability", n, v);
            VexStatement st = statement(v, byRef, docTime, order, w, loc, tree.name() + loc);
            if (st != null) out.add(st);
        }
        return out;
    }

    /** bom-ref → component, over metadata.component and every (nested) component. */
    private static Map<String, JsonNode> components(JsonNode root) {
        Map<String, JsonNode> byRef = new HashMap<>();
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.add(root.path("metadata").path("component"));
        todo.add(root.path("components"));
        int seen = 0;
        while (!todo.isEmpty() && seen++ < MAX_COMPONENTS) {
            JsonNode n = todo.poll();
            if (n.isArray()) {
                n.forEach(todo::add);
            } else if (n.isObject()) {
                JsonNode ref = n.get("bom-ref");
                if (ref != null && ref.isTextual()) byRef.putIfAbsent(ref.asText(), n);
                JsonNode nested = n.get("components");
                if (nested != null) todo.add(nested);
            }
        }
        return byRef;
    }

    private static VexStatement statement(JsonNode v, Map<String, JsonNode> byRef, Instant docTime, Vex.Order order,
                                          Warnings w, String loc, String where) {
        if (!v.isObject()) {
            w.add(loc, "a vulnerability must be an object; not applied");
            return null;
        }
        String id = OpenVex.textOrNull(v.get("id"));
        if (id == null) {
            w.add(loc, "has no id; not applied");
            return null;
        }
        Set<String> ids = new LinkedHashSet<>();
        ids.add(Ids.key(id));
        for (JsonNode r : v.path("references")) {
            String alias = OpenVex.textOrNull(r.get("id"));
            if (alias != null) ids.add(Ids.key(alias));
        }
        JsonNode analysis = v.get("analysis");
        if (analysis == null || !analysis.isObject()) {
            w.add(loc, Text.abbreviate(id) + ": no analysis, so no VEX status; not applied");
            return null;
        }
        String state = OpenVex.textOrNull(analysis.get("state"));
        VexStatus status = state == null ? null : status(state);
        if (status == null) {
            w.add(loc, Text.abbreviate(id) + ": analysis.state '" + Text.abbreviate(state == null ? "" : state)
                    + "' is not one of resolved, resolved_with_pedigree, exploitable, in_triage, false_positive, not_affected; not applied");
            return null;
        }
        String justification = OpenVex.textOrNull(analysis.get("justification"));
        if (justification != null && !JUSTIFICATIONS.contains(justification)) {
            w.add(loc, Text.abbreviate(id) + ": unknown justification '" + Text.abbreviate(justification) + "' (applied all the same)");
        }
        List<VexStatement.Product> products = new ArrayList<>();
        JsonNode affects = v.get("affects");
        if (affects != null && affects.isArray()) {
            for (JsonNode a : affects) {
                String ref = OpenVex.textOrNull(a.get("ref"));
                Purl p = ref == null ? null : resolve(ref, byRef);
                if (p == null) {
                    w.add(loc, Text.abbreviate(id) + ": affects ref '" + Text.abbreviate(ref == null ? "" : ref)
                            + "' is neither a package URL nor a bom-ref of a component with one; skipped");
                } else {
                    products.add(new VexStatement.Product(List.of(p), List.of()));
                }
            }
        }
        if (products.isEmpty()) {
            w.add(loc, Text.abbreviate(id) + ": affects names no component with a package URL; not applied");
            return null;
        }
        Instant t = Vex.later(Vex.time(analysis, "lastUpdated", loc, w), Vex.time(analysis, "firstIssued", loc, w));
        if (t == null) t = Vex.later(Vex.time(v, "updated", loc, w), Vex.time(v, "published", loc, w));
        if (t == null) t = docTime;
        String detail = OpenVex.textOrNull(analysis.get("detail"));
        String reason = Vex.reason(justification != null ? justification : state.strip().toLowerCase(Locale.ROOT), detail);
        return new VexStatement(ids, products, status, t, order.next(), BY, reason, where);
    }

    /** A ref as a purl: a BOM-Link's fragment, a bom-ref of a component (its purl), or a purl itself. */
    private static Purl resolve(String ref, Map<String, JsonNode> byRef) {
        String r = ref;
        if (r.regionMatches(true, 0, "urn:cdx:", 0, 8)) {
            int hash = r.indexOf('#');
            if (hash < 0) return null; // a link to a whole BOM names no component
            try {
                r = Purl.decode(r.substring(hash + 1), ref);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        JsonNode c = byRef.get(r);
        if (c != null) return Purl.tryParse(OpenVex.textOrNull(c.get("purl")));
        return Purl.tryParse(r);
    }

    static VexStatus status(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "not_affected", "false_positive" -> VexStatus.NOT_AFFECTED;
            case "resolved", "resolved_with_pedigree" -> VexStatus.FIXED;
            case "exploitable" -> VexStatus.AFFECTED;
            case "in_triage" -> VexStatus.UNDER_INVESTIGATION;
            default -> null;
        };
    }
}
