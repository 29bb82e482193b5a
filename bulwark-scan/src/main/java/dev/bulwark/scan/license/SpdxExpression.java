package dev.bulwark.scan.license;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SPDX licence expressions (SPDX 2.3 annex D): {@link #strict} accepts only valid ones and writes them canonically;
 * {@link #tolerant} reads what people write ("GPL-2+ or Artistic", "Apache 2.0 / MIT", "(MIT AND") and always
 * returns a valid expression, naming unknown operands with LicenseRef-….
 *
 * <p>Grammar: or := and (OR and)*; and := with (AND with)*; with := simple [WITH exception] | "(" or ")".
 */
final class SpdxExpression {
    private static final Pattern LICENSE_REF = Pattern.compile("LicenseRef-[A-Za-z0-9.-]+");
    /** Operators as people write them: words, "&"/"|" and (outside URLs) "/"; parentheses kept as tokens. */
    private static final Pattern LOOSE_OPERATOR = Pattern.compile("(?i)(?:^|\\s+|(?<=\\)))(and|or|with)(?=[\\s(]|$)\\s*|\\s*(&&?|\\|\\|?)\\s*|\\s*([()])");
    private static final Pattern SLASH = Pattern.compile("\\s*/\\s*");
    private static final int MAX_TOKENS = 200;

    private SpdxExpression() {
    }

    sealed interface Node permits Leaf, With, Op {
    }

    /** A licence id, "id+" or LicenseRef. */
    record Leaf(String id) implements Node {
    }

    record With(String license, String exception) implements Node {
    }

    /** AND or OR over two or more operands. */
    record Op(String op, List<Node> operands) implements Node {
    }

    // ------------------------------------------------------------------ strict

    /** The canonical form of a valid SPDX expression (ids in listed case, operators upper case), or null. */
    static String strict(String s) {
        Node n = parseStrict(s);
        return n == null ? null : print(n);
    }

    static Node parseStrict(String s) {
        List<String> tokens = new ArrayList<>();
        Matcher m = Pattern.compile("[()]|[^\\s()]+").matcher(s);
        while (m.find()) {
            tokens.add(m.group());
            if (tokens.size() > MAX_TOKENS) return null;
        }
        if (tokens.isEmpty()) return null;
        StrictParser p = new StrictParser(tokens);
        try {
            Node n = p.or(0);
            return p.pos == tokens.size() ? n : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static final class StrictParser {
        final List<String> t;
        int pos;

        StrictParser(List<String> t) {
            this.t = t;
        }

        Node or(int depth) {
            List<Node> xs = new ArrayList<>(List.of(and(depth)));
            while (accept("OR")) xs.add(and(depth));
            return combine("OR", xs);
        }

        Node and(int depth) {
            List<Node> xs = new ArrayList<>(List.of(with(depth)));
            while (accept("AND")) xs.add(with(depth));
            return combine("AND", xs);
        }

        Node with(int depth) {
            String tok = next();
            if (tok.equals("(")) {
                if (depth > 32) throw new IllegalArgumentException();
                Node inner = or(depth + 1);
                if (!next().equals(")")) throw new IllegalArgumentException();
                return inner;
            }
            Node simple = simple(tok);
            if (!accept("WITH")) return simple;
            String exception = SpdxIds.canonical(next());
            if (!(simple instanceof Leaf l) || l.id().startsWith("LicenseRef-") || exception == null || !SpdxIds.isException(exception))
                throw new IllegalArgumentException();
            return new With(l.id(), exception);
        }

        /** A listed licence (deprecated GNU ids rewritten: "GPL-2.0+" is "GPL-2.0-or-later"), "id+" or a LicenseRef. */
        private Node simple(String tok) {
            if (LICENSE_REF.matcher(tok).matches()) return new Leaf(tok);
            String id = SpdxIds.canonical(tok);
            if (id != null && SpdxIds.isLicense(id)) {
                String current = LicenseNames.lookup(id);
                Node n = current == null || current.equals(id) ? null : parseStrict(current);
                return n != null ? n : new Leaf(id);
            }
            if (tok.endsWith("+") && tok.length() > 1) {
                id = SpdxIds.canonical(tok.substring(0, tok.length() - 1));
                if (id != null && SpdxIds.isLicense(id)) return new Leaf(id + "+");
            }
            throw new IllegalArgumentException();
        }

        boolean accept(String op) {
            if (pos < t.size() && t.get(pos).equalsIgnoreCase(op)) {
                pos++;
                return true;
            }
            return false;
        }

        String next() {
            if (pos >= t.size()) throw new IllegalArgumentException();
            return t.get(pos++);
        }
    }

    // ------------------------------------------------------------------ tolerant

    private enum Kind { OPERAND, AND, OR, WITH, OPEN, CLOSE }

    private record Token(Kind kind, String text) {
    }

    /** Always a valid expression (or a single id or LicenseRef) for any text. */
    static String tolerant(String s) {
        List<Token> tokens = tokenize(s);
        Node n = tokens.size() > MAX_TOKENS ? null : new TolerantParser(tokens).expression();
        return n == null ? Licenses.licenseRef(s) : print(n);
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        Matcher m = LOOSE_OPERATOR.matcher(s);
        int last = 0;
        int open = 0;
        while (m.find()) {
            String before = s.substring(last, m.start());
            if (m.group(3) != null) {
                // Parentheses group only where an expression can start or end: "Name (ABBR) or MIT" keeps its
                // parentheses in the name.
                boolean opening = m.group(3).equals("(");
                boolean groups = opening ? before.isBlank() && (out.isEmpty() || out.getLast().kind() != Kind.OPERAND)
                        : open > 0;
                if (!groups) continue;
                operands(before, out, s);
                out.add(new Token(opening ? Kind.OPEN : Kind.CLOSE, m.group(3)));
                open += opening ? 1 : -1;
            } else {
                operands(before, out, s);
                String op = m.group(1) != null ? m.group(1).toUpperCase(Locale.ROOT) : m.group(2).startsWith("&") ? "AND" : "OR";
                out.add(new Token(Kind.valueOf(op), op));
            }
            last = m.end();
        }
        operands(s.substring(last), out, s);
        return out;
    }

    /** One operand, or several joined by "/" ("GPL/Artistic": either), except in URLs and known names ("MIT/X11"). */
    private static void operands(String text, List<Token> out, String whole) {
        String t = text.strip();
        if (t.isEmpty()) return;
        if (whole.contains("://") || !t.contains("/") || LicenseNames.lookup(t) != null) {
            out.add(new Token(Kind.OPERAND, t));
            return;
        }
        boolean first = true;
        for (String part : SLASH.split(t)) {
            if (part.isBlank()) continue;
            if (!first) out.add(new Token(Kind.OR, "OR"));
            out.add(new Token(Kind.OPERAND, part.strip()));
            first = false;
        }
    }

    /** Recursive descent that skips what it cannot use: missing operands, stray operators and parentheses. */
    private static final class TolerantParser {
        final List<Token> t;
        int pos;

        TolerantParser(List<Token> t) {
            this.t = t;
        }

        Node expression() {
            Node n = null;
            while (pos < t.size()) {
                Node next = or(0);
                n = n == null ? next : next == null ? n : combine("AND", List.of(n, next));
                if (pos < t.size()) pos++; // a stray ")" or operator: skip it
            }
            return n;
        }

        Node or(int depth) {
            List<Node> xs = new ArrayList<>();
            add(xs, and(depth));
            while (at(Kind.OR)) {
                pos++;
                add(xs, and(depth));
            }
            return xs.isEmpty() ? null : combine("OR", xs);
        }

        Node and(int depth) {
            List<Node> xs = new ArrayList<>();
            add(xs, with(depth));
            // adjacent operands without an operator between them ("(MIT) BSD") are read as AND
            while (at(Kind.AND) || at(Kind.OPERAND) || at(Kind.OPEN)) {
                if (at(Kind.AND)) pos++;
                add(xs, with(depth));
            }
            return xs.isEmpty() ? null : combine("AND", xs);
        }

        Node with(int depth) {
            if (at(Kind.OPEN)) {
                pos++;
                Node inner = depth > 32 ? null : or(depth + 1);
                if (at(Kind.CLOSE)) pos++;
                return inner;
            }
            if (!at(Kind.OPERAND)) {
                if (at(Kind.WITH)) pos++;
                return null;
            }
            String left = t.get(pos++).text();
            if (!at(Kind.WITH)) return operand(left);
            pos++;
            if (!at(Kind.OPERAND)) return operand(left);
            String right = t.get(pos++).text();
            Node license = operand(left);
            String exception = LicenseNames.exception(right);
            if (license instanceof Leaf l && !l.id().startsWith("LicenseRef-") && !l.id().endsWith("+") && exception != null)
                return new With(l.id(), exception);
            // No SPDX exception id for it: the licence still holds, and so does the extra permission, named as a LicenseRef.
            if (license instanceof Leaf l && l.id().startsWith("LicenseRef-"))
                return new Leaf(Licenses.licenseRef(left + " with " + right));
            String ref = right.toLowerCase(Locale.ROOT).contains("exception") ? right : right + " exception";
            return combine("AND", List.of(license, new Leaf(exception != null ? Licenses.licenseRef(exception) : Licenses.licenseRef(ref))));
        }

        private static Node operand(String text) {
            String known = LicenseNames.lookup(text);
            if (known != null) {
                Node n = parseStrict(known);
                if (n != null) return n;
            }
            if (LICENSE_REF.matcher(text).matches()) return new Leaf(text);
            return new Leaf(Licenses.licenseRef(text));
        }

        private boolean at(Kind k) {
            return pos < t.size() && t.get(pos).kind() == k;
        }

        private static void add(List<Node> xs, Node n) {
            if (n != null) xs.add(n);
        }
    }

    // ------------------------------------------------------------------ shared

    /** One operand as it is, several flattened into one AND or OR (nested ones of the same operator merged). */
    private static Node combine(String op, List<Node> xs) {
        if (xs.size() == 1) return xs.getFirst();
        List<Node> flat = new ArrayList<>();
        for (Node x : xs) {
            if (x instanceof Op o && o.op().equals(op)) flat.addAll(o.operands());
            else flat.add(x);
        }
        return new Op(op, List.copyOf(flat));
    }

    /** Canonical text with the parentheses precedence needs (AND binds tighter than OR), no more. */
    static String print(Node n) {
        return switch (n) {
            case Leaf l -> l.id();
            case With w -> w.license() + " WITH " + w.exception();
            case Op o -> {
                StringBuilder sb = new StringBuilder();
                for (Node x : o.operands()) {
                    if (!sb.isEmpty()) sb.append(' ').append(o.op()).append(' ');
                    boolean paren = o.op().equals("AND") && x instanceof Op inner && inner.op().equals("OR");
                    sb.append(paren ? "(" : "").append(print(x)).append(paren ? ")" : "");
                }
                yield sb.toString();
            }
        };
    }
}
