package dev.bulwark.cli;

import dev.bulwark.image.testenv.TestComponents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** `bulwark key generate`, `sign`, `verify` and `pin` end to end against the real loopback registry. */
class TrustCliIT {
    @TempDir
    Path tmp;

    /** A copy of bulwark-test/app's manifest in a repository of our own (same blobs: only the manifest is written). */
    private String ownImage() throws Exception {
        String reg = TestComponents.requireRegistry(TestComponents.registryAnonymous());
        String repo = reg + "/trust-test/cli-" + UUID.randomUUID().toString().substring(0, 8);
        Path skopeo = TestComponents.requireTool("skopeo");
        Process p = new ProcessBuilder(skopeo.toString(), "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                "docker://" + TestComponents.get("REF_ANON_BOOKWORM"), "docker://" + repo + ":1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return repo;
    }

    @Test
    void generateSignVerifyAndRefuse() throws Exception {
        String repo = ownImage();
        Path pass = tmp.resolve("pass");
        Files.writeString(pass, "pw\n");
        String k = tmp.resolve("k").toString();
        assertThat(TrustCliTest.run("key", "generate", "-o", k, "--passphrase-file", pass.toString()).code()).isZero();
        // image hygiene: no signature beside the digest yet (CIS 4.5)
        Path report = tmp.resolve("hygiene.json");
        TrustCliTest.Run unsigned = TrustCliTest.run("scan", "registry:" + repo + ":1", "--scanners", "hygiene", "--format", "json",
                "-o", report.toString());
        assertThat(unsigned.code()).as(unsigned.err()).isZero();
        assertThat(Files.readString(report)).contains("\"CIS-4.5\"").contains("no sha256-");
        TrustCliTest.Run s = TrustCliTest.run("sign", repo + ":1", "--key", k + ".key", "--passphrase-file", pass.toString(), "-a", "env=prod");
        assertThat(s.code()).as(s.err()).isZero();
        String digest = TestComponents.get("DIGEST_ANON_BOOKWORM");
        assertThat(s.out()).contains("signed " + repo + "@" + digest).contains(":sha256-" + digest.substring(7) + ".sig");

        TrustCliTest.Run v = TrustCliTest.run("verify", "registry:" + repo + ":1", "--key", k + ".pub", "-a", "env=prod");
        assertThat(v.code()).as(v.out() + v.err()).isZero();
        assertThat(v.out()).startsWith("verified " + repo + "@" + digest);
        TrustCliTest.Run signed = TrustCliTest.run("scan", "registry:" + repo + ":1", "--scanners", "hygiene", "--format", "json",
                "-o", report.toString());
        assertThat(signed.code()).as(signed.err()).isZero();
        assertThat(Files.readString(report)).contains("\"CIS-4.1\"").doesNotContain("CIS-4.5");

        TrustCliTest.Run ann = TrustCliTest.run("verify", repo + ":1", "--key", k + ".pub", "-a", "env=dev");
        assertThat(ann.code()).isEqualTo(1);
        assertThat(ann.out()).startsWith("REFUSED " + repo + "@" + digest).contains("annotation env=dev required, payload has env=prod");

        String other = tmp.resolve("other").toString();
        TrustCliTest.run("key", "generate", "-o", other, "--passphrase-file", pass.toString());
        Files.writeString(tmp.resolve("policy.yaml"), "rules:\n  - match: " + repo.substring(0, repo.lastIndexOf('/')) + "/*\n    keys: [other.pub]\n");
        TrustCliTest.Run pol = TrustCliTest.run("verify", repo + ":1", "--policy", tmp.resolve("policy.yaml").toString());
        assertThat(pol.code()).isEqualTo(1);
        assertThat(pol.out()).contains("signature does not verify with the key");
        Files.writeString(tmp.resolve("policy.yaml"), "rules:\n  - match: " + repo.substring(0, repo.lastIndexOf('/')) + "/**\n    keys: [other.pub, k.pub]\n");
        assertThat(TrustCliTest.run("verify", repo + ":1", "--policy", tmp.resolve("policy.yaml").toString()).code()).isZero();
    }

    @Test
    void pinDryRunThenInPlaceKeepsEverythingElse() throws Exception {
        Map<String, String> m = TestComponents.manifest();
        TestComponents.requireRegistry(TestComponents.registryAnonymous());
        Path compose = tmp.resolve("compose.yaml");
        String text = "# app stack\nservices:\n  app:\n    image: " + m.get("REF_ANON_APP") + "   # the app\n  multi:\n    image: '" + m.get("REF_ANON_MULTI") + "'\n";
        Files.writeString(compose, text);
        TrustCliTest.Run dry = TrustCliTest.run("pin", "--dry-run", compose.toString());
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("+    image: " + m.get("REF_ANON_APP") + "@" + m.get("DIGEST_ANON_APP") + "   # the app")
                .contains("(index digest: multi-platform)");
        assertThat(Files.readString(compose)).isEqualTo(text);
        TrustCliTest.Run pin = TrustCliTest.run("pin", compose.toString());
        assertThat(pin.code()).as(pin.err()).isZero();
        assertThat(Files.readString(compose)).isEqualTo(text.replace(m.get("REF_ANON_APP"), m.get("REF_ANON_APP") + "@" + m.get("DIGEST_ANON_APP"))
                .replace(m.get("REF_ANON_MULTI"), m.get("REF_ANON_MULTI") + "@" + m.get("DIGEST_ANON_MULTI")));
        assertThat(TrustCliTest.run("pin", "--check", compose.toString()).code()).isZero();
    }
}
