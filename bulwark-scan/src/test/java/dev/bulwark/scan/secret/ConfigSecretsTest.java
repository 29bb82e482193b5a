package dev.bulwark.scan.secret;

import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.SecretFinding;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigSecretsTest {
    private final Tokens t = new Tokens(11);
    private final SecretAnalyzer a = new SecretAnalyzer();

    private static ImageInfo image(String... history) {
        List<LayerInfo> layers = new java.util.ArrayList<>();
        for (int i = 0; i < history.length; i++) {
            Digest d = Digest.sha256(("l" + i).getBytes(StandardCharsets.UTF_8));
            layers.add(new LayerInfo(i, d, d, 1, "application/vnd.oci.image.layer.v1.tar", history[i]));
        }
        return new ImageInfo("oci:x", "oci", null, null, null, null, null, null, layers, Map.of());
    }

    @Test
    void envLabelsAndHistory() {
        String gh = t.crcToken("ghp_"), pw = t.random(20, Tokens.ALNUM), arg = t.random(24, Tokens.ALNUM), label = t.crcToken("npm_");
        ImageInfo info = image("ADD file:x in /", "|2 DEPLOY_TOKEN=" + arg + " MODE=fast /bin/sh -c make",
                "|2 DEPLOY_TOKEN=" + arg + " MODE=fast /bin/sh -c make test", "/bin/sh -c echo " + gh);
        List<SecretFinding> f = a.scanConfig(info, List.of("PATH=/usr/bin", "GH=" + gh, "DB_PASSWORD=" + pw, "SECRET_FILE=/run/secrets/db",
                "API_TOKEN=changeme", "TOKEN="), Map.of("org.example.npm", label));
        assertThat(f).extracting(SecretFinding::ruleId, SecretFinding::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("build-arg", "config:history[1]"),
                org.assertj.core.groups.Tuple.tuple("github-pat", "config:history[3]"),
                org.assertj.core.groups.Tuple.tuple("env-secret", "config:ENV DB_PASSWORD"),
                org.assertj.core.groups.Tuple.tuple("npm-token", "config:LABEL org.example.npm"));
        assertThat(f).extracting(SecretFinding::line).containsOnly(0);
        assertThat(f.get(0).layer()).isEqualTo(info.layers().get(1).diffId());
        assertThat(f.toString()).doesNotContain(gh).doesNotContain(pw).doesNotContain(arg).doesNotContain(label);
    }

    @Test
    void credentialNames() {
        assertThat(SecretAnalyzer.sensitive("DB_PASSWORD")).isTrue();
        assertThat(SecretAnalyzer.sensitive("GITHUB_TOKEN")).isTrue();
        assertThat(SecretAnalyzer.sensitive("AWS_SECRET_ACCESS_KEY")).isTrue();
        assertThat(SecretAnalyzer.sensitive("PASSWORD_FILE")).isFalse();
        assertThat(SecretAnalyzer.sensitive("TOKEN_URL")).isFalse();
        assertThat(SecretAnalyzer.sensitive("TOKENIZER_MODEL")).isFalse();
        assertThat(SecretAnalyzer.sensitive("PATH")).isFalse();
        assertThat(SecretAnalyzer.buildArgs("A=1 B=2 /bin/sh -c x", 2)).extracting(kv -> kv[0] + "=" + kv[1]).containsExactly("A=1", "B=2");
        assertThat(SecretAnalyzer.buildArgs("A=1 /bin/sh", 3)).hasSize(1);
    }
}
