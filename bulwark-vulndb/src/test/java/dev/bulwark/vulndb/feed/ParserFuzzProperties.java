package dev.bulwark.vulndb.feed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Parsers are total: on any bytes (random, real records cut short, real records with bytes flipped) they return
 * records and problems, never an exception. Cut-short JSON is never taken silently.
 */
class ParserFuzzProperties {
    /** A real sample of every format, as the feeds ship it. */
    private static Map<FeedFormat, Sample> samples;

    record Sample(String name, byte[] bytes) {
    }

    @BeforeContainer
    static void loadSamples() {
        Path data = VulnData.root();
        samples = Map.of(
                FeedFormat.OSV_JSON, sample(data, "golang-vulndb/data/osv/GO-2021-0113.json"),
                FeedFormat.OSV_YAML, sample(data, "pypa-advisory-database/vulns/apache-skywalking/PYSEC-2020-342.yaml"),
                FeedFormat.NODEJS_SECURITY_WG, sample(data, "nodejs-security-wg/vuln/npm/1.json"),
                FeedFormat.RUSTSEC, sample(data, "rustsec-advisory-db/rust/std/CVE-2021-29922.md"),
                FeedFormat.ALPINE_SECDB_YAML, sample(data, "alpine-secdb/v3.4/community.yaml"),
                FeedFormat.ALPINE_SECDB_JSON, new Sample("v3.19/main.json", """
                        {"distroversion": "v3.19", "reponame": "main", "packages": [{"pkg": {"name": "openssl",
                         "secfixes": {"3.1.4-r1": ["CVE-2023-5678"], "0": ["CVE-2022-1343"]}}}]}""".getBytes(UTF_8)),
                FeedFormat.DEBIAN_TRACKER, new Sample("tracker.json", Fixtures.bytes("debian-tracker.json")),
                FeedFormat.NVD_CVE_API, new Sample("nvd.json", Fixtures.bytes("nvd-cve-api-2.0.json")),
                FeedFormat.CISA_KEV, new Sample("kev.json", Arrays.copyOf(
                        read(data.resolve("cisa-kev/known_exploited_vulnerabilities.json")), 6000)),
                FeedFormat.EPSS_CSV, new Sample("epss.csv", Fixtures.bytes("epss.csv")));
        assertThat(samples).hasSize(FeedFormat.values().length);
    }

    @Property(tries = 300)
    void anyBytesGiveProblemsNotExceptions(@ForAll("formats") FeedFormat format, @ForAll("junk") byte[] bytes) {
        ParseResult r = format.parser().parse(bytes, "junk");
        assertThat(r).isNotNull();
        assertThat(r.problems()).allSatisfy(p -> assertThat(p).startsWith("junk"));
    }

    @Property(tries = 400)
    void realRecordsCutShortAreReportedNotThrown(@ForAll("formats") FeedFormat format,
                                                 @ForAll @IntRange(min = 0, max = 100_000) int cutAt) {
        Sample s = samples.get(format);
        int length = Math.min(cutAt, s.bytes().length);
        ParseResult r = format.parser().parse(Arrays.copyOf(s.bytes(), length), s.name());
        boolean json = format != FeedFormat.OSV_YAML && format != FeedFormat.ALPINE_SECDB_YAML
                && format != FeedFormat.RUSTSEC && format != FeedFormat.EPSS_CSV;
        // the KEV sample is itself a cut of the catalog; the others are whole, valid files (cutting only their
        // trailing newline leaves them whole)
        boolean cut = !new String(s.bytes(), length, s.bytes().length - length, UTF_8).isBlank();
        if (json && (cut || format == FeedFormat.CISA_KEV)) {
            assertThat(r.problems()).as("a JSON document cut at %d of %d", length, s.bytes().length).isNotEmpty();
        }
    }

    @Property(tries = 400)
    void realRecordsWithFlippedBytesNeverThrow(@ForAll("mutations") Mutation m) {
        Sample s = samples.get(m.format());
        byte[] bytes = s.bytes().clone();
        for (int i = 0; i < m.positions().size(); i++) {
            int at = m.positions().get(i) % bytes.length;
            bytes[at] = (byte) (bytes[at] ^ m.masks().get(i));
        }
        assertThat(m.format().parser().parse(bytes, s.name())).isNotNull();
    }

    @Property(tries = 200)
    void detectionNeverThrows(@ForAll("names") String name, @ForAll("junk") byte[] head) {
        assertThat(Feeds.detect(name, head)).isNotNull();
    }

    @Property(tries = 100)
    void junkNamedLikeAnArchiveIsAProblem(@ForAll("archiveNames") String name, @ForAll("junk") byte[] bytes)
            throws Exception {
        Path dir = Files.createTempDirectory("fuzz");
        try {
            Path file = dir.resolve(name);
            Files.write(file, bytes);
            ParseResult r = Feeds.parse(file);
            assertThat(r.advisories()).isEmpty();
            assertThat(r.problems()).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith(name));
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) Files.deleteIfExists(p);
            }
        }
    }

    record Mutation(FeedFormat format, List<Integer> positions, List<Integer> masks) {
    }

    @Provide
    Arbitrary<FeedFormat> formats() {
        return Arbitraries.of(FeedFormat.class);
    }

    @Provide
    Arbitrary<byte[]> junk() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
        // junk that starts like a feed gets further into the parsers
        Arbitrary<byte[]> feedish = Combinators.combine(
                Arbitraries.of("{", "[", "{\"id\":", "```toml\n", "---\n", "#model_version:x\ncve,epss,percentile\n",
                        "{\"a\":{\"CVE-1\":", "{\"vulnerabilities\":[", "packages:\n  - pkg:\n"),
                Arbitraries.strings().ofMaxLength(300))
                .as((prefix, rest) -> (prefix + rest).getBytes(UTF_8));
        return Arbitraries.oneOf(random, feedish);
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<List<Integer>> positions = Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofSize(4);
        Arbitrary<List<Integer>> masks = Arbitraries.integers().between(1, 255).list().ofSize(4);
        return Combinators.combine(formats(), positions, masks).as(Mutation::new);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("a.json", "vuln/npm/1.json", "x.yaml", "RUSTSEC-1.md", "epss.csv", "b.yml"));
    }

    @Provide
    Arbitrary<String> archiveNames() {
        return Arbitraries.of("x.zip", "x.tar.gz", "x.tgz", "x.tar", "x.json.gz", "x.csv.gz");
    }

    private static Sample sample(Path data, String relative) {
        return new Sample(relative, read(data.resolve(relative)));
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
