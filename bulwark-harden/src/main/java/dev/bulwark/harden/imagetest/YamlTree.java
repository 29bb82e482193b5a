package dev.bulwark.harden.imagetest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree whose every node knows its line: databind's trees forget where a value was, and a spec
 * error that does not say its line sends the user hunting. Scalars keep their text as written (a mode "0755" stays
 * "0755", never the octal number YAML 1.1 would make of it) and the kind the parser saw.
 */
final class YamlTree {
    static final int MAX_DEPTH = 32;
    static final int MAX_BYTES = 1 << 20;

    sealed interface Node permits YMap, YList, YScalar {
        int line();

        /** What it is, for "expected a list, found a map". */
        String kind();
    }

    record Field(String key, int line, Node value) {}

    record YMap(int line, Map<String, Field> fields) implements Node {
        public String kind() {
            return "a map";
        }
    }

    record YList(int line, List<Node> items) implements Node {
        public String kind() {
            return "a list";
        }
    }

    enum ScalarKind { STRING, NUMBER, BOOLEAN, NULL }

    record YScalar(int line, String text, ScalarKind scalar) implements Node {
        public String kind() {
            return switch (scalar) {
                case STRING -> "a string";
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "nothing (null)";
            };
        }
    }

    private static final YAMLFactory YAML = YAMLFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 8).maxStringLength(MAX_BYTES).build())
            .build();

    private YamlTree() {}

    static Node parse(byte[] bytes, String file) throws SpecException {
        if (bytes.length > MAX_BYTES) throw SpecException.at(file, 0, "spec is larger than " + (MAX_BYTES >> 10) + " KiB");
        try (JsonParser p = YAML.createParser(bytes)) {
            JsonToken t = p.nextToken();
            if (t == null) throw SpecException.at(file, 1, "the spec is empty");
            Node root = node(p, t, file, 0);
            JsonToken after = p.nextToken();
            if (after != null) throw SpecException.at(file, line(p), "more than one YAML document: a spec is one document");
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            String m = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
            // SnakeYAML's first line is the context ("while parsing a flow node"); its problem says what is wrong, and where
            if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException my && my.getProblem() != null) {
                m = my.getProblem();
                if (my.getProblemMark() != null) line = my.getProblemMark().getLine() + 1;
            }
            // Jackson names SnakeYAML's event classes in some messages: keep the part a user can act on
            if (m.startsWith("Expected a field name")) m = "a map key must be a plain string";
            throw SpecException.at(file, line, "not valid YAML: " + printable(m.lines().findFirst().orElse("").strip()));
        } catch (IOException e) {
            throw SpecException.at(file, 0, "cannot read: " + e.getMessage());
        }
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation() == null ? 0 : p.currentTokenLocation().getLineNr();
    }

    private static Node node(JsonParser p, JsonToken t, String file, int depth) throws IOException, SpecException {
        int line = line(p);
        if (depth > MAX_DEPTH) throw SpecException.at(file, line, "nested deeper than " + MAX_DEPTH + " levels");
        // Jackson hands an alias over as a string holding its name: refuse it rather than test against "*name"
        if (p instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser y && y.isCurrentAlias())
            throw SpecException.at(file, line, "YAML aliases (*" + printable(p.getText()) + ") are not supported: write the value out");
        switch (t) {
            case START_OBJECT -> {
                Map<String, Field> fields = new LinkedHashMap<>();
                JsonToken k;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = line(p);
                    if (fields.containsKey(key))
                        throw SpecException.at(file, keyLine, "'" + printable(key) + "' appears twice (first on line " + fields.get(key).line() + ")");
                    Node v = node(p, p.nextToken(), file, depth + 1);
                    fields.put(key, new Field(key, keyLine, v));
                }
                if (k != JsonToken.END_OBJECT) throw SpecException.at(file, line(p), "unexpected " + k + " in a map");
                return new YMap(line, fields);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                JsonToken i;
                while ((i = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (i == null) throw SpecException.at(file, line(p), "the list is not closed");
                    items.add(node(p, i, file, depth + 1));
                }
                return new YList(line, items);
            }
            case VALUE_STRING -> {
                return new YScalar(line, p.getText(), ScalarKind.STRING);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new YScalar(line, p.getText(), ScalarKind.NUMBER);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new YScalar(line, p.getText(), ScalarKind.BOOLEAN);
            }
            case VALUE_NULL -> {
                return new YScalar(line, "", ScalarKind.NULL);
            }
            case VALUE_EMBEDDED_OBJECT -> throw SpecException.at(file, line, "binary values (!!binary) are not supported");
            default -> throw SpecException.at(file, line, "unsupported YAML content (" + t + ")");
        }
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 120; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
