package dev.bulwark.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule's message with {@code {{variable}}} placeholders ("image {{image}} is not from an allowed registry"),
 * parsed once at load (an unknown name is a load error) and filled from the request's variables. Values are
 * clipped so a hostile request cannot make a message of megabytes.
 */
final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z][A-Za-z0-9]*)\\s*}}");
    private static final int MAX_VALUE = 200;
    private final List<String> literals;
    private final List<String> names;

    private Template(List<String> literals, List<String> names) {
        this.literals = literals;
        this.names = names;
    }

    static Template parse(String text) {
        List<String> lits = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int last = 0;
        while (m.find()) {
            String name = m.group(1);
            if (!Fields.TYPES.containsKey(name)) {
                throw new IllegalArgumentException("message names {{" + name + "}}, which is not a variable (see docs/policy.md)");
            }
            lits.add(text.substring(last, m.start()));
            names.add(name);
            last = m.end();
        }
        lits.add(text.substring(last));
        return new Template(List.copyOf(lits), List.copyOf(names));
    }

    boolean isEmpty() {
        return names.isEmpty() && literals.get(0).isEmpty();
    }

    String render(java.util.function.Function<String, Object> vars) {
        if (names.isEmpty()) return literals.get(0);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(literals.get(i));
            Object v = vars.apply(names.get(i));
            String s = v instanceof List<?> l ? String.join(", ", l.stream().map(String::valueOf).toList()) : String.valueOf(v);
            s = s.replaceAll("[\\p{Cntrl}]", "?");
            sb.append(s.length() > MAX_VALUE ? s.substring(0, MAX_VALUE) + "…" : s);
        }
        sb.append(literals.get(names.size()));
        return sb.toString();
    }
}
