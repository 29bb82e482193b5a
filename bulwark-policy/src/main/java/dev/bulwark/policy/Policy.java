package dev.bulwark.policy;

import dev.bulwark.model.Decision;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded policy: rules in order, the first whose match and condition hold decides, else the explicit
 * default. Audit rules never decide: every audit rule that matches adds a warning, before or after the deciding
 * rule, so an audit report does not depend on where the rule was written. Immutable and thread-safe; a reload builds a new
 * one. Never throws from {@link #decide}: a condition that cannot be evaluated denies, naming its rule.
 */
public final class Policy implements PolicyEngine {
    private final String name;
    private final List<Rule> rules;
    private final Rule.Matcher[] matchers;
    private final boolean defaultAllows;
    private final Template defaultMessage;
    private final List<Map.Entry<String, List<String>>> groupMap;
    private final Map<String, Object> base;

    Policy(String name, List<Rule> rules, boolean defaultAllows, Template defaultMessage,
           List<Map.Entry<String, List<String>>> groupMap, Map<String, Object> params) {
        this.name = name;
        this.rules = List.copyOf(rules);
        this.matchers = this.rules.stream().map(Rule.Matcher::new).toArray(Rule.Matcher[]::new);
        this.defaultAllows = defaultAllows;
        this.defaultMessage = defaultMessage;
        this.groupMap = List.copyOf(groupMap);
        Map<String, Object> b = new HashMap<>(Fields.DEFAULTS);
        b.put(Fields.PARAMS, Map.copyOf(params));
        this.base = Map.copyOf(b);
    }

    /** Where the policy came from (a file name, or "baseline"). */
    public String name() {
        return name;
    }

    List<Rule> rules() {
        return rules;
    }

    /** The rule names in evaluation order. */
    public List<String> ruleNames() {
        return rules.stream().map(Rule::name).toList();
    }

    /** Where each rule was written ("file:line"), in evaluation order. */
    public List<String> ruleOrigins() {
        return rules.stream().map(Rule::origin).toList();
    }

    public boolean defaultAllows() {
        return defaultAllows;
    }

    /** The parameters rules see as {@code params}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> params() {
        return (Map<String, Object>) base.get(Fields.PARAMS);
    }

    /**
     * The groups of a Docker user by the policy's {@code groups:} mapping (user globs to groups, every matching
     * entry counts). Kubernetes users bring their groups in userInfo.
     */
    public List<String> groupsOf(String user) {
        Set<String> out = new LinkedHashSet<>();
        for (Map.Entry<String, List<String>> e : groupMap) {
            if (Globs.match(e.getKey(), user == null ? "" : user)) out.addAll(e.getValue());
        }
        return List.copyOf(out);
    }

    @Override
    public Decision decide(PolicyRequest request) {
        if (request == null) return Decision.deny("internal-error", "no request");
        try {
            List<String> groups = request.groups();
            if (PolicyRequest.DOCKER.equals(request.source()) && !groupMap.isEmpty()) {
                Set<String> all = new LinkedHashSet<>(groups);
                all.addAll(groupsOf(request.user()));
                groups = List.copyOf(all);
            }
            Vars vars = new Vars(request, groups);
            List<String> warnings = new ArrayList<>(0);
            for (int i = 0; i < rules.size(); i++) {
                Rule rule = rules.get(i);
                if (!matchers[i].matches(request, groups)) continue;
                boolean holds;
                try {
                    holds = rule.condition() == null || rule.condition().test(vars);
                } catch (Exception e) {
                    String why = "rule " + rule.name() + ": condition could not be evaluated (" + why(e) + ")";
                    if (rule.effect() == Rule.Effect.AUDIT) {
                        warnings.add(why);
                        continue;
                    }
                    return new Decision(false, rule.name(), why + "; denied", audits(i + 1, request, groups, vars, warnings));
                }
                if (!holds) continue;
                String msg = rule.message().render(vars);
                switch (rule.effect()) {
                    case AUDIT -> warnings.add(rule.name() + ": " + (msg.isEmpty() ? "matched" : msg));
                    case ALLOW -> {
                        return new Decision(true, rule.name(), msg, audits(i + 1, request, groups, vars, warnings));
                    }
                    case DENY -> {
                        return new Decision(false, rule.name(), msg.isEmpty() ? "denied by rule " + rule.name() : msg,
                                audits(i + 1, request, groups, vars, warnings));
                    }
                }
            }
            String msg = defaultMessage.render(vars);
            if (!defaultAllows && msg.isEmpty()) msg = "denied: no rule allows " + request.action();
            return new Decision(defaultAllows, "default", msg, warnings);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return Decision.deny("internal-error", "the policy could not be evaluated: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The warnings of the audit rules after the deciding one: audit rules report on every request they match,
     * wherever they stand, and never change the decision (one that cannot be evaluated is itself a warning).
     */
    private List<String> audits(int from, PolicyRequest request, List<String> groups, Vars vars, List<String> warnings) {
        for (int j = from; j < rules.size(); j++) {
            Rule r = rules.get(j);
            if (r.effect() != Rule.Effect.AUDIT || !matchers[j].matches(request, groups)) continue;
            try {
                if (r.condition() == null || r.condition().test(vars)) {
                    String msg = r.message().render(vars);
                    warnings.add(r.name() + ": " + (msg.isEmpty() ? "matched" : msg));
                }
            } catch (Exception e) {
                warnings.add("rule " + r.name() + ": condition could not be evaluated (" + why(e) + ")");
            }
        }
        return warnings;
    }

    /** The evaluation error in one line, with its cause (CEL names the failed function, its cause says why). */
    private static String why(Exception e) {
        String m = e.getMessage();
        Throwable c = e;
        for (int i = 0; i < 10 && c.getCause() != null && c.getCause() != c; i++) c = c.getCause();
        if (c != e && c.getMessage() != null && (m == null || !m.contains(c.getMessage()))) m = m + ": " + c.getMessage();
        return PolicyException.oneLineOf(m);
    }

    /**
     * The variables of one evaluation, looked up without copying: the request's own fields, then its object
     * (declared names only; integral numbers widened to Long for int variables), then the defaults and params.
     */
    private final class Vars implements java.util.function.Function<String, Object> {
        private final PolicyRequest r;
        private final List<String> groups;

        Vars(PolicyRequest r, List<String> groups) {
            this.r = r;
            this.groups = groups;
        }

        @Override
        public Object apply(String name) {
            switch (name) {
                case Fields.SOURCE: return r.source();
                case Fields.USER: return r.user();
                case Fields.GROUPS: return groups;
                case Fields.ACTION: return r.action();
                case Fields.PARAMS: return base.get(Fields.PARAMS);
                default: break;
            }
            Object v = r.object().get(name);
            CelType t = Fields.TYPES.get(name);
            if (v == null || t == null) return base.get(name);
            // a value of the wrong type is passed on as it is: CEL then fails and the rule denies (fail closed)
            if (t == SimpleType.INT && v instanceof Number n && !(v instanceof Long)) return n.longValue();
            return v;
        }
    }
}
