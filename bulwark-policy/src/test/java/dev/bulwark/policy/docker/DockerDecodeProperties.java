package dev.bulwark.policy.docker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.model.Decision;
import dev.bulwark.policy.Policies;
import dev.bulwark.policy.Policy;
import dev.bulwark.policy.PolicyRequest;
import dev.bulwark.policy.RequestException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and broken requests: whatever the bytes, decoding ends in a request or a RequestException, never any
 * other exception, and the baseline never allows a create that is privileged once decoded.
 */
class DockerDecodeProperties {
    private static final Policy BASELINE = Policies.baseline();
    private static final byte[] SAMPLE;

    static {
        try {
            SAMPLE = DockerRequestsTest.sampleBody().toString().getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static PolicyRequest decodeOrNull(String method, String uri, byte[] body) {
        try {
            return DockerRequests.decode(new DockerApiRequest(method, uri, body, Map.of("Content-Type", "application/json"), "", ""));
        } catch (RequestException e) {
            assertThat(e.oneLine()).doesNotContain("\n");
            return null;
        }
    }

    @Property(tries = 400)
    void arbitraryBodiesDecodeOrAreRefused(@ForAll @Size(max = 3000) byte[] body, @ForAll("uris") String uri) {
        PolicyRequest r = decodeOrNull("POST", uri, body);
        if (r != null) assertThat(BASELINE.decide(r)).isNotNull();
    }

    @Property(tries = 400)
    void arbitraryUrisDecodeOrAreRefused(@ForAll @StringLength(max = 300) String uri, @ForAll("methods") String method) {
        PolicyRequest r = decodeOrNull(method, uri, null);
        if (r != null) {
            Decision d = BASELINE.decide(r);
            assertThat(d.rule()).isNotBlank();
        }
    }

    @Property(tries = 500)
    void aMutatedRealCreateIsRefusedOrJudgedOnWhatItSays(@ForAll @IntRange(min = 0, max = 100_000) int pos, @ForAll byte value) {
        byte[] b = SAMPLE.clone();
        b[pos % b.length] = value;
        PolicyRequest r = decodeOrNull("POST", "/v1.41/containers/create", b);
        if (r == null) return;
        Decision d = BASELINE.decide(r);
        if (Boolean.TRUE.equals(r.object().get("privileged"))) assertThat(d.allowed()).isFalse();
        if (d.allowed()) assertThat(r.object().get("privileged")).isEqualTo(false);
    }

    @Property(tries = 300)
    void aTruncatedRealCreateIsAlwaysRefused(@ForAll @IntRange(min = 0, max = 100_000) int cut) {
        int n = cut % SAMPLE.length;
        byte[] b = java.util.Arrays.copyOf(SAMPLE, n);
        assertThat(decodeOrNull("POST", "/v1.41/containers/create", b)).isNull();
    }

    @Property(tries = 300)
    void randomHostConfigValuesNeverEscapeTheDecoder(@ForAll("values") String key, @ForAll("jsonValues") String value) throws Exception {
        ObjectNode body = DockerRequestsTest.sampleBody();
        String json = body.toString().replace("\"HostConfig\":{", "\"HostConfig\":{\"" + key + "\":" + value + ",");
        decodeOrNull("POST", "/containers/create", json.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<String> uris() {
        return Arbitraries.of("/v1.41/containers/create", "/containers/x/exec", "/v1.41/containers/x/update", "/volumes/create",
                "/services/create", "/v1.41/networks/create", "/build", "/images/create?fromImage=a");
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "get", "");
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.of("Binds", "Mounts", "CapAdd", "SecurityOpt", "Devices", "Ulimits", "Memory", "NetworkMode",
                "Privileged", "PidMode", "Xyz");
    }

    @Provide
    Arbitrary<String> jsonValues() {
        return Arbitraries.oneOf(
                Arbitraries.of("null", "true", "1", "-1", "1e400", "99999999999999999999999", "\"\"", "\"/\"", "[]", "{}",
                        "[null]", "[1]", "[\"/etc\"]", "[{}]", "[{\"Type\":\"bind\"}]", "[{\"Type\":\"bind\",\"Source\":\"rel\"}]",
                        "[{\"PathOnHost\":5}]", "[\"a:b:c:d\"]", "[\"\"]", "[{\"Name\":\"x\",\"Soft\":\"y\"}]"),
                Arbitraries.strings().ofMaxLength(20).map(s -> "\"" + s.replace("\\", "").replace("\"", "") + "\""));
    }
}
