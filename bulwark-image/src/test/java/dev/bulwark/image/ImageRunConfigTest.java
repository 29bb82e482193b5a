package dev.bulwark.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The run config with values: parsed from real-shaped configs; malformed and fuzzed ones fail with one line. */
class ImageRunConfigTest {
    static ImageRunConfig parse(String json) throws ImageException {
        return ImageRunConfig.parse(json.getBytes(StandardCharsets.UTF_8), "config.json");
    }

    @Test
    void readsEveryRunField() throws ImageException {
        ImageRunConfig c = parse("""
                {"architecture":"amd64","config":{"User":"app:app","Env":["PATH=/usr/bin","SECRET=x=y"],
                 "Entrypoint":["/entry.sh"],"Cmd":["serve","--port","80"],"WorkingDir":"/srv",
                 "ExposedPorts":{"80/tcp":{},"53/udp":{}},"Volumes":{"/data":{},"/cache":{}},
                 "Healthcheck":{"Test":["CMD","true"]},"StopSignal":"SIGQUIT"}}""");
        assertThat(c.user()).isEqualTo("app:app");
        assertThat(c.env()).containsExactly("PATH=/usr/bin", "SECRET=x=y");
        assertThat(c.argv(List.of())).containsExactly("/entry.sh", "serve", "--port", "80");
        assertThat(c.argv(List.of("sh"))).containsExactly("/entry.sh", "sh");
        assertThat(c.workingDir()).isEqualTo("/srv");
        assertThat(c.exposedPorts()).containsExactly("53/udp", "80/tcp");
        assertThat(c.volumes()).containsExactly("/cache", "/data");
        assertThat(c.healthcheck()).isTrue();
        assertThat(c.stopSignal()).isEqualTo("SIGQUIT");
        assertThat(c.complete()).isTrue();
    }

    @Test
    void healthcheckNoneAndAbsentFieldsAreEmpty() throws ImageException {
        ImageRunConfig c = parse("{\"config\":{\"Healthcheck\":{\"Test\":[\"NONE\"]},\"Cmd\":null}}");
        assertThat(c.healthcheck()).isFalse();
        assertThat(c.cmd()).isEmpty();
        assertThat(c.user()).isEmpty();
        assertThat(parse("{}").argv(List.of())).isEmpty();
    }

    @Test
    void labelsAndTheHistoryOfStepsWithoutALayer() throws ImageException {
        ImageRunConfig c = parse("{\"config\":{\"Labels\":{\"b\":\"2\",\"a\":null}},\"history\":[{\"created_by\":\"ENV A=1\","
                + "\"empty_layer\":true},{\"created_by\":\"RUN x\"},\"junk\",{\"empty_layer\":true},{\"created_by\":\"LABEL b=2\","
                + "\"empty_layer\":true}]}");
        assertThat(c.labels()).isEqualTo(java.util.Map.of("a", "", "b", "2"));
        assertThat(c.emptyLayerHistory()).containsExactly("ENV A=1", "LABEL b=2");
        assertThatThrownBy(() -> parse("{\"config\":{\"Labels\":{\"a\":[1]}}}")).isInstanceOf(ImageException.class)
                .hasMessageContaining("config.Labels.a is not a string");
    }

    @Test
    void malformedConfigsFailWithWhereAndWhat() {
        assertThatThrownBy(() -> parse("{\"config\":{\"Cmd\":\"sh\"}}")).isInstanceOf(ImageException.class)
                .satisfies(e -> assertThat(((ImageException) e).oneLine()).isEqualTo("config.json: config.Cmd is not a list"));
        assertThatThrownBy(() -> parse("{\"config\":{\"Env\":[1]}}")).hasMessage("config.Env holds a non-string");
        assertThatThrownBy(() -> parse("{\"config\":{\"User\":{}}}")).hasMessage("config.User is not a string");
        assertThatThrownBy(() -> parse("{\"config\":{\"Volumes\":[\"/x\"]}}")).hasMessage("config.Volumes is not an object");
        assertThatThrownBy(() -> parse("{\"config\":[]}")).hasMessage("config is not an object");
        assertThatThrownBy(() -> parse("[1,2]")).hasMessage("image config is not a JSON object");
        assertThatThrownBy(() -> parse("{\"config\":{\"Cmd\":[\"a\\u0000b\"]}}")).hasMessage("config.Cmd holds a NUL byte");
        assertThatThrownBy(() -> parse("{\"config\":{\"Cmd\":[\"sh\"")).hasMessageStartingWith("image config is not JSON");
    }

    @Property(tries = 300)
    void arbitraryBytesGiveAConfigOrAnImageException(@ForAll byte[] bytes) {
        try {
            ImageRunConfig c = ImageRunConfig.parse(bytes, "fuzz");
            assertThat(c.env()).doesNotContainNull();
        } catch (ImageException e) {
            assertThat(e.oneLine()).startsWith("fuzz: ").doesNotContain("\n");
        }
    }

    @Property(tries = 300)
    void truncatedConfigsNeverEscapeAsOtherExceptions(@ForAll("cuts") int cut) {
        String whole = "{\"config\":{\"User\":\"1000\",\"Env\":[\"A=b\"],\"Cmd\":[\"x\",\"y\"],\"Volumes\":{\"/v\":{}}}}";
        byte[] b = whole.substring(0, Math.min(cut, whole.length())).getBytes(StandardCharsets.UTF_8);
        try {
            ImageRunConfig.parse(b, "cut");
        } catch (ImageException e) {
            assertThat(e.where()).isEqualTo("cut");
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> cuts() {
        return net.jqwik.api.Arbitraries.integers().between(0, 90);
    }
}
