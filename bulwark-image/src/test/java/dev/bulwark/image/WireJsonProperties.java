package dev.bulwark.image;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.image.json.ConfigJson;
import dev.bulwark.image.json.ManifestJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link WireJson} against the Jackson binder it stands in for, on the same bytes: the same JSON accepted and
 * refused, and the same wire records filled. The intended differences: a fraction where a whole number belongs (a
 * size of 1.5 bytes) is refused, where the binder would truncate it; a field named twice in one object is refused,
 * where the binder keeps the last.
 */
class WireJsonProperties {
    private static final ObjectMapper JACKSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    /** Jackson's answer for a document: the record, or the exception's class name. */
    private static Object jackson(String json, Class<?> type) {
        try {
            return JACKSON.readValue(json.getBytes(StandardCharsets.UTF_8), type);
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }

    private static Object ours(String json, Class<?> type) {
        try {
            Object tree = WireJson.parse(json.getBytes(StandardCharsets.UTF_8));
            if (tree == null) return null;
            return type == ManifestJson.class ? WireJson.manifest(tree) : WireJson.config(tree);
        } catch (WireJson.Malformed e) {
            return "Malformed: " + e.getMessage();
        }
    }

    private static void agree(String json, Class<?> type) {
        Object j = jackson(json, type);
        Object o = ours(json, type);
        if (o instanceof String refused && !(j instanceof String)) {
            assertThat(refused).as("only fractions and repeated fields are refused where the binder accepts: %s", json)
                    .containsAnyOf("whole number", "duplicate field");
            return;
        }
        if (j instanceof String && o instanceof String) return;
        assertThat(o).as("%s", json).isEqualTo(j);
    }

    @Property(tries = 1000)
    void manifestsAndIndexesReadAsTheBinderReadsThem(@ForAll("manifests") String json) {
        agree(json, ManifestJson.class);
    }

    @Property(tries = 1000)
    void configsReadAsTheBinderReadsThem(@ForAll("configs") String json) {
        agree(json, ConfigJson.class);
    }

    @Property(tries = 2000)
    void tokenSoupIsAcceptedExactlyWhenJacksonAcceptsIt(@ForAll("soup") String json) {
        boolean jacksonOk;
        try {
            JACKSON.readTree(json.getBytes(StandardCharsets.UTF_8));
            jacksonOk = !json.isBlank() && !repeatsAField(json);
        } catch (Exception e) {
            jacksonOk = false;
        }
        boolean oursOk;
        try {
            WireJson.parse(json.getBytes(StandardCharsets.UTF_8));
            oursOk = true;
        } catch (WireJson.Malformed e) {
            oursOk = false;
        }
        assertThat(oursOk).as("%s", json).isEqualTo(jacksonOk);
    }

    /** Whether Jackson's own duplicate detection refuses the document. */
    private static boolean repeatsAField(String json) {
        try {
            new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .readTree(json.getBytes(StandardCharsets.UTF_8));
            return false;
        } catch (Exception e) {
            return e.getMessage() != null && e.getMessage().contains("Duplicate field");
        }
    }

    @Example
    void hostileInputIsRefusedNotACrash() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> WireJson.parse(deep.getBytes(StandardCharsets.UTF_8))).isInstanceOf(WireJson.Malformed.class)
                .hasMessageContaining("nested deeper");
        assertThatThrownBy(() -> WireJson.parse(new byte[]{'"', (byte) 0xC3, '"'})).isInstanceOf(WireJson.Malformed.class)
                .hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> WireJson.parse("{\"a\":1}{".getBytes(StandardCharsets.UTF_8))).isInstanceOf(WireJson.Malformed.class)
                .hasMessageContaining("trailing");
        assertThatThrownBy(() -> WireJson.parse("   ".getBytes(StandardCharsets.UTF_8))).isInstanceOf(WireJson.Malformed.class);
    }

    @Example
    void escapesAndUnicodeComeThrough() throws Exception {
        Object v = WireJson.parse("\uFEFF{\"a\\u00e9\\n\":\"\\\"x\\\\\\/\\ud83d\\ude00\u00fc\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(v).isEqualTo(java.util.Map.of("a\u00e9\n", "\"x\\/\ud83d\ude00\u00fc"));
    }

    // ------------------------------------------------------------------ generators

    /** Values of every JSON kind, some of them what a field wants, some not. */
    private static Arbitrary<String> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.of("\"sha256:" + "a".repeat(64) + "\"", "\"application/vnd.oci.image.manifest.v1+json\"",
                        "\"application/vnd.oci.image.index.v1+json\"", "\"amd64\"", "\"linux\"", "\"\"", "\"\\u00e9\\t\\\"q\\\"\"",
                        "\"12\"", "\"-3\"", "\"1.5\"", "\"true\"", "\"false\"", "\"abc\"", "\"x=y\"", "\"True\"", "\" false \"",
                        "\" 7\"", "\"+4\""),
                Arbitraries.of("0", "2", "-1", "1024", "2.0", "1.5", "1e3", "-0", "9223372036854775807", "9223372036854775808",
                        "1E-2", "3000000000"),
                Arbitraries.of("true", "false", "null"));
    }

    private static Arbitrary<String> value(int depth) {
        if (depth <= 0) return scalar();
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, scalar()),
                net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> object(List.of("a", "b", "x"), depth - 1))),
                net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> value(depth - 1).list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]"))));
    }

    /** An object with some of {@code names} (each maybe twice), values from {@code values} or anything. */
    private static Arbitrary<String> object(List<String> names, int depth) {
        Arbitrary<String> member = Combinators.combine(Arbitraries.of(names), value(depth), Arbitraries.of(" ", "", "\n"))
                .as((k, v, ws) -> "\"" + k + "\"" + ws + ":" + ws + v);
        return member.list().ofMaxSize(names.size() + 1).map(l -> "{" + String.join(",", l) + "}");
    }

    private static Arbitrary<String> typed(Arbitrary<String> shaped) {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, shaped), net.jqwik.api.Tuple.of(1, value(1)));
    }

    private static Arbitrary<String> descriptor() {
        Arbitrary<String> platform = object(List.of("architecture", "os", "variant", "os.version"), 1);
        Arbitrary<String> annotations = object(List.of("org.opencontainers.image.ref.name", "k"), 1);
        List<String> names = List.of("mediaType", "digest", "size", "platform", "annotations", "urls");
        return Combinators.combine(Arbitraries.of(names).list().ofMaxSize(6), scalar().list().ofSize(6),
                        typed(platform), typed(annotations))
                .as((keys, scalars, p, a) -> {
                    List<String> members = new ArrayList<>();
                    for (int k = 0; k < keys.size(); k++) {
                        String key = keys.get(k);
                        String v = key.equals("platform") ? p : key.equals("annotations") ? a : scalars.get(k);
                        members.add("\"" + key + "\":" + v);
                    }
                    return "{" + String.join(",", members) + "}";
                });
    }

    @Provide
    Arbitrary<String> manifests() {
        Arbitrary<String> list = typed(descriptor().list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]"));
        List<String> names = List.of("schemaVersion", "mediaType", "config", "layers", "manifests", "annotations");
        return Combinators.combine(Arbitraries.of(names).list().ofMaxSize(7), scalar().list().ofSize(7), typed(descriptor()), list)
                .as((keys, scalars, d, l) -> {
                    List<String> members = new ArrayList<>();
                    for (int k = 0; k < keys.size(); k++) {
                        String key = keys.get(k);
                        String v = key.equals("config") ? d : key.equals("layers") || key.equals("manifests") ? l : scalars.get(k);
                        members.add("\"" + key + "\":" + v);
                    }
                    return "{" + String.join(",", members) + "}";
                });
    }

    @Provide
    Arbitrary<String> configs() {
        Arbitrary<String> strings = typed(scalar().list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]"));
        Arbitrary<String> run = Combinators.combine(strings, strings, typed(object(List.of("80/tcp", "k"), 1)),
                        typed(object(List.of("a", "b"), 1)), scalar())
                .as((env, cmd, ports, labels, user) -> "{\"Env\":" + env + ",\"Cmd\":" + cmd + ",\"ExposedPorts\":" + ports
                        + ",\"Labels\":" + labels + ",\"User\":" + user + ",\"Healthcheck\":" + ports + "}");
        Arbitrary<String> rootfs = Combinators.combine(scalar(), strings).as((t, ids) -> "{\"type\":" + t + ",\"diff_ids\":" + ids + "}");
        Arbitrary<String> history = typed(object(List.of("created", "created_by", "empty_layer", "comment"), 0)
                .list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]"));
        return Combinators.combine(scalar(), scalar(), typed(run), typed(rootfs), history, value(2))
                .as((arch, os, rc, rf, h, extra) -> "{\"architecture\":" + arch + ",\"os\":" + os + ",\"config\":" + rc
                        + ",\"rootfs\":" + rf + ",\"history\":" + h + ",\"unknown\":" + extra + "}");
    }

    @Provide
    Arbitrary<String> soup() {
        Arbitrary<String> tokens = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"k\"", "\"a\\\"b\"", "\"\\u00zz\"", "\"\\x\"",
                "1", "-0", "01", "1.", ".5", "1e", "1e+2", "-", "true", "tru", "null", "nul", " ", "\n", "\"\t\"", "/*c*/", "'s'", "NaN");
        return tokens.list().ofMaxSize(25).map(l -> String.join("", l));
    }
}
