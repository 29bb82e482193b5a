package dev.bulwark.scan.license;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SpdxIdsTest {
    @Test
    void everyIdOfTheSchemasEnumAndNothingElse() throws Exception {
        List<String> expected = new ArrayList<>();
        try (InputStream in = SpdxIds.class.getResourceAsStream("spdx.schema.json")) {
            for (JsonNode id : new ObjectMapper().readTree(in).path("enum")) expected.add(id.asText());
        }
        assertThat(expected).hasSizeGreaterThan(400);
        assertThat(SpdxIds.all()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(SpdxIds.canonical("apache-2.0")).isEqualTo("Apache-2.0");
        assertThat(SpdxIds.isException("Classpath-exception-2.0")).isTrue();
        assertThat(SpdxIds.isException("GPL-2.0-with-classpath-exception")).as("a deprecated licence id, not an exception").isFalse();
        assertThat(SpdxIds.isLicense("GPL-2.0-with-classpath-exception")).isTrue();
        assertThat(SpdxIds.isLicense("MIT")).isTrue();
    }
}
