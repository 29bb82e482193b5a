package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.image.testenv.TestComponents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code signed(image)} for real: images copied into fresh repositories of the loopback registry, one signed by
 * `bulwark sign`, and `bulwark authz serve --key` (its own process) judging dockerd's AuthZReq for creates of each
 * with the baseline's require-signed and require-digest switched on.
 */
class AuthzTrustIT {
    @TempDir
    Path tmp;

    /** A copy of bulwark-test/bookworm in a repository of our own (skopeo writes only the manifest). */
    private static String ownImage(String what) throws Exception {
        String reg = TestComponents.requireRegistry(TestComponents.registryAnonymous());
        String repo = reg + "/trust-test/authz-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path skopeo = TestComponents.requireTool("skopeo");
        Process p = new ProcessBuilder(skopeo.toString(), "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                "docker://" + TestComponents.get("REF_ANON_BOOKWORM"), "docker://" + repo + ":1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return repo;
    }

    private static String create(String image) {
        String body = "{\"Image\":\"" + image + "\",\"Cmd\":[\"true\"],\"HostConfig\":{\"NetworkMode\":\"default\"}}";
        return "{\"RequestMethod\":\"POST\",\"RequestUri\":\"/v1.41/containers/create\",\"RequestBody\":\""
                + Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8))
                + "\",\"RequestHeaders\":{\"Content-Type\":\"application/json\"}}";
    }

    @Test
    void signedImagesByDigestAreAllowedUnsignedOnesAndTagsAreDenied() throws Exception {
        String signed = ownImage("signed");
        String unsigned = ownImage("unsigned");
        String digest = TestComponents.get("DIGEST_ANON_BOOKWORM");
        Path pass = tmp.resolve("pass");
        Files.writeString(pass, "pw\n");
        String k = tmp.resolve("k").toString();
        assertThat(TrustCliTest.run("key", "generate", "-o", k, "--passphrase-file", pass.toString()).code()).isZero();
        TrustCliTest.Run s = TrustCliTest.run("sign", signed + ":1", "--key", k + ".key", "--passphrase-file", pass.toString());
        assertThat(s.code()).as(s.err()).isZero();

        Path policy = tmp.resolve("policy.yaml");
        Files.writeString(policy, """
                apiVersion: bulwark.dev/v1
                kind: Policy
                metadata: {name: signed-only}
                extends: baseline
                params: {allowedRegistries: ["*"], requireDigest: true, requireSigned: true}
                default: allow
                """);
        Path sock = tmp.resolve("p.sock");
        try (AuthzPluginProcess p = AuthzPluginProcess.start(tmp.resolve("serve.log"), "authz", "serve", "--policy", policy.toString(),
                "--socket", sock.toString(), "--warm-up", "0", "--key", k + ".pub", "--trust-timeout", "20000")) {
            p.awaitLog("listening on unix://" + sock, 60);
            assertThat(p.log()).contains("image trust 1 key");

            JsonNode ok = AuthzServeIT.call(sock, "/AuthZPlugin.AuthZReq", create(signed + "@" + digest));
            assertThat(ok.get("Allow").asBoolean()).as(ok.toString()).isTrue();

            JsonNode unsignedReply = AuthzServeIT.call(sock, "/AuthZPlugin.AuthZReq", create(unsigned + "@" + digest));
            assertThat(unsignedReply.get("Allow").asBoolean()).isFalse();
            assertThat(unsignedReply.get("Msg").asText()).contains("require-signed").contains(unsigned)
                    .contains("no signatures"); // the trust verdict's reason reaches the user

            JsonNode tag = AuthzServeIT.call(sock, "/AuthZPlugin.AuthZReq", create(signed + ":1"));
            assertThat(tag.get("Allow").asBoolean()).isFalse();
            assertThat(tag.get("Msg").asText()).contains("require-digest");

            // the verdict is cached: the same signed create is allowed again without a second registry round trip
            assertThat(AuthzServeIT.call(sock, "/AuthZPlugin.AuthZReq", create(signed + "@" + digest)).get("Allow").asBoolean()).isTrue();
            assertThat(p.stop()).isZero();
        }
    }

    @Test
    void badTrustOptionsStopTheServerWithOneLine() throws Exception {
        Path sock = tmp.resolve("p.sock");
        TrustCliTest.Run missing = TrustCliTest.run("authz", "serve", "--socket", sock.toString(), "--warm-up", "0",
                "--key", tmp.resolve("nope.pub").toString());
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err().strip()).startsWith("bulwark: ").doesNotContain("\n").contains("nope.pub");
        TrustCliTest.Run both = TrustCliTest.run("authz", "serve", "--socket", sock.toString(), "--warm-up", "0",
                "--key", "a.pub", "--notary", "https://127.0.0.1:4443");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("give one of --key, --trust-policy or --notary");
        Files.writeString(tmp.resolve("garbage.pub"), "-----BEGIN PUBLIC KEY-----\nnot base64 at all!\n-----END PUBLIC KEY-----\n");
        TrustCliTest.Run garbage = TrustCliTest.run("authz", "serve", "--socket", sock.toString(), "--warm-up", "0",
                "--key", tmp.resolve("garbage.pub").toString());
        assertThat(garbage.code()).isEqualTo(3);
        assertThat(garbage.err().strip()).startsWith("bulwark: ").doesNotContain("\n");
        assertThat(Files.exists(sock)).isFalse();
    }
}
