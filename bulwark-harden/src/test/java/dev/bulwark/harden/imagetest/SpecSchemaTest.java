package dev.bulwark.harden.imagetest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.bulwark.image.testenv.TestComponents;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The published schema and the parser agree: same keys, the examples valid under both, a broken spec invalid under both. */
class SpecSchemaTest {
    static JsonNode schemaNode() throws Exception {
        try (InputStream in = SpecParser.class.getResourceAsStream("spec.schema.json")) {
            assertThat(in).as("schema resource").isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    static JsonSchema schema() throws Exception {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode());
    }

    static Set<String> keys(JsonNode props) {
        Set<String> out = new TreeSet<>();
        for (Iterator<String> it = props.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    @Test
    void schemaKeysAreTheParsersKeys() throws Exception {
        JsonNode s = schemaNode();
        JsonNode defs = s.path("$defs");
        assertThat(keys(s.path("properties"))).isEqualTo(new TreeSet<>(SpecParser.TOP));
        assertThat(keys(defs.path("commandTest").path("properties"))).isEqualTo(new TreeSet<>(SpecParser.COMMAND));
        assertThat(keys(defs.path("fileTest").path("properties"))).isEqualTo(new TreeSet<>(SpecParser.FILE));
        assertThat(keys(defs.path("metadata").path("properties"))).isEqualTo(new TreeSet<>(SpecParser.METADATA));
        assertThat(keys(defs.path("metadata").path("properties").path("base").path("properties"))).isEqualTo(new TreeSet<>(SpecParser.BASE));
        assertThat(keys(defs.path("licences").path("properties"))).isEqualTo(new TreeSet<>(SpecParser.LICENCES));
        assertThat(keys(defs.path("gates").path("properties"))).isEqualTo(new TreeSet<>(SpecParser.GATES));
    }

    @Test
    void theExamplesAreValidUnderSchemaAndParser() throws Exception {
        JsonSchema schema = schema();
        List<Path> examples;
        try (Stream<Path> s = Files.list(TestComponents.root().resolve("examples/imagetest"))) {
            examples = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
        for (Path p : examples) {
            Set<ValidationMessage> errors = schema.validate(new YAMLMapper().readTree(p.toFile()));
            assertThat(errors).as(p.toString()).isEmpty();
            assertThat(SpecParser.read(p).size()).as(p.toString()).isPositive();
        }
    }

    @Test
    void brokenSpecsAreInvalidUnderBoth() throws Exception {
        JsonSchema schema = schema();
        List<String> broken = new ArrayList<>(List.of(
                "schemaVersion: 1\nfileTests:\n  - path: /a\n    mdoe: \"0755\"\n",
                "schemaVersion: 1\nfileTests:\n  - path: relative\n",
                "schemaVersion: 1\ncommandTests:\n  - run: [x]\n    args: [y]\n",
                "schemaVersion: 1\ncommandTests:\n  - run: [x]\n    exitCode: 300\n",
                "schemaVersion: 1\ngates:\n  ignoreUnfixed: true\n",
                "schemaVersion: 2\nfileTests: [{path: /a}]\n",
                "schemaVersion: 1\n"));
        for (String y : broken) {
            assertThat(schema.validate(new YAMLMapper().readTree(y))).as(y).isNotEmpty();
            try {
                SpecParser.parse(y.getBytes(java.nio.charset.StandardCharsets.UTF_8), "b.yaml");
                throw new AssertionError("parser accepted: " + y);
            } catch (SpecException expected) {
                assertThat(expected.where()).startsWith("b.yaml");
            }
        }
    }
}
