package dev.bulwark.audit.file;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Whatever the input, FileAuditor returns a report or throws an AuditException with one line naming the file:
 * arbitrary text under every kind of name, and the real fixtures damaged (characters changed, lines dropped,
 * duplicated or swapped, indentation shifted).
 */
class HostileInputProperties {
    private static final List<String> FIXTURES = List.of("insecure.Dockerfile", "hardened.Dockerfile",
            "insecure-compose.yaml", "hardened-compose.yaml", "workloads.yaml");
    private static final List<String> NAMES = List.of("Dockerfile", "compose.yaml", "deploy.yaml", "notes", "x.json");

    private static void auditOrRefuse(String name, String text) {
        try {
            FileAuditor.audit(name, text);
        } catch (AuditException refused) {
            assertThat(refused.oneLine()).startsWith(name).doesNotContain("\n");
        } catch (RuntimeException | StackOverflowError e) {
            fail("audit of " + name + " crashed on\n" + text, e);
        }
    }

    @Property(tries = 1500)
    void arbitraryTextUnderEveryName(@ForAll("names") String name, @ForAll("yamlish") String text) {
        auditOrRefuse(name, text);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of(NAMES);
    }

    @Provide
    Arbitrary<String> yamlish() {
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.of("services:", "  web:", "    image: nginx", "    privileged: true", "    ports:",
                        "      - \"80:80\"", "      - 127.0.0.1::9", "    volumes:", "      - /:/host:rshared",
                        "      - {type: bind, source: /etc, bind: {propagation: shared}}", "    cap_add: [ALL]",
                        "    restart: on-failure:x", "    deploy: {resources: {limits: {memory: 0}}}", "apiVersion: v1",
                        "kind: Pod", "kind: List", "items:", "  - kind: CronJob", "spec:", "  containers:",
                        "    - name: a", "      securityContext: {capabilities: {add: [SYS_ADMIN]}}",
                        "      env: [{name: TOKEN, value: abc}]", "  volumes: [{name: v, hostPath: {path: /}}]",
                        "---", "x: &a {k: v}", "y: *a", "<<: *a", "z: !!binary aGk=", "{", "[", "'", "\"", ": :",
                        "  template: {spec: {containers: [{image: x}]}}", "    healthcheck: {test: NONE}"),
                Arbitraries.strings().withChars("abc:-[]{}&*!|>'\"#\t ,?%@`~\\").ofMaxLength(20));
        return line.list().ofMaxSize(25).map(l -> String.join("\n", l));
    }

    @Property(tries = 1500)
    void damagedFixtures(@ForAll("damaged") String[] nameAndText) {
        auditOrRefuse(nameAndText[0], nameAndText[1]);
    }

    @Provide
    Arbitrary<String[]> damaged() {
        return Arbitraries.of(FIXTURES).flatMap(f -> {
            String text = Fixtures.text(f);
            List<String> lines = text.lines().toList();
            Arbitrary<String> flipped = Arbitraries.integers().between(0, text.length() - 1).list().ofMinSize(1).ofMaxSize(6)
                    .flatMap(pos -> Arbitraries.chars().with(":-[]{}\\`#'\"\n\t <|$&*!").list().ofSize(pos.size()).map(cs -> {
                        StringBuilder sb = new StringBuilder(text);
                        for (int k = 0; k < pos.size(); k++) sb.setCharAt(pos.get(k), cs.get(k));
                        return sb.toString();
                    }));
            Arbitrary<String> shuffled = Arbitraries.integers().between(0, lines.size() - 1).list().ofMinSize(1).ofMaxSize(5)
                    .flatMap(pos -> Arbitraries.integers().between(0, 3).list().ofSize(pos.size()).map(ops -> {
                        java.util.ArrayList<String> l = new java.util.ArrayList<>(lines);
                        for (int k = 0; k < pos.size(); k++) {
                            int p = Math.min(pos.get(k), l.size() - 1);
                            if (p < 0) break;
                            switch (ops.get(k)) {
                                case 0 -> l.remove(p);
                                case 1 -> l.add(p, l.get(p));
                                case 2 -> l.set(p, "  " + l.get(p));
                                default -> java.util.Collections.swap(l, p, Math.max(0, p - 1));
                            }
                        }
                        return String.join("\n", l);
                    }));
            return Arbitraries.oneOf(flipped, shuffled).map(t -> new String[]{f, t});
        });
    }
}
