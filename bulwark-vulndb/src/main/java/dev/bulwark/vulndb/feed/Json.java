package dev.bulwark.vulndb.feed;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Streaming JSON/YAML helpers shared by the parsers: factories bounded by {@link Limits}, a tree reader that refuses
 * records over budget without buffering them, and lenient accessors for the fields feeds actually write.
 */
final class Json {
    enum Syntax { JSON, YAML }

    /** Parser factories for one set of limits; built once per {@link Limits}, since building them costs. */
    record Factories(JsonFactory json, YAMLFactory yaml, TomlMapper toml) {
    }

    private static final Map<Limits, Factories> FACTORIES = new ConcurrentHashMap<>();

    private Json() {
    }

    static Factories factories(Limits limits) {
        return FACTORIES.computeIfAbsent(limits, l -> {
            // Jackson buffers a whole string value before handing it over: cap it at the record size.
            StreamReadConstraints constraints = StreamReadConstraints.builder()
                    .maxStringLength((int) l.maxRecordBytes()).maxNestingDepth(100).build();
            LoaderOptions yamlOptions = new LoaderOptions();
            yamlOptions.setCodePointLimit((int) Math.min(l.maxEntryBytes(), Integer.MAX_VALUE));
            return new Factories(
                    JsonFactory.builder().streamReadConstraints(constraints).build(),
                    YAMLFactory.builder().loaderOptions(yamlOptions).streamReadConstraints(constraints).build(),
                    new TomlMapper(TomlFactory.builder().streamReadConstraints(constraints).build()));
        });
    }

    static JsonParser parser(InputStream in, Syntax syntax, Limits limits) throws IOException {
        Factories f = factories(limits);
        JsonParser p = syntax == Syntax.JSON ? f.json().createParser(in) : f.yaml().createParser(in);
        // the caller owns the stream (it may be an archive entry)
        p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
        return p;
    }

    /** The whole stream if it holds at most {@code max} bytes, else null (having read max + 1 bytes). */
    static byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > max) return null;
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Parses one whole document of at most the record limit; null when it is empty. */
    static JsonNode document(byte[] bytes, Syntax syntax, Limits limits) throws IOException {
        try (JsonParser p = parser(new java.io.ByteArrayInputStream(bytes), syntax, limits)) {
            if (p.nextToken() == null) return null;
            JsonNode node = readBounded(p, limits.maxRecordBytes());
            if (p.nextToken() != null && syntax == Syntax.JSON) {
                throw new IOException("trailing content after the JSON document");
            }
            return node;
        }
    }

    /**
     * Reads the value at the parser's current token into a tree, counting roughly one byte per character of names
     * and values. A value over {@code budget} is not kept: the rest of it is skipped token by token and null is
     * returned. Either way the parser is left on the value's last token.
     *
     * <p>YAML scalars that look like numbers are kept as their text: "1.10" is a version, not 1.1.
     */
    static JsonNode readBounded(JsonParser p, long budget) throws IOException {
        JsonNodeFactory nf = JsonNodeFactory.instance;
        boolean yaml = p instanceof YAMLParser;
        Deque<ContainerNode<?>> stack = new ArrayDeque<>();
        JsonNode root = null;
        String field = null;
        long used = 0;
        int depth = 0;
        boolean over = false;
        JsonToken t = p.currentToken();
        while (t != null) {
            JsonNode value = null;
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    depth++;
                    used += 8;
                    if (!over) {
                        ContainerNode<?> c = t == JsonToken.START_OBJECT ? nf.objectNode() : nf.arrayNode();
                        attach(stack, field, c);
                        stack.push(c);
                    }
                }
                case END_OBJECT, END_ARRAY -> {
                    depth--;
                    if (!over) {
                        ContainerNode<?> done = stack.pop();
                        if (stack.isEmpty()) root = done;
                    }
                }
                case FIELD_NAME -> {
                    field = p.currentName();
                    used += field.length() + 8;
                }
                case VALUE_STRING -> value = nf.textNode(p.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> value = yaml ? nf.textNode(p.getText())
                        : t == JsonToken.VALUE_NUMBER_INT ? nf.numberNode(p.getBigIntegerValue())
                        : nf.numberNode(p.getDoubleValue());
                case VALUE_TRUE, VALUE_FALSE -> value = nf.booleanNode(t == JsonToken.VALUE_TRUE);
                case VALUE_NULL -> value = nf.nullNode();
                default -> value = nf.textNode(p.getText()); // embedded objects: only YAML tags reach here
            }
            if (value != null) {
                used += (value.isTextual() ? value.textValue().length() : 8) + 8;
                if (!over) {
                    if (stack.isEmpty()) root = value;
                    else attach(stack, field, value);
                }
            }
            if (!over && used > budget) {
                over = true;
                stack.clear();
                root = null;
            }
            if (depth == 0) return over ? null : root;
            t = p.nextToken();
        }
        throw new IOException("document ends inside a value");
    }

    private static void attach(Deque<ContainerNode<?>> stack, String field, JsonNode value) {
        ContainerNode<?> parent = stack.peek();
        if (parent instanceof ObjectNode o) o.set(field, value);
        else if (parent instanceof ArrayNode a) a.add(value);
    }

    /** The field as text when it is a scalar (numbers as written), else null. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) return null;
        return v.asText();
    }

    /** The field as text, or {@code otherwise} when absent. */
    static String textOr(JsonNode node, String field, String otherwise) {
        String s = text(node, field);
        return s == null ? otherwise : s;
    }

    /** The scalar elements of an array field (a lone scalar counts as a one-element list); empty when absent. */
    static List<String> texts(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) return out;
        if (v.isArray()) {
            for (JsonNode e : v) if (e.isValueNode() && !e.isNull()) out.add(e.asText());
        } else if (v.isValueNode()) {
            out.add(v.asText());
        }
        return out;
    }

    /** A number written as a number or as text; NaN when absent or not a number. */
    static double number(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) return Double.NaN;
        if (v.isNumber()) return v.doubleValue();
        try {
            return Double.parseDouble(v.asText().strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalEnd()
            .toFormatter();
    private static final Pattern COLONLESS_OFFSET = Pattern.compile("([+-]\\d\\d)(\\d\\d)$");

    /**
     * A timestamp as feeds write them: RFC 3339 ("2021-10-06T17:51:21Z", with fractions or an offset), an offset
     * without a colon ("+0000", EPSS), no offset at all (NVD API 2.0, which means UTC), or a bare date (UTC
     * midnight). Null for blank text and for Go's zero time "0001-01-01T00:00:00Z", which Go's vulndb writes for
     * "not set".
     *
     * @throws java.time.format.DateTimeParseException for anything else
     */
    static Instant instant(String text) {
        if (text == null || text.isBlank()) return null;
        String t = COLONLESS_OFFSET.matcher(text.strip()).replaceFirst("$1:$2");
        TemporalAccessor parsed = TIMESTAMP.parseBest(t, OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
        Instant instant = switch (parsed) {
            case OffsetDateTime odt -> odt.toInstant();
            case LocalDateTime ldt -> ldt.toInstant(ZoneOffset.UTC);
            case LocalDate d -> d.atStartOfDay().toInstant(ZoneOffset.UTC);
            default -> throw new IllegalStateException(parsed.toString());
        };
        return instant.atOffset(ZoneOffset.UTC).getYear() <= 1 ? null : instant;
    }
}
