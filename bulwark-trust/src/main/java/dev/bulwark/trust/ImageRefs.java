package dev.bulwark.trust;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds image references in Dockerfiles, Compose files and Kubernetes manifests, with the exact position of each
 * so that pinning edits one span of one line and leaves comments and formatting alone.
 */
final class ImageRefs {
    private static final Pattern FROM = Pattern.compile("(?i)^(\\s*FROM\\s+)((?:--\\S+\\s+)*)(\\S+)(\\s+AS\\s+(\\S+))?\\s*$");
    private static final Pattern ARG = Pattern.compile("(?i)^\\s*ARG\\s+([A-Za-z_][A-Za-z0-9_]*)(=(\"[^\"]*\"|'[^']*'|\\S*))?\\s*$");
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final Set<String> CONTAINER_LISTS = Set.of("containers", "initContainers", "ephemeralContainers");

    enum Kind { DOCKERFILE, COMPOSE, KUBERNETES }

    private ImageRefs() {
    }

    static Kind kindOf(String fileName, String content) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.equals("dockerfile") || n.startsWith("dockerfile.") || n.endsWith(".dockerfile") || n.equals("containerfile")) return Kind.DOCKERFILE;
        if (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"))
            return content.lines().anyMatch(l -> l.startsWith("services:")) ? Kind.COMPOSE : Kind.KUBERNETES;
        return content.lines().anyMatch(l -> FROM.matcher(l).matches()) ? Kind.DOCKERFILE : Kind.KUBERNETES;
    }

    static List<ImageUse> find(String fileName, String content, String where) throws TrustException {
        return switch (kindOf(fileName, content)) {
            case DOCKERFILE -> dockerfile(content);
            case COMPOSE, KUBERNETES -> yaml(content, where);
        };
    }

    /**
     * FROM lines: stage names are not images; {@code scratch} is none; ARG defaults declared before the first FROM
     * are substituted (a FROM that is only {@code ${ARG}} is pinned by editing the ARG's default instead).
     */
    static List<ImageUse> dockerfile(String content) {
        List<ImageUse> out = new ArrayList<>();
        Map<String, String> args = new HashMap<>();
        Map<String, int[]> argPos = new HashMap<>();
        Set<String> stages = new HashSet<>();
        boolean seenFrom = false;
        for (LogicalLine ll : logicalLines(content)) {
            String line = ll.text();
            int i = ll.line(0);
            Matcher a = ARG.matcher(line);
            if (!seenFrom && a.matches() && a.group(3) != null) {
                String v = a.group(3);
                int col = a.start(3);
                if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))) {
                    v = v.substring(1, v.length() - 1);
                    col++;
                }
                args.put(a.group(1), v);
                argPos.put(a.group(1), new int[]{ll.line(col), ll.column(col)});
                continue;
            }
            Matcher m = FROM.matcher(line);
            if (!m.matches()) continue;
            seenFrom = true;
            String platform = null;
            Matcher pf = Pattern.compile("--platform=(\\S+)").matcher(m.group(2));
            if (pf.find()) platform = substitute(pf.group(1), args);
            String raw = m.group(3);
            String image = substitute(raw, args);
            boolean earlierStage = stages.contains(image.toLowerCase(Locale.ROOT));
            if (m.group(5) != null) stages.add(m.group(5).toLowerCase(Locale.ROOT));
            if (image.equalsIgnoreCase("scratch") || earlierStage) continue;
            if (image.contains("$")) continue; // an ARG without a default: nothing to resolve
            Matcher whole = VAR.matcher(raw);
            if (!raw.equals(image) && whole.matches()) {
                String name = whole.group(1) != null ? whole.group(1) : whole.group(3);
                int[] pos = argPos.get(name);
                if (pos != null) {
                    out.add(new ImageUse(pos[0], pos[1], args.get(name), image, "ARG " + name + " (FROM line " + (i + 1) + ")", platform));
                    continue;
                }
            }
            if (!raw.equals(image)) continue; // part-variable references are left alone: no single span to edit
            out.add(new ImageUse(ll.line(m.start(3)), ll.column(m.start(3)), raw, image, "FROM", platform));
        }
        return out;
    }

    /**
     * One instruction as the builder reads it: physical lines ending in the escape character (backslash, or what a
     * leading {@code # escape=} directive names) joined, comment lines inside it dropped; {@code starts} keeps where
     * each joined piece came from, so a position in the text maps back to a line and column of the file.
     */
    record LogicalLine(String text, int[] offsets, int[] lines, int[] columns) {
        int line(int offset) {
            return lines[piece(offset)];
        }

        int column(int offset) {
            int p = piece(offset);
            return columns[p] + offset - offsets[p];
        }

        private int piece(int offset) {
            int p = 0;
            while (p + 1 < offsets.length && offsets[p + 1] <= offset) p++;
            return p;
        }
    }

    private static final Pattern ESCAPE_DIRECTIVE = Pattern.compile("(?i)^#\\s*escape\\s*=\\s*([\\\\`])\\s*$");
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*[A-Za-z]+\\s*=.*$");

    static List<LogicalLine> logicalLines(String content) {
        String[] lines = content.split("\n", -1);
        char escape = '\\';
        // parser directives come first: "# name=value" lines before anything else
        for (String l : lines) {
            String t = l.strip();
            Matcher e = ESCAPE_DIRECTIVE.matcher(t);
            if (e.matches()) {
                escape = e.group(1).charAt(0);
                continue;
            }
            if (!DIRECTIVE.matcher(t).matches()) break;
        }
        List<LogicalLine> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        List<int[]> pieces = new ArrayList<>(); // offset in text, line, column
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (!pieces.isEmpty() && line.stripLeading().startsWith("#")) continue; // a comment inside a continuation
            String body = line.stripTrailing();
            boolean continues = !body.isEmpty() && body.charAt(body.length() - 1) == escape && !body.stripLeading().startsWith("#");
            pieces.add(new int[]{text.length(), i, 0});
            text.append(continues ? body.substring(0, body.length() - 1) : line);
            if (continues && i + 1 < lines.length) continue;
            int[] offsets = new int[pieces.size()], ls = new int[pieces.size()], cs = new int[pieces.size()];
            for (int p = 0; p < pieces.size(); p++) {
                offsets[p] = pieces.get(p)[0];
                ls[p] = pieces.get(p)[1];
                cs[p] = pieces.get(p)[2];
            }
            out.add(new LogicalLine(text.toString(), offsets, ls, cs));
            text.setLength(0);
            pieces.clear();
        }
        return out;
    }

    static String substitute(String s, Map<String, String> args) {
        Matcher m = VAR.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3);
            String v = args.get(name);
            if (v == null || v.isEmpty()) v = m.group(2);
            m.appendReplacement(b, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** Compose {@code services.*.image} and every container list of every Kubernetes workload, in every document. */
    /** A scalar as snakeyaml marks it: line and code-point column. */
    private record Found(int line, int codePointColumn, String text, String path) {
    }

    static List<ImageUse> yaml(String content, String where) throws TrustException {
        List<Found> out = new ArrayList<>();
        LoaderOptions lo = new LoaderOptions();
        lo.setMaxAliasesForCollections(20);
        lo.setCodePointLimit(16 << 20);
        lo.setNestingDepthLimit(100);
        try {
            for (Node doc : new Yaml(lo).composeAll(new StringReader(content))) {
                if (doc == null) continue;
                walk(doc, "", out, 0);
            }
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().replace('\n', ' ');
            throw new TrustException(where, "malformed YAML: " + (msg.length() > 200 ? msg.substring(0, 200) + "…" : msg));
        }
        // Marks count code points; edits need UTF-16 indexes: find the value again on its line, from its mark.
        String[] lines = content.split("\n", -1);
        List<ImageUse> fixed = new ArrayList<>();
        for (Found f : out) {
            if (f.line() >= lines.length) continue;
            String line = lines[f.line()];
            if (f.codePointColumn() > line.codePointCount(0, line.length())) continue;
            int at = line.indexOf(f.text(), line.offsetByCodePoints(0, f.codePointColumn()));
            if (at >= 0) fixed.add(new ImageUse(f.line(), at, f.text(), f.text().strip(), f.path(), null));
        }
        return fixed;
    }

    private static void walk(Node n, String path, List<Found> out, int depth) {
        if (depth > 100) return;
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) continue;
                String key = k.getValue();
                String p = path.isEmpty() ? key : path + "." + key;
                Node v = t.getValueNode();
                if (key.equals("image") && v instanceof ScalarNode s && imageContext(path)) add(s, p, out);
                else walk(v, p, out, depth + 1);
            }
        } else if (n instanceof SequenceNode s) {
            int i = 0;
            for (Node c : s.getValue()) walk(c, path + "[" + i++ + "]", out, depth + 1);
        }
    }

    /** An {@code image:} counts in a container list entry or directly under a Compose service. */
    private static boolean imageContext(String path) {
        int dot = path.lastIndexOf('.');
        String last = dot < 0 ? path : path.substring(dot + 1);
        int br = last.indexOf('[');
        if (br > 0 && CONTAINER_LISTS.contains(last.substring(0, br))) return true;
        String[] parts = path.split("\\.");
        return parts.length == 2 && parts[0].equals("services");
    }

    private static void add(ScalarNode s, String path, List<Found> out) {
        String v = s.getValue();
        if (v.isBlank() || s.getStartMark().getLine() != s.getEndMark().getLine()) return;
        out.add(new Found(s.getStartMark().getLine(), s.getStartMark().getColumn(), v, path));
    }
}
