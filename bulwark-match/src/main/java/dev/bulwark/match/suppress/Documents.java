package dev.bulwark.match.suppress;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/** Reading ignore files and VEX documents: bounded, strictly decoded, with errors that name the file and line. */
final class Documents {
    /** Larger files are refused: real ignore files and VEX documents are kilobytes, at most a few megabytes. */
    static final long MAX_BYTES = 16L << 20;
    private static final int MAX_DEPTH = 100;
    /** Top-level arrays read element by element so that each element's line is known. */
    private static final Set<String> LINED = Set.of("statements", "vulnerabilities");

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(constraints())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());
    private static final ObjectMapper YAML = new ObjectMapper(yamlFactory());

    private Documents() {
    }

    private static StreamReadConstraints constraints() {
        return StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxStringLength((int) (MAX_BYTES * 2))
                .maxNumberLength(100).maxDocumentLength(MAX_BYTES * 2).build();
    }

    private static YAMLFactory yamlFactory() {
        LoaderOptions opts = new LoaderOptions();
        opts.setCodePointLimit((int) MAX_BYTES);
        opts.setMaxAliasesForCollections(20);
        opts.setNestingDepthLimit(MAX_DEPTH);
        opts.setAllowDuplicateKeys(false);
        YAMLFactory f = YAMLFactory.builder().loaderOptions(opts).streamReadConstraints(constraints()).build();
        f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return f;
    }

    /** A parsed document and the lines its top-level {@code statements}/{@code vulnerabilities} elements start on. */
    record Tree(String name, JsonNode root, Map<JsonNode, Integer> lines) {
        /** ": statement 3 (line 40)" or ": statement 3" when the line is unknown. */
        String location(String what, int index, JsonNode element) {
            Integer line = lines.get(element);
            return ": " + what + " " + index + (line != null && line > 0 ? " (line " + line + ")" : "");
        }
    }

    /** The file's bytes; refuses what is missing, not a regular file, or larger than {@link #MAX_BYTES}. */
    static byte[] read(Path path) throws SuppressionException {
        String name = path.toString();
        try {
            if (Files.isDirectory(path)) throw new SuppressionException(name, "is a directory, not a file", null);
            if (Files.isRegularFile(path)) {
                long size = Files.size(path);
                if (size > MAX_BYTES) throw tooLarge(name, size);
            }
            try (InputStream in = Files.newInputStream(path)) {
                byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) throw tooLarge(name, -1);
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new SuppressionException(name, "no such file", null);
        } catch (IOException e) {
            throw new SuppressionException(name, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static SuppressionException tooLarge(String name, long size) {
        return new SuppressionException(name, (size >= 0 ? "is " + size + " bytes, " : "is ") + "larger than the "
                + (MAX_BYTES >> 20) + " MiB an ignore file or VEX document may have", null);
    }

    /** Strict UTF-8 text without a byte-order mark; binary content is refused. */
    static String text(String name, byte[] bytes) throws SuppressionException {
        for (byte b : bytes) {
            if (b == 0) throw new SuppressionException(name, "is a binary file, not text", null);
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (CharacterCodingException e) {
            throw new SuppressionException(name, "is not UTF-8 text", e);
        }
    }

    static Tree json(String name, String text) throws SuppressionException {
        return parse(name, text, JSON, "JSON");
    }

    static Tree yaml(String name, String text) throws SuppressionException {
        return parse(name, text, YAML, "YAML");
    }

    private static Tree parse(String name, String text, ObjectMapper mapper, String format) throws SuppressionException {
        Map<JsonNode, Integer> lines = new IdentityHashMap<>();
        try (JsonParser p = mapper.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) return new Tree(name, NullNode.getInstance(), lines);
            JsonNode root;
            if (t == JsonToken.START_OBJECT) {
                ObjectNode obj = mapper.createObjectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonToken v = p.nextToken();
                    if (v == JsonToken.START_ARRAY && LINED.contains(key)) {
                        ArrayNode arr = obj.putArray(key);
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            int line = p.currentTokenLocation().getLineNr();
                            JsonNode el = value(mapper, p);
                            lines.put(el, line);
                            arr.add(el);
                        }
                    } else {
                        obj.set(key, value(mapper, p));
                    }
                }
                root = obj;
            } else {
                root = value(mapper, p);
            }
            if (p.nextToken() != null) {
                throw new SuppressionException(name + location(p.currentTokenLocation()),
                        "not valid " + format + ": more content after the end of the document", null);
            }
            return new Tree(name, root, lines);
        } catch (JsonProcessingException e) {
            throw new SuppressionException(name + location(e.getLocation()), "not valid " + format + ": " + describe(e), null);
        } catch (IOException e) {
            throw new SuppressionException(name, "cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // SnakeYAML reports some limits (aliases, code points) with its own unchecked exceptions
            throw new SuppressionException(name, "not valid " + format + ": " + Text.abbreviate(firstLine(e.getMessage())), null);
        }
    }

    private static JsonNode value(ObjectMapper mapper, JsonParser p) throws IOException {
        JsonNode n = mapper.readTree(p);
        return n == null ? NullNode.getInstance() : n;
    }

    private static String location(JsonLocation loc) {
        if (loc == null || loc.getLineNr() <= 0) return "";
        return ":" + loc.getLineNr() + (loc.getColumnNr() > 0 ? ":" + loc.getColumnNr() : "");
    }

    private static String describe(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException y && y.getProblem() != null) {
            // SnakeYAML's own message spans lines with a source excerpt: keep its context and problem
            String context = y.getContext() == null ? "" : y.getContext().strip() + ": ";
            return Text.abbreviate(context + y.getProblem().strip(), 200);
        }
        String m = firstLine(e.getOriginalMessage());
        if (m.startsWith("Unexpected end-of-input")) return "the document ends too early (truncated?)";
        if (m.contains("Duplicate field") || m.contains("Duplicate key")) return Text.abbreviate(m).replace("Duplicate field", "duplicate key");
        if (m.contains("nesting depth")) return "nested deeper than " + MAX_DEPTH + " levels";
        return Text.abbreviate(m, 200);
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return (nl >= 0 ? s.substring(0, nl) : s).strip();
    }
}
