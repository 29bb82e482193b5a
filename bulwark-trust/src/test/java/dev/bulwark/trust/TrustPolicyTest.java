package dev.bulwark.trust;

import dev.bulwark.model.ImageRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustPolicyTest {
    @TempDir
    Path dir;

    @Test
    void firstMatchingRuleDecidesAndUnmatchedImagesHaveNone() throws Exception {
        Files.writeString(dir.resolve("team.pub"), Keys.publicPem(Keys.generate().getPublic()));
        Files.writeString(dir.resolve("policy.yaml"), """
                # who signs what
                rules:
                  - match: 127.0.0.1:5000/team/**
                    keys: [team.pub]
                    annotations: {env: prod}
                  - match: docker.io/library/*
                    require: none
                """);
        TrustPolicy p = TrustPolicy.load(dir.resolve("policy.yaml"));
        TrustPolicy.Rule r = p.ruleFor(ImageRef.parse("127.0.0.1:5000/team/a/b:1"));
        assertThat(r.keys()).hasSize(1);
        assertThat(r.annotations()).containsEntry("env", "prod");
        assertThat(p.ruleFor(ImageRef.parse("alpine")).require()).isEqualTo("none");
        assertThat(p.ruleFor(ImageRef.parse("someone/alpine"))).isNull(); // '*' does not cross '/'
        assertThat(p.ruleFor(ImageRef.parse("127.0.0.1:5000/other/x"))).isNull();
    }

    @Test
    void badPoliciesAreRefusedWithWhere() throws Exception {
        Path f = dir.resolve("p.yaml");
        Files.writeString(f, "rules:\n  - match: a/**\n    keyz: [x]\n");
        assertThatThrownBy(() -> TrustPolicy.load(f)).satisfies(e -> assertThat(((TrustException) e).oneLine())
                .isEqualTo(f + " rules[0]: unknown key 'keyz' (match, keys, annotations, require, notary, notary-ca)"));
        Files.writeString(f, "rules:\n  - match: a/**\n");
        assertThatThrownBy(() -> TrustPolicy.load(f)).hasMessageContaining("names no keys");
        Files.writeString(f, "rules: [\n");
        assertThatThrownBy(() -> TrustPolicy.load(f)).hasMessageContaining("malformed YAML").satisfies(e ->
                assertThat(((TrustException) e).oneLine()).doesNotContain("\n"));
        Files.writeString(f, "rules:\n  - match: a/**\n    keys: [missing.pub]\n");
        assertThatThrownBy(() -> TrustPolicy.load(f)).hasMessageContaining("no such key file");
        Files.writeString(f, "a: &a [*a]\n");
        assertThatThrownBy(() -> TrustPolicy.load(f)).isInstanceOf(TrustException.class);
        Files.writeString(f, "rules:\n  - match: a\n    require: maybe\n");
        assertThatThrownBy(() -> TrustPolicy.load(f)).hasMessageContaining("require must be");
        Files.writeString(f, "rules:\n  - match: a\n    require: notary\n");
        assertThatThrownBy(() -> TrustPolicy.load(f)).hasMessageContaining("require: notary needs 'notary: https://HOST:PORT'");
        Files.writeString(f, "rules:\n  - match: docker.io/a/*\n    require: notary\n    notary: https://127.0.0.1:4443\n    notary-ca: ca.crt\n");
        TrustPolicy.Rule n = TrustPolicy.load(f).ruleFor(dev.bulwark.model.ImageRef.parse("a/b:1"));
        assertThat(n.notary()).isEqualTo("https://127.0.0.1:4443");
        assertThat(n.notaryCa()).isEqualTo(dir.resolve("ca.crt").toAbsolutePath());
    }
}
