package dev.bulwark.audit.file;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Dockerfile parser: how a Dockerfile is laid out (continuations, comment and blank lines inside and between
 * instructions, indentation, the escape character) does not change the instructions it reads, and every
 * instruction's lines are where they were written; arbitrary text either parses or is refused with an
 * AuditException, never anything else.
 */
class DockerfileParserProperties {
    private static final List<String> KEYWORDS = List.of("RUN", "ENV", "LABEL", "WORKDIR", "EXPOSE", "COPY", "USER",
            "CMD", "ENTRYPOINT", "VOLUME", "STOPSIGNAL", "ADD", "ARG", "ONBUILD", "MAINTAINER");

    /** An instruction as generated: keyword and words. */
    record Ins(String keyword, List<String> words) {
    }

    /** A layout choice per gap: 0 a blank, 1 a continuation, 2 a continuation plus comment and blank lines. */
    record Layout(List<Ins> instructions, long seed, boolean backtick, boolean lowerCase) {
    }

    @Provide
    Arbitrary<Layout> layouts() {
        Arbitrary<String> word = Arbitraries.strings().withChars("abcxyz0189=/._-:$@{}%+,").ofMinLength(1).ofMaxLength(8)
                .filter(w -> !w.startsWith("#"));
        Arbitrary<Ins> ins = Combinators.combine(Arbitraries.of(KEYWORDS), word.list().ofMinSize(1).ofMaxSize(6))
                .as(Ins::new);
        return Combinators.combine(ins.list().ofMinSize(0).ofMaxSize(12), Arbitraries.longs(), Arbitraries.of(true, false),
                Arbitraries.of(true, false)).as(Layout::new);
    }

    /** Renders a layout, recording where each instruction should start and end. */
    private static String render(Layout l, List<int[]> expectedLines) {
        Random rnd = new Random(l.seed());
        char esc = l.backtick() ? '`' : '\\';
        StringBuilder sb = new StringBuilder();
        int line = 1;
        if (l.backtick()) {
            sb.append("# escape=`\n");
            line++;
        }
        List<Ins> all = new ArrayList<>();
        all.add(new Ins("FROM", List.of("alpine:3.20")));
        all.addAll(l.instructions());
        for (Ins i : all) {
            int gaps = rnd.nextInt(3);
            for (int g = 0; g < gaps; g++) {
                sb.append(rnd.nextBoolean() ? "# between " + g + "\n" : (rnd.nextBoolean() ? "\n" : "   \t\n"));
                line++;
            }
            int start = line;
            sb.append(" ".repeat(rnd.nextInt(3)));
            sb.append(l.lowerCase() && rnd.nextBoolean() ? i.keyword().toLowerCase() : i.keyword());
            for (String w : i.words()) {
                switch (rnd.nextInt(4)) {
                    case 0, 1 -> sb.append(' ');
                    case 2 -> {
                        sb.append(' ').append(esc).append(rnd.nextBoolean() ? "  " : "").append('\n').append("    ");
                        line++;
                    }
                    default -> {
                        sb.append(' ').append(esc).append('\n');
                        line++;
                        sb.append("  # a comment in the continuation ").append(esc).append('\n');
                        line++;
                        sb.append('\n');
                        line++;
                        sb.append("\t");
                    }
                }
                sb.append(w);
            }
            sb.append(rnd.nextBoolean() ? "  " : "").append('\n');
            expectedLines.add(new int[]{start, line});
            line++;
        }
        return sb.toString();
    }

    @Property(tries = 1000)
    void layoutDoesNotChangeTheInstructions(@ForAll("layouts") Layout layout) throws AuditException {
        List<int[]> lines = new ArrayList<>();
        String text = render(layout, lines);
        Dockerfile df = DockerfileParser.parse("Dockerfile", text);
        List<Ins> expected = new ArrayList<>();
        expected.add(new Ins("FROM", List.of("alpine:3.20")));
        expected.addAll(layout.instructions());
        List<Ins> got = df.instructions().stream()
                .map(i -> new Ins(i.keyword(), DockerfileParser.words(i.args()))).toList();
        assertThat(got).as(text).isEqualTo(expected);
        for (int k = 0; k < lines.size(); k++) {
            Instruction i = df.instructions().get(k);
            assertThat(i.line()).as("start of instruction %d in\n%s", k, text).isEqualTo(lines.get(k)[0]);
            assertThat(i.endLine()).as("end of instruction %d in\n%s", k, text).isEqualTo(lines.get(k)[1]);
        }
    }

    @Property(tries = 500)
    void lineNumbersAreMonotonic(@ForAll("dockerfileish") String text) {
        Dockerfile df;
        try {
            df = DockerfileParser.parse("Dockerfile", text);
        } catch (AuditException refused) {
            return;
        }
        int lines = (int) text.lines().count();
        int previousEnd = 0;
        for (Instruction i : df.instructions()) {
            assertThat(i.line()).isGreaterThan(previousEnd);
            assertThat(i.endLine()).isGreaterThanOrEqualTo(i.line()).isLessThanOrEqualTo(Math.max(lines, 1));
            for (int off = 0; off < i.logical().length(); off++) {
                assertThat(i.lineAt(off)).isBetween(i.line(), i.endLine());
            }
            previousEnd = i.endLine();
        }
    }

    @Provide
    Arbitrary<String> dockerfileish() {
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.of("FROM alpine", "FROM scratch AS s", "RUN <<EOF", "EOF", "RUN <<-X cat", "\tX",
                        "COPY <<A <<B /x", "A", "B", "# escape=`", "# syntax=docker/dockerfile:1", "  # c", "",
                        "RUN a \\", "RUN b `", "USER root", "ARG X=1", "ENV A=b C=\"d e\"", "CMD [\"a\"]", "\\",
                        "HEALTHCHECK NONE", "EXPOSE 22", "ADD http://x/y /z", "onbuild run x"),
                Arbitraries.strings().withChars("RUNFOM \\`#<>E\"'=[]$-\t").ofMaxLength(12));
        return line.list().ofMaxSize(30).map(l -> String.join("\n", l));
    }

    @Property(tries = 2000)
    void arbitraryTextIsParsedOrRefused(@ForAll("anyText") String text) {
        try {
            DockerfileParser.parse("Dockerfile", text);
        } catch (AuditException refused) {
            assertThat(refused.oneLine()).startsWith("Dockerfile").doesNotContain("\n");
        } catch (RuntimeException e) {
            fail("parser crashed on " + text, e);
        }
    }

    @Property(tries = 2000)
    void arbitraryDockerfilesAreAuditedOrRefused(@ForAll("dockerfileish") String text) {
        try {
            FileAuditor.audit("Dockerfile", text);
        } catch (AuditException refused) {
            assertThat(refused.oneLine()).startsWith("Dockerfile").doesNotContain("\n");
        } catch (RuntimeException e) {
            fail("audit crashed on\n" + text, e);
        }
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300),
                Arbitraries.strings().withChars("FROMRUNarg \\`\n\r\t#<>-\"'=[]${}|&;()").ofMaxLength(400),
                Arbitraries.strings().withChars("FROM x\nRUN \\\n<<EOF \t#").ofMaxLength(400).map(s -> "FROM a\n" + s));
    }

    /** Random but valid RUN lines (shell metacharacters, quotes, substitutions) go through every check. */
    @Property(tries = 1000)
    void randomShellInRunIsAudited(@ForAll("shell") String script, @ForAll("shell") String next) {
        String text = "FROM debian:12\nRUN " + script.replace("\n", " \\\n") + "\nRUN " + next.replace("\n", " \\\n")
                + "\nUSER 1\n";
        try {
            FileAuditor.audit("Dockerfile", text);
        } catch (AuditException refused) {
            assertThat(refused.oneLine()).doesNotContain("\n");
        } catch (RuntimeException e) {
            fail("audit crashed on\n" + text, e);
        }
    }

    @Provide
    Arbitrary<String> shell() {
        Arbitrary<String> token = Arbitraries.of("apt-get", "update", "install", "-y", "apk", "add", "--no-cache", "curl",
                "wget", "-O-", "|", "||", "&&", ";", "sh", "bash", "sudo", "-u", "chmod", "777", "a+w", "o+rwx", "1777",
                "$(curl x)", "<(wget y)", "\"", "'", "\\", "`", "pip", "install", "python3", "-m", "x==1", "rm", "-rf",
                "/var/lib/apt/lists/*", "2>&1", ">", "/dev/null", "&>", "<<", "EOF", "(", ")", "{", "}", "env",
                "A=b", "nice", "-n", "timeout", "5", "openssh-server", "=", "${X:-y}", "#", "\n", "eval", "source", ".");
        return token.list().ofMaxSize(25).map(l -> String.join(" ", l));
    }

    @Property(tries = 300)
    void expansionIsBounded(@ForAll("vars") List<Tuple.Tuple2<String, String>> env) {
        StringBuilder sb = new StringBuilder("FROM alpine\n");
        for (Tuple.Tuple2<String, String> e : env) sb.append("ENV ").append(e.get1()).append('=').append(e.get2()).append('\n');
        sb.append("USER $A\n");
        try {
            FileAuditor.audit("Dockerfile", sb.toString());
        } catch (AuditException refused) {
            assertThat(refused.oneLine()).doesNotContain("\n");
        }
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<String, String>>> vars() {
        Arbitrary<String> name = Arbitraries.of("A", "B", "C", "D");
        Arbitrary<String> value = Arbitraries.of("$A$A", "${B}${B}${B}", "${C:-$D}", "x", "${A:+$B$B}", "'$A'", "\"$D\"",
                "${D:-${C:-${B:-${A}}}}");
        return Combinators.combine(name, value).as(Tuple::of).list().ofMaxSize(40);
    }
}
