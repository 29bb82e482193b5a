package dev.bulwark.policy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

import static org.assertj.core.api.Assertions.assertThat;

/** Policy text of any shape loads or fails with one PolicyException line, never anything else. */
class PolicyFuzzProperties {
    private static final String GOOD = """
            apiVersion: bulwark.dev/v1
            kind: Policy
            extends: baseline
            params: {allowedRegistries: [docker.io], execUsers: [alice]}
            groups: {alice: [admins]}
            default: deny
            rules:
              - name: a
                match: {actions: ["container.*"], users: [alice], sources: [docker]}
                condition: privileged || hostPaths.exists(p, under(p, "/etc"))
                effect: deny
                message: "no {{image}}"
              - {name: b, effect: allow}
            """;

    private static void loadsOrOneLine(String text) {
        try {
            Policies.parse("f.yaml", text);
        } catch (PolicyException e) {
            assertThat(e.oneLine()).startsWith("f.yaml").doesNotContain("\n");
        }
    }

    @Property(tries = 400)
    void arbitraryTextLoadsOrFailsInOneLine(@ForAll @StringLength(max = 400) String text) {
        loadsOrOneLine(text);
    }

    @Property(tries = 400)
    void aMutatedPolicyLoadsOrFailsInOneLine(@ForAll @IntRange(min = 0, max = 10_000) int pos, @ForAll("chars") char c) {
        char[] t = GOOD.toCharArray();
        t[pos % t.length] = c;
        loadsOrOneLine(new String(t));
    }

    @Property(tries = 300)
    void arbitraryConditionsCompileOrFailInOneLine(@ForAll("conditions") String condition) {
        loadsOrOneLine("apiVersion: bulwark.dev/v1\nkind: Policy\ndefault: allow\nrules:\n  - name: x\n    effect: deny\n    condition: '"
                + condition.replace("'", "''") + "'\n");
    }

    @Provide
    Arbitrary<Character> chars() {
        return Arbitraries.of(' ', ':', '-', '\n', '{', '}', '[', ']', '"', '\'', '|', '*', '&', '!', 'x', '\t', '#', '%', '@', '\u0000');
    }

    @Provide
    Arbitrary<String> conditions() {
        Arbitrary<String> atoms = Arbitraries.of("privileged", "image", "memory", "hostPaths", "capAdd", "params", "body", "1", "\"x\"",
                "true", "[]", "{}", "null", "under(", "glob(", ")", "(", ".", ",", "==", "&&", "||", "!", "in", "exists(p, p", "size(",
                "x", "+", "-1", "9223372036854775807", "/", "[0]", "'s'");
        return atoms.list().ofMaxSize(12).map(l -> String.join(" ", l));
    }
}
