package dev.bulwark.harden.imagetest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.model.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecParserTest {
    static Spec parse(String yaml) throws SpecException {
        return SpecParser.parse(yaml.getBytes(StandardCharsets.UTF_8), "spec.yaml");
    }

    static SpecException error(String yaml) {
        try {
            parse(yaml);
        } catch (SpecException e) {
            return e;
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void everySectionIsRead() throws Exception {
        Spec s = parse("""
                schemaVersion: 1
                commandTests:
                  - name: greets
                    args: [tester]
                    env: {A: "1", B: null}
                    stdin: "x"
                    timeout: 500ms
                    stdout: "^hello"
                    stderrNot: [".", "warn"]
                  - run: [/bin/true]
                fileTests:
                  - path: /srv//app/./hello.sh
                    mode: "4755"
                    owner: app:app
                    size: 12
                    contains: "^#!"
                  - path: /etc/motd
                    exists: false
                metadata:
                  user: "10001"
                  exposedPorts: [8080, 53/udp]
                  labels: {a: b}
                  base: {image: "oci:/x", digest: "sha256:%s"}
                licences:
                  forbidden: [AGPL-*]
                  packageCopyright: true
                gates:
                  severity: high
                  ignoreUnfixed: true
                  noSecrets: true
                  audit: cis-image
                """.formatted("a".repeat(64)));
        assertThat(s.commands()).hasSize(2);
        Spec.CommandTest c = s.commands().get(0);
        assertThat(c.name()).isEqualTo("greets");
        assertThat(c.line()).isEqualTo(3);
        assertThat(c.args()).containsExactly("tester");
        assertThat(c.env()).containsEntry("A", "1").containsEntry("B", null);
        assertThat(c.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.exitCode()).as("an output expectation leaves the exit status open").isNull();
        assertThat(c.stderrNot()).hasSize(2);
        assertThat(s.commands().get(1).exitCode()).as("nothing else expected: exit 0").isEqualTo(0);
        assertThat(s.commands().get(1).name()).isEqualTo("command /bin/true");
        Spec.FileTest f = s.files().get(0);
        assertThat(f.path()).isEqualTo("/srv/app/hello.sh");
        assertThat(f.mode()).isEqualTo(04755);
        assertThat(f.line()).isEqualTo(12);
        assertThat(s.files().get(1).exists()).isFalse();
        assertThat(s.metadata().exposedPorts().value()).containsExactly("8080/tcp", "53/udp");
        assertThat(s.metadata().user().line()).isEqualTo(20);
        assertThat(s.metadata().base().value().digest()).startsWith("sha256:aaaa");
        assertThat(s.gates().severity().value()).isEqualTo(Severity.HIGH);
        assertThat(s.gates().audit().value()).containsExactly("cis-image");
        assertThat(s.size()).isEqualTo(2 + 2 + 4 + 2 + 3);
    }

    @Test
    void badYamlSaysTheLine() {
        SpecException e = error("schemaVersion: 1\nfileTests:\n  - path: /a\n    mode: [\n");
        assertThat(e.where()).startsWith("spec.yaml:");
        assertThat(e.oneLine()).contains("not valid YAML");
        assertThat(error("schemaVersion: 1\nfileTests:\n  - path: /x\n\tmode: x\n").oneLine())
                .startsWith("spec.yaml:4: not valid YAML: found character '\\t(TAB)' that cannot start any token");
        assertThat(error("schemaVersion: 1\nfileTests:\n  - path: /a\n    mode: [\n").oneLine())
                .isEqualTo("spec.yaml:5: not valid YAML: expected the node content, but found '<stream end>'");
    }

    @Test
    void unknownKeysAreRefusedWithTheirLine() {
        SpecException e = error("schemaVersion: 1\nfileTests:\n  - path: /a\n    mdoe: \"0755\"\n");
        assertThat(e.oneLine()).isEqualTo("spec.yaml:4: unknown key 'mdoe' in fileTests[0] (known: contains, exists, linkTarget, mode, name,"
                + " noSetuid, notContains, owner, path, size, type)");
        assertThat(error("schemaVersion: 1\ncommandTest:\n  - run: [x]\n").oneLine()).startsWith("spec.yaml:2: unknown key 'commandTest' in the spec");
    }

    @Test
    void wrongTypesAreRefusedWithTheirLine() {
        assertThat(error("schemaVersion: 1\nfileTests:\n  path: /a\n").oneLine()).isEqualTo("spec.yaml:3: fileTests: expected a list, found a map");
        assertThat(error("schemaVersion: 1\nfileTests:\n  - path: /a\n    exists: yes please\n").oneLine())
                .isEqualTo("spec.yaml:4: fileTests[0].exists: expected true or false, found a string 'yes please'");
        assertThat(error("schemaVersion: 1\ncommandTests:\n  - run: [x]\n    exitCode: \"0\"\n").oneLine())
                .isEqualTo("spec.yaml:4: commandTests[0].exitCode: expected a whole number, found a string '0'");
        assertThat(error("schemaVersion: 1\nmetadata:\n  entrypoint: /bin/app\n").oneLine())
                .isEqualTo("spec.yaml:3: metadata.entrypoint: expected a list, found a string '/bin/app'");
    }

    @Test
    void aCommandTestRunsInAContainerUnlessItAsksForAnotherLevel() throws Exception {
        Spec s = parse("schemaVersion: 1\ncommandTests:\n  - run: [a]\n  - run: [b]\n    isolation: sandbox\n  - run: [c]\n    isolation: VM\n");
        assertThat(s.commands()).extracting(Spec.CommandTest::isolation)
                .containsExactly(dev.bulwark.harden.run.Isolation.CONTAINER, dev.bulwark.harden.run.Isolation.SANDBOX, dev.bulwark.harden.run.Isolation.VM);
    }

    @Test
    void impossibleValuesAreRefused() {
        assertThat(error("schemaVersion: 1\nfileTests:\n  - path: /a\n    mode: 755\n").oneLine()).contains("spec.yaml:4").contains("octal");
        assertThat(error("schemaVersion: 1\nfileTests:\n  - path: /a\n    mode: \"0789\"\n").oneLine()).contains("spec.yaml:4");
        assertThat(error("schemaVersion: 1\nfileTests:\n  - path: a/b\n").oneLine()).isEqualTo("spec.yaml:3: fileTests[0].path must be absolute: a/b");
        assertThat(error("schemaVersion: 1\ncommandTests:\n  - run: [x]\n    stdout: \"(unclosed\"\n").oneLine())
                .startsWith("spec.yaml:4: commandTests[0].stdout: bad regular expression '(unclosed'");
        assertThat(error("schemaVersion: 1\ncommandTests:\n  - run: [x]\n    timeout: 2 hours\n").oneLine()).contains("spec.yaml:4").contains("duration");
        assertThat(error("schemaVersion: 1\ncommandTests:\n  - run: [x]\n    timeout: 2h\n").oneLine()).contains("at most 1h");
        assertThat(error("schemaVersion: 1\ncommandTests:\n  - run: [x]\n    args: [y]\n").oneLine()).contains("not both");
        assertThat(error("schemaVersion: 1\ncommandTests:\n  - run: [x]\n    exitCode: 256\n").oneLine()).contains("0..255");
        assertThat(error("schemaVersion: 1\ncommandTests:\n  - run: [x]\n    isolation: kvm\n").oneLine())
                .isEqualTo("spec.yaml:4: commandTests[0].isolation: expected container, sandbox or vm, found 'kvm'");
        assertThat(error("schemaVersion: 1\ncommandTests:\n  - run: [x]\n    stdin: hi\n    isolation: vm\n").oneLine())
                .startsWith("spec.yaml:4: commandTests[0].stdin: a command in a VM reads /dev/null");
        assertThat(error("schemaVersion: 1\nfileTests:\n  - path: /a\n    exists: false\n    mode: \"0644\"\n").oneLine())
                .isEqualTo("spec.yaml:5: fileTests[0]: mode cannot be checked on a path that must not exist");
        assertThat(error("schemaVersion: 1\ngates:\n  severity: moderate\n").oneLine()).startsWith("spec.yaml:3: gates.severity: one of");
        assertThat(error("schemaVersion: 1\ngates:\n  ignoreUnfixed: true\n").oneLine()).contains("needs gates.severity");
        assertThat(error("schemaVersion: 1\nmetadata:\n  base: {image: x, digest: sha256:12}\n").oneLine()).contains("sha256:<64 hex digits>");
        assertThat(error("schemaVersion: 1\nmetadata:\n  exposedPorts: [http]\n").oneLine()).contains("'http' is not PORT");
    }

    @Test
    void theDocumentItselfMustBeASpec() {
        assertThat(error("").oneLine()).isEqualTo("spec.yaml:1: the spec is empty");
        assertThat(error("- a\n- b\n").oneLine()).isEqualTo("spec.yaml:1: the spec: expected a map, found a list");
        assertThat(error("fileTests: []\n").oneLine()).contains("schemaVersion is missing");
        assertThat(error("schemaVersion: 2\nfileTests: [{path: /a}]\n").oneLine()).isEqualTo("spec.yaml:1: schemaVersion must be 1 (found a number '2')");
        assertThat(error("schemaVersion: 1\n").oneLine()).contains("holds no test");
        assertThat(error("schemaVersion: 1\nfileTests: [{path: /a}]\n---\nschemaVersion: 1\n").oneLine()).contains("more than one YAML document");
        assertThat(error("schemaVersion: 1\nfileTests:\n  - &a {path: /a}\n  - *a\n").oneLine())
                .isEqualTo("spec.yaml:4: YAML aliases (*a) are not supported: write the value out");
        assertThat(error("schemaVersion: 1\nfileTests:\n  - path: /a\n    contains: !!binary aGVsbG8=\n").oneLine())
                .isEqualTo("spec.yaml:4: binary values (!!binary) are not supported");
        assertThat(error("schemaVersion: 1\nfileTests:\n  - path: /a\n    ? [x]\n    : y\n").oneLine())
                .isEqualTo("spec.yaml:4: not valid YAML: a map key must be a plain string");
        assertThat(error("schemaVersion: 1\nfileTests: [{path: /a}]\nfileTests: [{path: /b}]\n").oneLine())
                .isEqualTo("spec.yaml:3: 'fileTests' appears twice (first on line 2)");
    }

    @Test
    void hostileInputStaysBounded() {
        String deep = "schemaVersion: 1\nmetadata:\n  labels: " + "[".repeat(200) + "]".repeat(200) + "\n";
        assertThat(error(deep).oneLine()).startsWith("spec.yaml:");
        byte[] big = new byte[YamlTree.MAX_BYTES + 1];
        java.util.Arrays.fill(big, (byte) '#');
        assertThatThrownBy(() -> SpecParser.parse(big, "big.yaml")).isInstanceOf(SpecException.class).hasMessageContaining("larger than");
        assertThat(error("schemaVersion: 1\nfileTests:\n  - path: \"/a\\x1b[31m\"\n    mdoe\u001b: 1\n").oneLine()).doesNotContain("\u001b");
    }

    @Test
    void aMissingFileIsOneLine(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> SpecParser.read(dir.resolve("nope.yaml"))).isInstanceOf(SpecException.class)
                .hasMessage("no such file");
        Path ok = Files.writeString(dir.resolve("s.yaml"), "schemaVersion: 1\nfileTests: [{path: /a}]\n");
        assertThat(SpecParser.read(ok).file()).isEqualTo(ok.toString());
    }
}
