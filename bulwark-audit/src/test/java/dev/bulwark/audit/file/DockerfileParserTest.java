package dev.bulwark.audit.file;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DockerfileParserTest {

    private static Dockerfile parse(String text) throws AuditException {
        return DockerfileParser.parse("Dockerfile", text);
    }

    @Test
    void joinsContinuationsAsBuildKitDoesAndKeepsPhysicalLines() throws Exception {
        Dockerfile df = parse("""
                FROM debian:12
                RUN apt-get update && \\
                    # a comment inside the continuation is dropped
                
                    apt-get install -y curl
                CMD ["bash"]
                """);
        List<Instruction> ins = df.instructions();
        assertThat(ins).extracting(Instruction::keyword).containsExactly("FROM", "RUN", "CMD");
        Instruction run = ins.get(1);
        assertThat(run.rest()).isEqualTo("apt-get update &&     apt-get install -y curl");
        assertThat(run.line()).isEqualTo(2);
        assertThat(run.endLine()).isEqualTo(5);
        int install = run.logical().indexOf("apt-get install");
        assertThat(run.lineAt(install)).isEqualTo(5);
        assertThat(run.map().col(install)).isEqualTo(5);
        assertThat(ins.get(2).line()).isEqualTo(6);
        assertThat(ins.get(2).json()).containsExactly("bash");
    }

    @Test
    void escapeDirectiveChangesTheContinuationCharacter() throws Exception {
        Dockerfile df = parse("""
                # escape=`
                FROM mcr.microsoft.com/windows/servercore:ltsc2022
                RUN dir c:\\ `
                    && echo done
                """);
        assertThat(df.escape()).isEqualTo('`');
        assertThat(df.directives()).containsEntry("escape", "`");
        Instruction run = df.instructions().get(1);
        assertThat(run.rest()).isEqualTo("dir c:\\     && echo done");
        assertThat(run.endLine()).isEqualTo(4);
    }

    @Test
    void directivesOnlyAtTheTop() throws Exception {
        Dockerfile df = parse("FROM alpine\n# escape=`\nRUN echo \\\n  hi\n");
        assertThat(df.escape()).isEqualTo('\\');
        assertThat(df.instructions().get(1).rest()).isEqualTo("echo   hi");
    }

    @Test
    void heredocsKeepTheirBodiesAndLines() throws Exception {
        Dockerfile df = parse("""
                FROM alpine
                RUN <<EOF
                apk add --no-cache curl
                echo hi
                EOF
                COPY <<-"CONF" /etc/app.conf
                \tkey = value
                \tCONF
                RUN cat <<A <<B > /x
                a
                A
                b
                B
                USER 1000
                """);
        List<Instruction> ins = df.instructions();
        assertThat(ins).extracting(Instruction::keyword).containsExactly("FROM", "RUN", "COPY", "RUN", "USER");
        Instruction.Heredoc h = ins.get(1).heredocs().get(0);
        assertThat(h.name()).isEqualTo("EOF");
        assertThat(h.body()).isEqualTo("apk add --no-cache curl\necho hi\n");
        assertThat(h.firstLine()).isEqualTo(3);
        assertThat(ins.get(1).endLine()).isEqualTo(5);
        Instruction.Heredoc conf = ins.get(2).heredocs().get(0);
        assertThat(conf.quoted()).isTrue();
        assertThat(conf.chomp()).isTrue();
        assertThat(conf.name()).isEqualTo("CONF");
        assertThat(ins.get(3).heredocs()).extracting(Instruction.Heredoc::name).containsExactly("A", "B");
        assertThat(ins.get(3).heredocs()).extracting(Instruction.Heredoc::firstLine).containsExactly(10, 12);
        assertThat(ins.get(4).line()).isEqualTo(14);
        Instruction.Script script = ins.get(1).script();
        int apk = script.text().indexOf("apk add");
        assertThat(script.map().line(apk)).isEqualTo(3);
        assertThat(script.map().line(script.text().indexOf("echo hi"))).isEqualTo(4);
    }

    @Test
    void aHeredocMarkerInQuotesOrWithABlankIsNotAHeredoc() throws Exception {
        Dockerfile df = parse("FROM alpine\nRUN echo \"<<EOF\"\nRUN cat << EOF\nUSER 1\n");
        assertThat(df.instructions()).hasSize(4);
        assertThat(df.instructions().get(1).heredocs()).isEmpty();
        assertThat(df.instructions().get(2).heredocs()).isEmpty();
    }

    @Test
    void flagsAndForms() throws Exception {
        Dockerfile df = parse("""
                FROM --platform=$BUILDPLATFORM golang:1.22 AS build
                RUN --mount=type=cache,target=/root/.cache --network=none go build ./...
                COPY --from=build --chown=1:1 --link /out /app
                HEALTHCHECK --interval=5s CMD ["/app", "health"]
                ENTRYPOINT [ "/app" , "serve" ]
                CMD [not json
                """);
        List<Instruction> ins = df.instructions();
        assertThat(ins.get(0).flag("platform")).hasValueSatisfying(f -> assertThat(f.value()).isEqualTo("$BUILDPLATFORM"));
        assertThat(ins.get(0).rest()).isEqualTo("golang:1.22 AS build");
        assertThat(ins.get(1).flags()).extracting(Instruction.Flag::name).containsExactly("mount", "network");
        assertThat(ins.get(1).rest()).isEqualTo("go build ./...");
        assertThat(ins.get(2).flag("link")).hasValueSatisfying(f -> assertThat(f.value()).isNull());
        assertThat(ins.get(3).json()).containsExactly("/app", "health");
        assertThat(ins.get(4).json()).containsExactly("/app", "serve");
        assertThat(ins.get(5).json()).isNull();
    }

    @Test
    void stagesAndGlobals() throws Exception {
        Dockerfile df = parse("ARG A=1\nARG B\nFROM x AS Build\nRUN a\nFROM build\nRUN b\n");
        assertThat(df.globals()).hasSize(2);
        assertThat(df.stages()).hasSize(2);
        assertThat(df.stages().get(0).name()).isEqualTo("build");
        assertThat(df.stages().get(1).image()).isEqualTo("build");
        assertThat(df.stages().get(1).instructions()).extracting(Instruction::rest).containsExactly("b");
    }

    @Test
    void crlfAndIndentationAndLowerCaseKeywords() throws Exception {
        Dockerfile df = parse("  from alpine\r\n\trun echo a \\\r\n  b\r\nuser 1\r\n");
        assertThat(df.instructions()).extracting(Instruction::keyword).containsExactly("FROM", "RUN", "USER");
        assertThat(df.instructions().get(1).rest()).isEqualTo("echo a   b");
        assertThat(df.instructions().get(2).line()).isEqualTo(4);
    }

    @Test
    void malformedDockerfilesAreRefusedWithTheLine() {
        assertThatThrownBy(() -> parse("FROM a\nRUNN x\n")).isInstanceOf(AuditException.class)
                .extracting(e -> ((AuditException) e).oneLine()).isEqualTo("Dockerfile:2: unknown instruction: RUNN");
        assertThatThrownBy(() -> parse("FROM a\nRUN <<EOF\necho\n")).hasMessageContaining("unterminated heredoc <<EOF")
                .extracting(e -> ((AuditException) e).where()).isEqualTo("Dockerfile:2");
        assertThatThrownBy(() -> parse("RUN x\nFROM a\n")).hasMessageContaining("RUN before the first FROM");
        assertThatThrownBy(() -> parse("ARG x\n")).hasMessageContaining("no FROM instruction");
        assertThatThrownBy(() -> parse("\n# only a comment\n")).hasMessageContaining("no instructions");
        assertThatThrownBy(() -> parse("# escape=x\nFROM a\n")).hasMessageContaining("invalid escape parser directive")
                .extracting(e -> ((AuditException) e).where()).isEqualTo("Dockerfile:1");
        assertThatThrownBy(() -> parse("FROM a b\n")).hasMessageContaining("FROM needs an image");
        assertThatThrownBy(() -> parse("# syntax=a\n# syntax=b\nFROM a\n")).hasMessageContaining("only one \"syntax\"");
    }

    @Test
    void jsonArrays() {
        assertThat(DockerfileParser.jsonArray("[\"a\\u0041\\n\", \"\\\"q\"]")).containsExactly("aA\n", "\"q");
        assertThat(DockerfileParser.jsonArray("[]")).isEmpty();
        assertThat(DockerfileParser.jsonArray("[\"a\",]")).isNull();
        assertThat(DockerfileParser.jsonArray("['a']")).isNull();
        assertThat(DockerfileParser.jsonArray("[\"a\"] x")).isNull();
        assertThat(DockerfileParser.jsonArray("[\"\\x\"]")).isNull();
    }
}
