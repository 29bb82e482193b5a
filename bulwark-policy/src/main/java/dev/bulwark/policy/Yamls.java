package dev.bulwark.policy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * YAML of policy and test files as SnakeYAML node trees: every node keeps its line, nothing is constructed from
 * tags, so a file can say where it is wrong and cannot instantiate anything. Hostile input is refused with one
 * line (alias bombs, deep nesting, duplicate keys, huge files). Public for the test runner of this module; not an
 * API for others.
 */
public final class Yamls {
    public static final int MAX_BYTES = 4 << 20;
    static final int MAX_ALIASES = 20;
    static final int MAX_DEPTH = 64;

    private Yamls() {
    }

    /** The single document of a file (an empty file is an error: a policy must say its default). */
    public static Node load(String name, String text) throws PolicyException {
        if (text.length() > MAX_BYTES) throw PolicyException.at(name, 0, "refused: larger than " + (MAX_BYTES >> 20) + " MiB");
        LoaderOptions o = new LoaderOptions();
        o.setMaxAliasesForCollections(MAX_ALIASES);
        o.setNestingDepthLimit(MAX_DEPTH);
        o.setCodePointLimit(MAX_BYTES + 1024);
        o.setAllowRecursiveKeys(false);
        o.setAllowDuplicateKeys(true);
        o.setProcessComments(false);
        Yaml yaml = new Yaml(o);
        List<Node> docs = new ArrayList<>();
        try {
            for (Node n : yaml.composeAll(new StringReader(text))) {
                if (n == null || (n instanceof ScalarNode s && s.getValue().isEmpty())) continue;
                docs.add(n);
                if (docs.size() > 1) throw PolicyException.at(name, line(n), "more than one YAML document (one file, one policy)");
            }
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw PolicyException.at(name, m == null ? 0 : m.getLine() + 1,
                    "not valid YAML: " + (e.getProblem() != null ? e.getProblem() : "malformed"));
        } catch (YAMLException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("aliases")) throw PolicyException.at(name, 0, "refused: more than " + MAX_ALIASES + " YAML aliases to collections");
            if (msg.contains("Nesting Depth")) throw PolicyException.at(name, 0, "refused: YAML nested deeper than " + MAX_DEPTH + " levels");
            throw PolicyException.at(name, 0, "not valid YAML: " + msg);
        } catch (StackOverflowError e) {
            throw PolicyException.at(name, 0, "refused: YAML nested too deeply");
        } catch (RuntimeException e) {
            throw PolicyException.at(name, 0, "not valid YAML: " + e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : ""));
        }
        if (docs.isEmpty()) throw PolicyException.at(name, 0, "empty file");
        checkDuplicates(name, docs.get(0), 0, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        return docs.get(0);
    }

    private static void checkDuplicates(String name, Node n, int depth, Set<Node> seen) throws PolicyException {
        if (!seen.add(n)) return;
        if (depth > MAX_DEPTH) throw PolicyException.at(name, line(n), "refused: YAML nested too deeply");
        if (n instanceof MappingNode m) {
            Set<String> keys = new HashSet<>();
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && !keys.add(k.getValue())) {
                    throw PolicyException.at(name, line(k), "duplicate key \"" + k.getValue() + "\"");
                }
                checkDuplicates(name, t.getValueNode(), depth + 1, seen);
            }
        } else if (n instanceof SequenceNode s) {
            for (Node c : s.getValue()) checkDuplicates(name, c, depth + 1, seen);
        }
    }

    public static int line(Node n) {
        return n == null ? 0 : n.getStartMark().getLine() + 1;
    }

    /** The value under a key of a mapping, or null. */
    public static Node get(Node map, String key) {
        if (!(map instanceof MappingNode m)) return null;
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) return t.getValueNode();
        }
        return null;
    }

    /** Keys of a mapping in order, each with its node (the key node, for its line). */
    static List<NodeTuple> entries(Node map) {
        return map instanceof MappingNode m ? m.getValue() : List.of();
    }

    static boolean isNull(Node n) {
        return n == null || (n instanceof ScalarNode s && s.getTag().getValue().endsWith(":null"));
    }

    /**
     * The node as plain Java values: String, Long, Double, Boolean, null, List, Map with String keys (insertion
     * order kept). YAML 1.1 resolution as SnakeYAML does it ("yes" stays a string only when quoted).
     */
    public static Object toJava(Node n) {
        if (n instanceof ScalarNode s) {
            String tag = s.getTag().getValue();
            String v = s.getValue();
            if (tag.endsWith(":null")) return null;
            if (tag.endsWith(":bool")) {
                String l = v.toLowerCase(Locale.ROOT);
                return l.equals("true") || l.equals("yes") || l.equals("on") || l.equals("y");
            }
            if (tag.endsWith(":int")) {
                try {
                    return Long.decode(v.replace("_", ""));
                } catch (NumberFormatException e) {
                    return v;
                }
            }
            if (tag.endsWith(":float")) {
                try {
                    return Double.parseDouble(v.replace("_", ""));
                } catch (NumberFormatException e) {
                    return v;
                }
            }
            return v;
        }
        if (n instanceof SequenceNode q) {
            List<Object> out = new ArrayList<>();
            for (Node c : q.getValue()) out.add(toJava(c));
            return out;
        }
        if (n instanceof MappingNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                Object k = toJava(t.getKeyNode());
                out.put(String.valueOf(k), toJava(t.getValueNode()));
            }
            return out;
        }
        return null;
    }
}
