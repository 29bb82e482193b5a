package dev.bulwark.policy;

import dev.bulwark.policy.docker.DockerRequests;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/policy.md stays true: every endpoint, action and variable is in it, and its example rules load. */
class DocsTest {
    private static String doc() throws Exception {
        return Files.readString(Path.of("..", "docs", "policy.md"));
    }

    @Test
    void everyEndpointAndActionIsDocumented() throws Exception {
        String doc = doc();
        for (String r : DockerRequests.routes()) {
            String[] p = r.split(" ");
            assertThat(doc).as(r).contains("`" + p[0] + " " + p[1] + "`").contains("`" + p[2] + "`");
        }
    }

    @Test
    void everyVariableIsDocumented() throws Exception {
        String doc = doc();
        for (String v : Fields.names()) assertThat(doc).as(v).contains("`" + v + "`");
    }

    @Test
    void theExampleRulesLoad() throws Exception {
        String doc = doc();
        int start = doc.indexOf("Examples:\n\n```yaml\n");
        assertThat(start).isPositive();
        int from = start + "Examples:\n\n```yaml\n".length();
        String rules = doc.substring(from, doc.indexOf("```", from));
        Policy p = Policies.parse("docs/policy.md", "apiVersion: bulwark.dev/v1\nkind: Policy\ndefault: allow\nrules:\n" + rules);
        assertThat(p.ruleNames()).containsExactly("no-docker-socket-anywhere", "limits-required", "only-signed-namespace",
                "no-root-exec", "team-label");
    }

    @Test
    void theBaselineInTheDocsIsTheShippedOne() throws Exception {
        assertThat(doc()).contains(Policies.baselineYaml());
    }
}
