package dev.bulwark.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The OpenAPI document against the routes, and the pure parts of request handling against hostile input. */
class ApiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theOpenApiDocumentListsEveryRouteAndNoOther() throws Exception {
        JsonNode paths = JSON.readTree(OpenApi.document()).path("paths");
        int documented = 0;
        for (var p : (Iterable<java.util.Map.Entry<String, JsonNode>>) paths::fields) {
            for (var m : (Iterable<java.util.Map.Entry<String, JsonNode>>) p.getValue()::fields) {
                documented++;
                String method = m.getKey().toUpperCase(Locale.ROOT);
                assertThat(Routes.ALL).as(method + " " + p.getKey())
                        .anyMatch(r -> r.method().equals(method) && r.template().equals(p.getKey()));
            }
        }
        assertThat(documented).isEqualTo(Routes.ALL.size());
    }

    @Test
    void localSourcesNeedTheOperatorsConsent() throws Exception {
        assertThat(ScanReferences.normalise("debian:12", false)).isEqualTo("registry:debian:12");
        assertThat(ScanReferences.normalise("registry:127.0.0.1:5000/app@sha256:" + "a".repeat(64), false))
                .isEqualTo("registry:127.0.0.1:5000/app@sha256:" + "a".repeat(64));
        for (String local : new String[]{"docker-archive:/etc/shadow", "rootfs:/", "oci:/x", "docker:app", "/etc", "./x", "DOCKER-ARCHIVE:/x"}) {
            assertThatThrownBy(() -> ScanReferences.normalise(local, false)).as(local)
                    .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status).isEqualTo(403));
            assertThat(ScanReferences.normalise(local, true)).isEqualTo(local);
        }
        assertThatThrownBy(() -> ScanReferences.normalise("app\n:1", false)).isInstanceOf(Problem.class);
        assertThatThrownBy(() -> ScanReferences.normalise("a".repeat(1001), false)).isInstanceOf(Problem.class);
    }

    @Test
    void onlyTaggedManifestPushesAreScanned() throws Exception {
        JsonNode env = JSON.readTree("""
                {"events":[
                 {"action":"push","target":{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","repository":"app","tag":"1","digest":"sha256:aa"},"request":{"host":"127.0.0.1:5003"}},
                 {"action":"push","target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","repository":"app","digest":"sha256:bb"},"request":{"host":"127.0.0.1:5003"}},
                 {"action":"pull","target":{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","repository":"app","tag":"1"},"request":{"host":"127.0.0.1:5003"}},
                 {"action":"push","target":{"mediaType":"application/octet-stream","repository":"app","tag":"1"},"request":{"host":"127.0.0.1:5003"}},
                 {"action":"push","target":{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","repository":"app","tag":"1"},"request":{"host":"127.0.0.1:5003"}}
                ]}""");
        assertThat(RegistryEvents.pushedReferences(env)).containsExactly("127.0.0.1:5003/app:1");
        assertThatThrownBy(() -> RegistryEvents.pushedReferences(JSON.readTree("{\"events\":{}}"))).isInstanceOf(Problem.class);
    }

    @Property(tries = 300)
    void anyJsonIsEitherEventsOrAProblem(@ForAll("json") String text) throws Exception {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (Exception e) {
            return;
        }
        if (n == null) return;
        try {
            for (String r : RegistryEvents.pushedReferences(n)) assertThat(r).contains("/").contains(":");
        } catch (Problem p) {
            assertThat(p.status).isEqualTo(400);
            assertThat(p.getMessage()).doesNotContain("\n");
        }
    }

    @Provide
    Arbitrary<String> json() {
        Arbitrary<String> atoms = Arbitraries.of("null", "1", "\"push\"", "\"x\"", "{}", "[]", "true",
                "\"application/vnd.docker.distribution.manifest.v2+json\"");
        Arbitrary<String> keys = Arbitraries.of("events", "action", "target", "mediaType", "repository", "tag", "request", "host");
        return Arbitraries.recursive(() -> atoms, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]"),
                net.jqwik.api.Combinators.combine(keys.list().ofMaxSize(4), inner.list().ofMaxSize(4)).as((k, v) -> {
                    StringBuilder sb = new StringBuilder("{");
                    for (int i = 0; i < Math.min(k.size(), v.size()); i++) {
                        if (i > 0) sb.append(',');
                        sb.append('"').append(k.get(i)).append("\":").append(v.get(i));
                    }
                    return sb.append('}').toString();
                })), 4);
    }
}
