package dev.bulwark.policy.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.model.Decision;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Hostile and fuzzed input for the plugin's HTTP reader and protocol handler. */
class AuthzWireProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SAMPLE = TestPolicy.sample();
    private static final AuthzHandler ALLOW_ALL = new AuthzHandler(() -> r -> Decision.allow("all", ""), TestPolicy.DECODER, null, null);

    private static JsonNode reply(byte[] b) throws IOException {
        JsonNode n = JSON.readTree(b);
        assertThat(n.get("Allow").isBoolean()).isTrue();
        assertThat(n.get("Err").asText()).isEmpty();
        return n;
    }

    @Property(tries = 300)
    void aTruncatedRealRequestIsAlwaysDenied(@ForAll @IntRange(min = 0, max = 10_000) int cut) throws IOException {
        int n = cut % SAMPLE.length; // strictly shorter than the whole
        JsonNode r = reply(ALLOW_ALL.authzRequest(Arrays.copyOf(SAMPLE, n), System.nanoTime()));
        assertThat(r.get("Allow").asBoolean()).isFalse();
    }

    @Property(tries = 300)
    void arbitraryBytesAreAnsweredNeverThrown(@ForAll @Size(max = 2000) byte[] junk) throws IOException {
        JsonNode r = reply(ALLOW_ALL.authzRequest(junk, System.nanoTime()));
        // An allow-all engine only allows what decoded into a request: junk almost never does; when it did, it was JSON.
        if (r.get("Allow").asBoolean()) assertThat(JSON.readTree(junk).isObject()).isTrue();
        reply(ALLOW_ALL.authzResponse(junk, System.nanoTime()));
    }

    @Property(tries = 300)
    void aMutatedRealRequestIsDeniedOrDecidedByTheEngine(@ForAll @IntRange(min = 0, max = 100_000) int pos, @ForAll byte value) throws Exception {
        byte[] b = SAMPLE.clone();
        b[pos % b.length] = value;
        AuthzHandler strict = new AuthzHandler(() -> TestPolicy.ENGINE, TestPolicy.DECODER, null, null);
        JsonNode r = reply(strict.authzRequest(b, System.nanoTime()));
        if (r.get("Allow").asBoolean()) {
            // allowed only if the mutated request really decodes to something the engine allows: not privileged
            var req = strict.wireRequest(b);
            try {
                var decoded = TestPolicy.DECODER.decode(req);
                assertThat(decoded.object().get("privileged")).isNotEqualTo(true);
                assertThat(TestPolicy.ENGINE.decide(decoded).allowed()).isTrue();
            } catch (dev.bulwark.model.BulwarkException e) {
                throw new AssertionError("allowed a request that does not decode", e);
            }
        }
    }

    @Property(tries = 500)
    void theHttpReaderEndsEveryInputInARequestABadRequestOrEndOfStream(@ForAll @Size(max = 3000) byte[] junk) throws IOException {
        byte[] prefixed = junk.length > 0 && junk[0] % 2 == 0
            ? concat("POST /AuthZPlugin.AuthZReq HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII), junk) : junk;
        ByteArrayInputStream in = new ByteArrayInputStream(prefixed);
        try {
            for (int i = 0; i < 100; i++) {
                PluginHttp.Request r = PluginHttp.read(in, 1024, 1024, 4096);
                if (r == null) break;
                assertThat(r.body().length).isLessThanOrEqualTo(1024);
            }
        } catch (PluginHttp.BadRequest e) {
            assertThat(e.status).isIn(400, 431, 501);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] o = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }
}
