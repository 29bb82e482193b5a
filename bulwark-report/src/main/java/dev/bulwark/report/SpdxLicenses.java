package dev.bulwark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which licence strings SBOMs may carry as they are: SPDX licence identifiers (canonical case) and SPDX licence
 * expressions over them (SPDX 2.3 annex D). Everything else is a licence <em>name</em> that each format wraps
 * its own way.
 * <p>
 * The identifiers come from the {@code spdx.schema.json} that CycloneDX publishes (unpacked into this package at
 * build time, see the pom): CycloneDX validators check {@code license.id} against exactly that list. It mixes
 * licence and exception identifiers, so {@code WITH} accepts any listed identifier after it.
 */
final class SpdxLicenses {
    private static final Pattern LICENSE_REF = Pattern.compile("LicenseRef-[A-Za-z0-9.-]+");

    private SpdxLicenses() {
    }

    /** How one declared licence string is to be written. */
    enum Kind { ID, EXPRESSION, NAME }

    /**
     * A declared licence, classified.
     *
     * @param value the canonical identifier or expression; for a NAME the text as declared (stripped)
     */
    record Declared(Kind kind, String value) {
    }

    /** Blank strings are dropped; the rest keep their order. */
    static List<Declared> classify(List<String> licenses) {
        List<Declared> out = new ArrayList<>();
        for (String raw : licenses) {
            if (raw == null || raw.isBlank()) continue;
            String s = raw.strip();
            Optional<String> id = canonicalId(s);
            if (id.isPresent()) {
                out.add(new Declared(Kind.ID, id.get()));
                continue;
            }
            Optional<String> expr = canonicalExpression(s);
            out.add(expr.map(e -> new Declared(Kind.EXPRESSION, e)).orElseGet(() -> new Declared(Kind.NAME, s)));
        }
        return out;
    }

    /** The listed identifier matching {@code s} ignoring case (SPDX ids are case-insensitive), in its listed case. */
    static Optional<String> canonicalId(String s) {
        return Optional.ofNullable(Ids.BY_LOWER.get(s.toLowerCase(Locale.ROOT)));
    }

    /**
     * {@code s} rewritten as a canonical SPDX expression (listed ids in their case, upper-case operators, single
     * spaces), or empty when it is not one. Lower-case operators are accepted, since package metadata often has
     * "MIT or Apache-2.0"; DocumentRef- references are not, as our documents declare no external documents.
     */
    static Optional<String> canonicalExpression(String s) {
        List<String> tokens = tokenize(s);
        if (tokens.isEmpty()) return Optional.empty();
        Parser p = new Parser(tokens);
        try {
            String e = p.or();
            return p.done() ? Optional.of(withoutOuterParentheses(e)) : Optional.empty();
        } catch (Invalid e) {
            return Optional.empty();
        }
    }

    /** "((MIT OR ISC))" is "MIT OR ISC": callers add parentheses where they combine expressions. */
    private static String withoutOuterParentheses(String e) {
        while (e.startsWith("(") && closingParenthesis(e) == e.length() - 1) e = e.substring(1, e.length() - 1);
        return e;
    }

    private static int closingParenthesis(String e) {
        int depth = 0;
        for (int i = 0; i < e.length(); i++) {
            if (e.charAt(i) == '(') depth++;
            else if (e.charAt(i) == ')' && --depth == 0) return i;
        }
        return -1;
    }

    /** The LicenseRef-… identifiers an expression uses. */
    static List<String> licenseRefs(String expression) {
        return tokenize(expression).stream().filter(t -> LICENSE_REF.matcher(t).matches()).toList();
    }

    /** A LicenseRef- identifier made from free text: runs of characters SPDX ids cannot hold become one '-'. */
    static String licenseRef(String text) {
        String idstring = text.replaceAll("[^A-Za-z0-9.]+", "-").replaceAll("^-+|-+$", "");
        return "LicenseRef-" + (idstring.isEmpty() ? "unknown" : idstring);
    }

    private static List<String> tokenize(String s) {
        List<String> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == ')' || Character.isWhitespace(c)) {
                if (!word.isEmpty()) tokens.add(word.toString());
                word.setLength(0);
                if (!Character.isWhitespace(c)) tokens.add(String.valueOf(c));
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) tokens.add(word.toString());
        return tokens;
    }

    /** Recursive descent over: or := and (OR and)*; and := with (AND with)*; with := simple [WITH id] | ( or ). */
    private static final class Parser {
        private final List<String> tokens;
        private int pos;

        Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        boolean done() {
            return pos == tokens.size();
        }

        String or() {
            StringBuilder sb = new StringBuilder(and());
            while (accept("OR")) sb.append(" OR ").append(and());
            return sb.toString();
        }

        String and() {
            StringBuilder sb = new StringBuilder(with());
            while (accept("AND")) sb.append(" AND ").append(with());
            return sb.toString();
        }

        String with() {
            String t = next();
            if (t.equals("(")) {
                String inner = or();
                if (!next().equals(")")) throw new Invalid();
                return "(" + inner + ")"; // SPDX allows no WITH after a parenthesised expression
            }
            String simple = simple(t);
            if (!accept("WITH")) return simple;
            if (simple.startsWith("LicenseRef-")) throw new Invalid();
            return simple + " WITH " + canonicalId(next()).orElseThrow(Invalid::new);
        }

        private String simple(String t) {
            if (isOperator(t) || t.equals(")")) throw new Invalid();
            if (LICENSE_REF.matcher(t).matches()) return t;
            Optional<String> id = canonicalId(t);
            if (id.isPresent()) return id.get();
            if (t.endsWith("+") && t.length() > 1) { // "or any later version" of a listed licence
                return canonicalId(t.substring(0, t.length() - 1)).map(i -> i + "+").orElseThrow(Invalid::new);
            }
            throw new Invalid();
        }

        private boolean accept(String operator) {
            if (pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(operator)) {
                pos++;
                return true;
            }
            return false;
        }

        private String next() {
            if (pos >= tokens.size()) throw new Invalid();
            return tokens.get(pos++);
        }

        private static boolean isOperator(String t) {
            return t.equalsIgnoreCase("AND") || t.equalsIgnoreCase("OR") || t.equalsIgnoreCase("WITH");
        }
    }

    /** Control flow for the parser: cheap (no stack trace), never escapes this class. */
    private static final class Invalid extends RuntimeException {
        Invalid() {
            super(null, null, false, false);
        }
    }

    /** Loaded on first use, once. */
    private static final class Ids {
        static final Map<String, String> BY_LOWER = load();

        private static Map<String, String> load() {
            try (InputStream in = SpdxLicenses.class.getResourceAsStream("spdx.schema.json")) {
                if (in == null) throw new IllegalStateException("spdx.schema.json missing from bulwark-report (broken build)");
                JsonNode ids = new ObjectMapper().readTree(in).path("enum");
                Map<String, String> m = new HashMap<>();
                ids.forEach(id -> m.put(id.asText().toLowerCase(Locale.ROOT), id.asText()));
                if (m.isEmpty()) throw new IllegalStateException("spdx.schema.json lists no licence identifiers");
                return Map.copyOf(m);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
