package dev.bulwark.trust;

import dev.bulwark.image.Registry;
import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageRef;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PinRewriteTest {
    /** Digest of the reference's own text: distinct per reference, so a misplaced edit shows. */
    static final Pinner.Resolver BY_NAME = (ref, platform, where) -> {
        Digest d = Digest.sha256((ref.toString() + "|" + platform).getBytes(StandardCharsets.UTF_8));
        return new Registry.Resolved(d, "application/vnd.oci.image.index.v1+json", d, true);
    };

    static Digest digestOf(String ref, String platform) {
        return Digest.sha256((ImageRef.parse(ref) + "|" + platform).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void dockerfileStagesArgsPlatformAndScratch() throws Exception {
        String df = """
                # syntax=docker/dockerfile:1
                ARG BASE=127.0.0.1:5000/lib/base:1.2
                ARG GO="golang:1.22"
                FROM --platform=linux/arm64 ${GO} AS build
                RUN go build ./...
                FROM build AS test
                from   127.0.0.1:5000/lib/tools   as tools
                FROM $BASE
                FROM scratch
                FROM alpine:3.20@sha256:%s
                COPY --from=build /out /out
                """.formatted("a".repeat(64));
        List<ImageUse> uses = ImageRefs.find("Dockerfile", df, "Dockerfile");
        assertThat(uses).extracting(ImageUse::image).containsExactly("golang:1.22", "127.0.0.1:5000/lib/tools", "127.0.0.1:5000/lib/base:1.2",
                "alpine:3.20@sha256:" + "a".repeat(64));
        assertThat(uses.get(0).context()).isEqualTo("ARG GO (FROM line 4)");
        assertThat(uses.get(0).platform()).isEqualTo("linux/arm64");
        assertThat(uses.get(3).pinned()).isTrue();

        Pinner.Plan plan = Pinner.plan(Path.of("Dockerfile"), df, BY_NAME);
        String[] out = plan.pinned().split("\n", -1);
        String[] in = df.split("\n", -1);
        assertThat(out).hasSameSizeAs(in);
        assertThat(out[1]).isEqualTo("ARG BASE=127.0.0.1:5000/lib/base:1.2@" + digestOf("127.0.0.1:5000/lib/base:1.2", null));
        assertThat(out[2]).isEqualTo("ARG GO=\"golang:1.22@" + digestOf("golang:1.22", "linux/arm64") + "\"");
        assertThat(out[6]).isEqualTo("from   127.0.0.1:5000/lib/tools:latest@" + digestOf("127.0.0.1:5000/lib/tools", null) + "   as tools");
        for (int i : new int[]{0, 3, 4, 5, 7, 8, 9, 10, 11}) assertThat(out[i]).isEqualTo(in[i]);
        assertThat(plan.edits()).hasSize(3);
    }

    @Test
    void continuedInstructionsAndTheEscapeDirectiveArePinnedWhereTheReferenceStands() throws Exception {
        String df = "FROM --platform=linux/arm64 \\\n    # the builder\n    127.0.0.1:5000/lib/base:1.2 \\\n    AS build\nRUN echo a \\\n  FROM not-an-instruction\n";
        List<ImageUse> uses = ImageRefs.find("Dockerfile", df, "Dockerfile");
        assertThat(uses).extracting(ImageUse::image).containsExactly("127.0.0.1:5000/lib/base:1.2");
        assertThat(uses.get(0).line()).isEqualTo(2);
        assertThat(uses.get(0).column()).isEqualTo(4);
        assertThat(uses.get(0).platform()).isEqualTo("linux/arm64");
        String pinned = Pinner.plan(Path.of("Dockerfile"), df, BY_NAME).pinned();
        assertThat(pinned).isEqualTo(df.replace("base:1.2 ", "base:1.2@" + digestOf("127.0.0.1:5000/lib/base:1.2", "linux/arm64") + " "));

        // Windows-style Dockerfiles name the backtick as escape: a trailing backslash is then part of a path
        String win = "# escape=`\nFROM 127.0.0.1:5000/win/core:1 `\n  AS base\nFROM 127.0.0.1:5000/win/tools:2\nRUN dir c:\\\n";
        assertThat(ImageRefs.find("Dockerfile", win, "Dockerfile")).extracting(ImageUse::image, ImageUse::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("127.0.0.1:5000/win/core:1", 1),
                        org.assertj.core.groups.Tuple.tuple("127.0.0.1:5000/win/tools:2", 3));
    }

    @Test
    void anArgUsedByTwoStagesIsPinnedOnce() throws Exception {
        String df = "ARG IMG=127.0.0.1:5000/x/y:1\nFROM ${IMG} AS a\nFROM $IMG\n";
        Pinner.Plan p = Pinner.plan(Path.of("Dockerfile"), df, BY_NAME);
        assertThat(p.edits()).hasSize(1);
        assertThat(p.pinned()).isEqualTo("ARG IMG=127.0.0.1:5000/x/y:1@" + digestOf("127.0.0.1:5000/x/y:1", null) + "\nFROM ${IMG} AS a\nFROM $IMG\n");
    }

    @Test
    void composeAndKubernetesKeepCommentsAndQuotes() throws Exception {
        String compose = """
                services:
                  web:
                    image: "127.0.0.1:5000/app/web:2"   # pinned by bulwark
                    environment: {image: not-an-image}
                  db:
                    image: postgres:15
                  built:
                    build: .
                """;
        Pinner.Plan p = Pinner.plan(Path.of("compose.yaml"), compose, BY_NAME);
        String[] out = p.pinned().split("\n", -1);
        assertThat(out[2]).isEqualTo("    image: \"127.0.0.1:5000/app/web:2@" + digestOf("127.0.0.1:5000/app/web:2", null) + "\"   # pinned by bulwark");
        assertThat(out[3]).isEqualTo("    environment: {image: not-an-image}");
        assertThat(out[5]).isEqualTo("    image: postgres:15@" + digestOf("postgres:15", null));
        assertThat(p.edits()).extracting(Pinner.Edit::context).containsExactly("services.web.image", "services.db.image");

        String k8s = """
                # two documents
                apiVersion: batch/v1
                kind: CronJob
                spec:
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          initContainers:
                            - name: init
                              image: busybox:1.36
                          containers:
                          - {name: main, image: 'nginx:1.27'}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {annotations: {image: ignored}}
                spec:
                  ephemeralContainers: [{name: dbg, image: debian:12}]
                """;
        List<ImageUse> uses = ImageRefs.find("cron.yaml", k8s, "cron.yaml");
        assertThat(uses).extracting(ImageUse::image).containsExactly("busybox:1.36", "nginx:1.27", "debian:12");
        String pinned = Pinner.plan(Path.of("cron.yaml"), k8s, BY_NAME).pinned();
        assertThat(pinned).contains("image: busybox:1.36@sha256:", "image: 'nginx:1.27@sha256:", "image: debian:12@sha256:", "# two documents",
                "annotations: {image: ignored}");
    }

    @Test
    void malformedYamlAndBadReferencesAreOneLineErrors() {
        assertThatThrownBy(() -> ImageRefs.find("k.yaml", "a: [\n", "k.yaml")).isInstanceOf(TrustException.class)
                .satisfies(e -> assertThat(((TrustException) e).oneLine()).startsWith("k.yaml: malformed YAML").doesNotContain("\n"));
        assertThatThrownBy(() -> Pinner.plan(Path.of("Dockerfile"), "FROM Bad..Name\n", BY_NAME))
                .satisfies(e -> assertThat(((TrustException) e).oneLine()).startsWith("Dockerfile:1: "));
        assertThatThrownBy(() -> ImageRefs.find("k.yaml", "a: &a [*a, *a, *a]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n", "k.yaml"))
                .isInstanceOf(TrustException.class);
    }

    // ------------------------------------------------------------------ properties

    @Provide
    Arbitrary<String> refs() {
        Arbitrary<String> comp = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> host = Arbitraries.of("", "127.0.0.1:5000/", "registry.example:443/", "localhost/");
        Arbitrary<String> tag = Arbitraries.strings().withChars("abcXYZ0189._-").ofMinLength(1).ofMaxLength(10)
                .filter(t -> Character.isLetterOrDigit(t.charAt(0))).injectNull(0.3);
        return Combinators.combine(host, comp.list().ofMinSize(1).ofMaxSize(3), tag)
                .as((h, cs, t) -> h + String.join("/", cs) + (t == null ? "" : ":" + t));
    }

    @Property(tries = 300)
    void dockerfileRewriteTouchesOnlyTheReference(@ForAll("refs") String ref, @ForAll("refs") String other,
                                                  @ForAll("comment") String comment) throws Exception {
        String df = "# " + comment + "\nFROM " + ref + " AS one\nRUN echo '" + comment + "'\nFROM  " + other + "\n";
        Pinner.Plan p = Pinner.plan(Path.of("Dockerfile"), df, BY_NAME);
        String[] in = df.split("\n", -1), out = p.pinned().split("\n", -1);
        assertThat(out).hasSameSizeAs(in);
        assertThat(out[0]).isEqualTo(in[0]);
        assertThat(out[2]).isEqualTo(in[2]);
        assertThat(out[1]).isEqualTo("FROM " + Pinner.pinnedText(ref, ImageRef.parse(ref), digestOf(ref, null)) + " AS one");
        assertThat(ImageRef.parse(out[1].substring(5, out[1].length() - 7)).digest()).isEqualTo(digestOf(ref, null));
        // pinning again changes nothing
        assertThat(Pinner.plan(Path.of("Dockerfile"), p.pinned(), BY_NAME).changes()).isFalse();
    }

    @Property(tries = 300)
    void yamlRewriteTouchesOnlyTheReference(@ForAll("refs") String ref, @ForAll("comment") String comment,
                                            @ForAll("quote") String q) throws Exception {
        String y = "# " + comment + "\nservices:\n  s:\n    image: " + q + ref + q + "  # " + comment + "\n    command: x\n";
        Pinner.Plan p = Pinner.plan(Path.of("docker-compose.yml"), y, BY_NAME);
        List<String> diff = new ArrayList<>();
        String[] in = y.split("\n", -1), out = p.pinned().split("\n", -1);
        for (int i = 0; i < in.length; i++) if (!in[i].equals(out[i])) diff.add(out[i]);
        assertThat(diff).containsExactly("    image: " + q + Pinner.pinnedText(ref, ImageRef.parse(ref), digestOf(ref, null)) + q + "  # " + comment);
    }

    @Property(tries = 300)
    void fuzzedFilesNeverEscapeAsRuntimeExceptions(@ForAll("junk") String junk, @ForAll boolean yaml) {
        try {
            ImageRefs.find(yaml ? "f.yaml" : "Dockerfile", junk, "f");
        } catch (TrustException e) {
            assertThat(e.oneLine()).startsWith("f: ").doesNotContain("\n");
        }
    }

    @Provide
    Arbitrary<String> comment() {
        return Arbitraries.strings().withChars("abc #:'\"/@").ofMaxLength(20).map(s -> s.replace("'", "").replace("\"", ""));
    }

    @Provide
    Arbitrary<String> quote() {
        return Arbitraries.of("", "'", "\"");
    }

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.strings().withChars("FROMimage: -[]{}&*!|>'\"\n\t#$").ofMaxLength(200);
    }
}
