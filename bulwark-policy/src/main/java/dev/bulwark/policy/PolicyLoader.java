package dev.bulwark.policy;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a policy file into a {@link Policy}: checks the header, every key (an unknown key is an error, so
 * "efect: deny" cannot silently become a rule without an effect), compiles every condition, and reports the
 * first problem as {@code file:line: rule NAME: what}.
 */
final class PolicyLoader {
    static final String API_VERSION = "bulwark.dev/v1";
    static final String KIND = "Policy";
    static final String BASELINE = "baseline";
    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "extends", "exclude", "params",
            "groups", "default", "rules");
    private static final Set<String> RULE = Set.of("name", "description", "match", "condition", "effect", "message");
    private static final Set<String> MATCH = Set.of("users", "groups", "sources", "actions");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final String file;

    private PolicyLoader(String file) {
        this.file = file;
    }

    /**
     * @param baseline the built-in baseline, for {@code extends: baseline} (null while loading the baseline itself)
     * @param override parameters that replace the file's own (for {@link Policies#baseline(Map)}), may be empty
     */
    static Policy load(String file, String text, Policy baseline, Map<String, Object> override) throws PolicyException {
        return new PolicyLoader(file).read(Yamls.load(file, text), baseline, override);
    }

    private Policy read(Node root, Policy baseline, Map<String, Object> override) throws PolicyException {
        if (!(root instanceof MappingNode)) throw err(root, "a policy is a mapping (apiVersion, kind, default, rules)");
        checkKeys(root, TOP, null);
        String api = scalar(Yamls.get(root, "apiVersion"), root, "apiVersion", null);
        if (!API_VERSION.equals(api)) throw err(Yamls.get(root, "apiVersion"), "apiVersion must be " + API_VERSION + ", not \"" + api + "\"");
        String kind = scalar(Yamls.get(root, "kind"), root, "kind", null);
        if (!KIND.equals(kind)) throw err(Yamls.get(root, "kind"), "kind must be " + KIND + ", not \"" + kind + "\"");

        Node ext = Yamls.get(root, "extends");
        boolean extendsBaseline = false;
        if (!Yamls.isNull(ext)) {
            String e = scalar(ext, root, "extends", null);
            if (!BASELINE.equals(e)) throw err(ext, "extends: only \"baseline\" can be extended, not \"" + e + "\"");
            if (baseline == null) throw err(ext, "the baseline cannot extend itself");
            extendsBaseline = true;
        }

        Map<String, Object> params = new LinkedHashMap<>();
        if (extendsBaseline) params.putAll(baseline.params());
        Node p = Yamls.get(root, "params");
        if (!Yamls.isNull(p)) {
            if (!(p instanceof MappingNode)) throw err(p, "params must be a mapping of names to values");
            for (NodeTuple t : Yamls.entries(p)) {
                String k = scalar(t.getKeyNode(), p, "params key", null);
                Object v = Yamls.toJava(t.getValueNode());
                if (extendsBaseline && params.containsKey(k)) checkSameKind(t.getValueNode(), k, params.get(k), v);
                params.put(k, v == null ? "" : v);
            }
        }
        for (Map.Entry<String, Object> e : override.entrySet()) {
            if (!params.containsKey(e.getKey())) {
                throw PolicyException.at(file, 0, "unknown parameter \"" + e.getKey() + "\" (known: " + String.join(", ", params.keySet()) + ")");
            }
            Object old = params.get(e.getKey());
            Object v = e.getValue();
            if (old instanceof List<?> && v instanceof List<?> l) v = List.copyOf(l.stream().map(String::valueOf).toList());
            if (!sameKind(old, v)) {
                throw PolicyException.at(file, 0, "parameter " + e.getKey() + " must be " + kindOf(old) + ", not " + kindOf(v));
            }
            params.put(e.getKey(), v);
        }
        params.replaceAll((k, v) -> deepCopy(v));

        List<Map.Entry<String, List<String>>> groups = new ArrayList<>();
        Node g = Yamls.get(root, "groups");
        if (!Yamls.isNull(g)) {
            if (!(g instanceof MappingNode)) throw err(g, "groups must map user names (globs) to lists of groups");
            for (NodeTuple t : Yamls.entries(g)) {
                String user = scalar(t.getKeyNode(), g, "groups key", null);
                groups.add(new AbstractMap.SimpleImmutableEntry<>(user, strings(t.getValueNode(), "groups of " + user, null)));
            }
        }

        Node def = Yamls.get(root, "default");
        if (Yamls.isNull(def)) throw err(root, "default is required: say \"default: allow\" or \"default: deny\"");
        boolean defaultAllows;
        Template defaultMessage = Template.parse("");
        if (def instanceof MappingNode) {
            checkKeys(def, Set.of("effect", "message"), null);
            defaultAllows = effect(Yamls.get(def, "effect"), def, null, false) == Rule.Effect.ALLOW;
            Node m = Yamls.get(def, "message");
            if (!Yamls.isNull(m)) defaultMessage = template(m, null);
        } else {
            defaultAllows = effect(def, root, null, false) == Rule.Effect.ALLOW;
        }

        List<Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Node rs = Yamls.get(root, "rules");
        if (!Yamls.isNull(rs)) {
            if (!(rs instanceof SequenceNode seq)) throw err(rs, "rules must be a list");
            for (Node rn : seq.getValue()) {
                Rule r = rule(rn);
                if (!names.add(r.name())) throw err(rn, "rule " + r.name() + ": a rule of that name comes earlier (names must be unique)");
                rules.add(r);
            }
        }

        if (extendsBaseline) {
            Set<String> exclude = new HashSet<>();
            Node ex = Yamls.get(root, "exclude");
            if (!Yamls.isNull(ex)) {
                for (String n : strings(ex, "exclude", null)) {
                    if (!baseline.ruleNames().contains(n)) {
                        throw err(ex, "exclude: the baseline has no rule \"" + n + "\" (it has " + String.join(", ", baseline.ruleNames()) + ")");
                    }
                    exclude.add(n);
                }
            }
            for (Rule r : baseline.rules()) {
                if (exclude.contains(r.name())) continue;
                if (!names.add(r.name())) throw err(rs, "rule " + r.name() + ": the baseline has a rule of that name (rename yours or exclude the baseline's)");
                rules.add(r);
            }
        } else if (!Yamls.isNull(Yamls.get(root, "exclude"))) {
            throw err(Yamls.get(root, "exclude"), "exclude applies only with extends: baseline");
        }
        return new Policy(file, rules, defaultAllows, defaultMessage, groups, params);
    }

    private Rule rule(Node rn) throws PolicyException {
        if (!(rn instanceof MappingNode)) throw err(rn, "a rule is a mapping (name, match, condition, effect, message)");
        Node nameNode = Yamls.get(rn, "name");
        if (Yamls.isNull(nameNode)) throw err(rn, "a rule needs a name");
        String name = scalar(nameNode, rn, "name", null);
        if (!NAME.matcher(name).matches()) throw err(nameNode, "rule name \"" + clip(name) + "\": use letters, digits, '.', '_' and '-' (at most 100)");
        checkKeys(rn, RULE, name);
        Node d = Yamls.get(rn, "description");
        String description = Yamls.isNull(d) ? "" : scalar(d, rn, "description", name);

        List<String> users = List.of(), groups = List.of(), sources = List.of(), actions = List.of();
        Node m = Yamls.get(rn, "match");
        if (!Yamls.isNull(m)) {
            if (!(m instanceof MappingNode)) throw err(m, "rule " + name + ": match must be a mapping (users, groups, sources, actions)");
            checkKeys(m, MATCH, name);
            users = optStrings(Yamls.get(m, "users"), "match.users", name);
            groups = optStrings(Yamls.get(m, "groups"), "match.groups", name);
            sources = optStrings(Yamls.get(m, "sources"), "match.sources", name);
            for (String s : sources) {
                if (!s.equals(PolicyRequest.DOCKER) && !s.equals(PolicyRequest.KUBERNETES)) {
                    throw err(Yamls.get(m, "sources"), "rule " + name + ": match.sources: \"" + clip(s) + "\" is neither docker nor kubernetes");
                }
            }
            actions = optStrings(Yamls.get(m, "actions"), "match.actions", name);
            for (String a : actions) {
                if (!Actions.plausible(a)) {
                    throw err(Yamls.get(m, "actions"), "rule " + name + ": match.actions: \"" + clip(a) + "\" matches no action (see docs/policy.md)");
                }
            }
        }

        Conditions.Compiled condition = null;
        Node c = Yamls.get(rn, "condition");
        if (!Yamls.isNull(c)) {
            String expr = scalar(c, rn, "condition", name);
            if (expr.isBlank()) throw err(c, "rule " + name + ": condition is empty (leave it out to match always)");
            try {
                condition = Conditions.compile(expr);
            } catch (Conditions.CompileError e) {
                int line = Yamls.line(c);
                if (e.line > 0) {
                    boolean block = c instanceof ScalarNode s && (s.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL
                            || s.getScalarStyle() == DumperOptions.ScalarStyle.FOLDED);
                    line += block ? e.line : e.line - 1;
                }
                throw PolicyException.at(file, line, "rule " + name + ": condition " + e.getMessage());
            }
        }
        Node en = Yamls.get(rn, "effect");
        if (Yamls.isNull(en)) throw err(rn, "rule " + name + ": effect is required (allow, deny or audit)");
        Rule.Effect effect = effect(en, rn, name, true);
        Node msg = Yamls.get(rn, "message");
        Template message = Yamls.isNull(msg) ? Template.parse("") : template(msg, name);
        return new Rule(name, description, users, groups, sources, actions, condition, effect, message, file + ":" + Yamls.line(rn));
    }

    private Template template(Node n, String rule) throws PolicyException {
        String text = scalar(n, n, "message", rule);
        try {
            return Template.parse(text);
        } catch (IllegalArgumentException e) {
            throw err(n, prefix(rule) + e.getMessage());
        }
    }

    private Rule.Effect effect(Node n, Node parent, String rule, boolean auditAllowed) throws PolicyException {
        String s = scalar(n, parent, "effect", rule);
        return switch (s) {
            case "allow" -> Rule.Effect.ALLOW;
            case "deny" -> Rule.Effect.DENY;
            case "audit" -> {
                if (!auditAllowed) throw err(n, "default must be allow or deny, not audit");
                yield Rule.Effect.AUDIT;
            }
            default -> throw err(n, prefix(rule) + (rule == null ? "default" : "effect") + " must be allow, deny"
                    + (auditAllowed ? " or audit" : "") + ", not \"" + clip(s) + "\"");
        };
    }

    private void checkKeys(Node map, Set<String> allowed, String rule) throws PolicyException {
        for (NodeTuple t : Yamls.entries(map)) {
            Node k = t.getKeyNode();
            String key = k instanceof ScalarNode s ? s.getValue() : "?";
            if (!allowed.contains(key)) {
                throw err(k, prefix(rule) + "unknown key \"" + clip(key) + "\" (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private String scalar(Node n, Node parent, String what, String rule) throws PolicyException {
        if (Yamls.isNull(n)) throw err(parent, prefix(rule) + what + " is required");
        if (!(n instanceof ScalarNode s)) throw err(n, prefix(rule) + what + " must be a single value");
        return s.getValue();
    }

    private List<String> optStrings(Node n, String what, String rule) throws PolicyException {
        return Yamls.isNull(n) ? List.of() : strings(n, what, rule);
    }

    private List<String> strings(Node n, String what, String rule) throws PolicyException {
        if (n instanceof ScalarNode s && !Yamls.isNull(n)) return List.of(s.getValue());
        if (!(n instanceof SequenceNode seq)) throw err(n, prefix(rule) + what + " must be a list of strings");
        List<String> out = new ArrayList<>();
        for (Node c : seq.getValue()) {
            if (!(c instanceof ScalarNode s) || Yamls.isNull(c)) throw err(c, prefix(rule) + what + ": every entry must be a string");
            out.add(s.getValue());
        }
        return List.copyOf(out);
    }

    private void checkSameKind(Node n, String key, Object old, Object v) throws PolicyException {
        if (!sameKind(old, v)) throw err(n, "params." + key + " must be " + kindOf(old) + " (as in the baseline), not " + kindOf(v));
        if (v instanceof List<?> l) {
            for (Object o : l) if (!(o instanceof String)) throw err(n, "params." + key + ": every entry must be a string");
        }
    }

    private static boolean sameKind(Object a, Object b) {
        return (a instanceof List<?> && b instanceof List<?>) || (a instanceof Boolean && b instanceof Boolean)
                || (a instanceof String && b instanceof String) || (a instanceof Number && b instanceof Number)
                || (a instanceof Map<?, ?> && b instanceof Map<?, ?>);
    }

    private static String kindOf(Object o) {
        if (o instanceof List<?>) return "a list";
        if (o instanceof Boolean) return "true or false";
        if (o instanceof String) return "a string";
        if (o instanceof Number) return "a number";
        if (o instanceof Map<?, ?>) return "a mapping";
        return "null";
    }

    /** Immutable copies CEL can read: lists and maps of strings, Long, Double, Boolean. */
    private static Object deepCopy(Object v) {
        if (v instanceof List<?> l) return List.copyOf(l.stream().map(x -> x == null ? "" : deepCopy(x)).toList());
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), x == null ? "" : deepCopy(x)));
            return java.util.Collections.unmodifiableMap(out);
        }
        if (v instanceof Integer i) return i.longValue();
        return v;
    }

    private static String prefix(String rule) {
        return rule == null ? "" : "rule " + rule + ": ";
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    private PolicyException err(Node n, String message) {
        return PolicyException.at(file, Yamls.line(n), message);
    }
}
