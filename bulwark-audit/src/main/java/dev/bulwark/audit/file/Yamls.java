package dev.bulwark.audit.file;

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
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * YAML for the audits: SnakeYAML node trees (every node keeps its line and column), composed only, never
 * constructed into objects, so no tag can instantiate anything. Merge keys ({@code <<: *base}) are applied. Hostile
 * input is refused with one line: more than {@link #MAX_ALIASES} aliases to collections, nesting deeper than
 * {@link #MAX_DEPTH}, duplicate keys (which let a reader and Docker or Kubernetes see different values), more than
 * {@link #MAX_DOCUMENTS} documents.
 */
final class Yamls {
    static final int MAX_ALIASES = 50;
    static final int MAX_DEPTH = 64;
    static final int MAX_DOCUMENTS = 10_000;

    private Yamls() {
    }

    /** Every non-empty document of the stream. */
    static List<Node> load(String name, String text) throws AuditException {
        LoaderOptions o = new LoaderOptions();
        o.setMaxAliasesForCollections(MAX_ALIASES);
        o.setNestingDepthLimit(MAX_DEPTH);
        o.setCodePointLimit((int) Input.MAX_BYTES + 1024);
        o.setAllowRecursiveKeys(false);
        o.setMergeOnCompose(true);
        o.setProcessComments(false);
        Yaml yaml = new Yaml(o);
        List<Node> out = new ArrayList<>();
        try {
            for (Node n : yaml.composeAll(new StringReader(text))) {
                if (n == null) continue;
                if (out.size() >= MAX_DOCUMENTS) {
                    throw AuditException.at(name, line(n), "more than " + MAX_DOCUMENTS + " YAML documents");
                }
                if (n instanceof ScalarNode s && s.getValue().isEmpty()) continue;
                checkKeys(name, n);
                out.add(n);
            }
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : "malformed YAML";
            String hint = text.contains("{{") ? " (a Helm or Go template? render it first, e.g. helm template)" : "";
            throw AuditException.at(name, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1,
                    "not valid YAML: " + problem + hint, e);
        } catch (YAMLException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("aliases")) {
                throw AuditException.at(name, 0, 0, "refused: more than " + MAX_ALIASES
                        + " YAML aliases to collections (an alias bomb?)", e);
            }
            if (msg.contains("Nesting Depth")) {
                throw AuditException.at(name, 0, 0, "refused: YAML nested deeper than " + MAX_DEPTH + " levels", e);
            }
            if (msg.contains("code points") || msg.contains("exceeds the limit")) {
                throw AuditException.at(name, 0, 0, "refused: larger than " + (Input.MAX_BYTES >> 20) + " MiB", e);
            }
            if (msg.toLowerCase(Locale.ROOT).contains("recursive")) {
                throw AuditException.at(name, 0, 0, "refused: recursive YAML anchors", e);
            }
            throw AuditException.at(name, 0, 0, "not valid YAML: " + msg, e);
        } catch (StackOverflowError e) {
            throw AuditException.at(name, 0, 0, "refused: YAML nested too deeply", null);
        } catch (RuntimeException e) {
            throw AuditException.at(name, 0, 0, "not valid YAML: " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + e.getMessage() : ""), e);
        }
        return out;
    }

    /** Refuses duplicate keys in any mapping; each node (aliases share nodes) is visited once. */
    private static void checkKeys(String name, Node root) throws AuditException {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> stack = new ArrayList<>();
        stack.add(root);
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (!seen.add(n)) continue;
            if (n instanceof MappingNode m) {
                Set<String> keys = new HashSet<>();
                for (NodeTuple t : m.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k && !keys.add(k.getValue())) {
                        throw AuditException.at(name, line(k), col(k), "duplicate key \"" + DockerfileParser.clip(k.getValue())
                                + "\" (YAML readers disagree on which value wins)", null);
                    }
                    stack.add(t.getKeyNode());
                    stack.add(t.getValueNode());
                }
            } else if (n instanceof SequenceNode s) {
                stack.addAll(s.getValue());
            }
        }
    }

    static int line(Node n) {
        return n == null ? 0 : n.getStartMark().getLine() + 1;
    }

    static int col(Node n) {
        return n == null ? 0 : n.getStartMark().getColumn() + 1;
    }

    /** The entry for a key of a mapping, or null. */
    static NodeTuple entry(Node map, String key) {
        if (!(map instanceof MappingNode m)) return null;
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) return t;
        }
        return null;
    }

    static Node get(Node map, String key) {
        NodeTuple t = entry(map, key);
        return t == null ? null : t.getValueNode();
    }

    /** The node at a path of keys, or null. */
    static Node path(Node map, String... keys) {
        Node n = map;
        for (String k : keys) {
            n = get(n, k);
            if (n == null) return null;
        }
        return n;
    }

    /** A scalar's text, or null for anything else (a YAML null is null too). */
    static String str(Node n) {
        if (!(n instanceof ScalarNode s)) return null;
        if (s.getTag() != null && s.getTag().getValue().endsWith(":null")) return null;
        return s.getValue();
    }

    static List<Node> seq(Node n) {
        return n instanceof SequenceNode s ? s.getValue() : List.of();
    }

    static List<NodeTuple> entries(Node n) {
        return n instanceof MappingNode m ? m.getValue() : List.of();
    }

    static boolean isMap(Node n) {
        return n instanceof MappingNode;
    }

    /** YAML 1.1 and 1.2 truth: true, yes, on (any case). */
    static boolean truthy(String s) {
        if (s == null) return false;
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "y" -> true;
            default -> false;
        };
    }

    static boolean falsy(String s) {
        if (s == null) return false;
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "false", "no", "off", "n" -> true;
            default -> false;
        };
    }
}
