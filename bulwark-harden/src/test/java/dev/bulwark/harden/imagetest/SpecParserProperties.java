package dev.bulwark.harden.imagetest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the bytes, the parser returns a spec or a SpecException naming the file: never another exception. */
class SpecParserProperties {
    static final String VALID = """
            schemaVersion: 1
            commandTests:
              - args: [--env]
                env: {GREETING: hi}
                stdout: "GREETING=hi"
                timeout: 5s
            fileTests:
              - path: /srv/app/hello.sh
                mode: "0755"
                owner: "app:app"
                contains: ["^#!/bin/sh"]
            metadata:
              user: "10001:10001"
              exposedPorts: [8080/tcp]
            licences:
              forbidden: [AGPL-*]
            gates:
              severity: HIGH
            """;

    @Provide
    Arbitrary<String> mutated() {
        return Arbitraries.integers().between(0, VALID.length() - 1).list().ofMinSize(1).ofMaxSize(6)
                .flatMap(cuts -> Arbitraries.strings().withChars(":-[]{}\"'#\n \t&*!|>%@`,?0aZ\\").ofMaxLength(4).list().ofSize(cuts.size())
                        .map(ins -> {
                            StringBuilder b = new StringBuilder(VALID);
                            for (int i = 0; i < cuts.size(); i++) {
                                int at = Math.min(cuts.get(i), b.length());
                                int end = Math.min(b.length(), at + (i % 3));
                                b.replace(at, end, ins.get(i));
                            }
                            return b.toString();
                        }));
    }

    @Property(tries = 400)
    void mutatedSpecsParseOrFailWithAWhere(@ForAll("mutated") String yaml) {
        check(yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 200)
    void arbitraryBytesParseOrFailWithAWhere(@ForAll byte[] bytes) {
        check(bytes);
    }

    @Property(tries = 50)
    void truncatedSpecsParseOrFailWithAWhere(@ForAll("cut") int cut) {
        check(VALID.substring(0, cut).getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<Integer> cut() {
        return Arbitraries.integers().between(0, VALID.length());
    }

    private static void check(byte[] bytes) {
        try {
            Spec s = SpecParser.parse(bytes, "p.yaml");
            assertThat(s.size()).isPositive();
        } catch (SpecException e) {
            assertThat(e.where()).startsWith("p.yaml");
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
        }
    }
}
