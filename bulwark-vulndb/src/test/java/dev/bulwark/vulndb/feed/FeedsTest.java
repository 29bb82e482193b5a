package dev.bulwark.vulndb.feed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.model.Advisory;
import dev.bulwark.vulndb.VulnDbException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeedsTest {
    private static final String GO_RECORD = """
            {"schema_version": "1.3.1", "id": "GO-0000-0001", "modified": "2024-01-01T00:00:00Z",
             "affected": [{"package": {"ecosystem": "Go", "name": "example.org/m"},
                           "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.3"}]}]}]}
            """;

    @Test
    void everyFeedInSharedVulndata() throws Exception {
        long start = System.nanoTime();
        ParseResult r = Feeds.parseTree(VulnData.root());
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("parsed all of shared/vulndata in %d ms: %s%n", millis, r.stats());

        assertThat(r.stats()).isEqualTo(Map.of(
                FeedFormat.OSV_JSON, new FormatStats(4291, 4291, 0),
                FeedFormat.OSV_YAML, new FormatStats(2661, 2661, 0),
                FeedFormat.NODEJS_SECURITY_WG, new FormatStats(647, 1298, 2),
                FeedFormat.RUSTSEC, new FormatStats(734, 734, 0),
                FeedFormat.ALPINE_SECDB_YAML, new FormatStats(18, 12031, 1),
                FeedFormat.CISA_KEV, new FormatStats(1, 1404, 0)));
        // the three problems are the feeds' own faults, asserted and explained in the per-feed tests
        assertThat(r.problems()).hasSize(3);
        assertThat(r.advisories()).hasSize(4291 + 2661 + 649 + 734 + 11214);
        assertThat(r.kev()).hasSize(1404);
        // everything else in the folder is a licence, a README, a script, a schema or a seccomp profile
        assertThat(r.unrecognised()).containsExactly("vulndata/README.md", "vulndata/cisa-kev/LICENSE",
                "vulndata/cisa-kev/known_exploited_vulnerabilities_schema.json", "vulndata/golang-vulndb/LICENSE",
                "vulndata/moby-profiles/LICENSE", "vulndata/moby-profiles/seccomp/default.json",
                "vulndata/moby-profiles/seccomp/fixtures/conditional_include.json",
                "vulndata/moby-profiles/seccomp/fixtures/default-old-format.json",
                "vulndata/moby-profiles/seccomp/fixtures/example.json", "vulndata/nodejs-security-wg/LICENSE.md",
                "vulndata/nodejs-security-wg/vuln/README.md", "vulndata/nodejs-security-wg/vuln/index.js",
                "vulndata/pypa-advisory-database/LICENSE",
                "vulndata/rustsec-advisory-db/LICENSE.txt");
    }

    @Test
    void formatsAreRecognisedByNameAndContent() {
        assertThat(detect("data/osv/GO-2021-0113.json", "{\n  \"schema_version\": \"1.3.1\",")).contains(FeedFormat.OSV_JSON);
        assertThat(detect("vulns/x/PYSEC-1.yaml", "id: PYSEC-1\nmodified: 2023-01-01T00:00:00Z\n")).contains(FeedFormat.OSV_YAML);
        assertThat(detect("vuln/npm/1.json", "{\"id\": 1}")).contains(FeedFormat.NODEJS_SECURITY_WG);
        assertThat(detect("17.json", "{\"module_name\": \"x\"}")).contains(FeedFormat.NODEJS_SECURITY_WG);
        assertThat(detect("crates/x/RUSTSEC-1.md", "```toml\n[advisory]")).contains(FeedFormat.RUSTSEC);
        assertThat(detect("README.md", "# Read me")).isEmpty();
        assertThat(detect("v3.11/main.yaml", "---\ndistroversion: v3.11\n")).contains(FeedFormat.ALPINE_SECDB_YAML);
        assertThat(detect("v3.20/main.json", "{\"apkurl\": \"x\", \"distroversion\": \"v3.20\"")).contains(FeedFormat.ALPINE_SECDB_JSON);
        assertThat(detect("json", "")).isEmpty();
        assertThat(detect("tracker.json", "{\"389-ds-base\":{\"CVE-2012-0833\":{\"description\":")).contains(FeedFormat.DEBIAN_TRACKER);
        assertThat(detect("page-0.json", "{\"resultsPerPage\":2000,\"format\":\"NVD_CVE\"")).contains(FeedFormat.NVD_CVE_API);
        assertThat(detect("kev.json", "{\"title\": \"CISA Catalog\", \"vulnerabilities\": [{\"cveID\": ")).contains(FeedFormat.CISA_KEV);
        assertThat(detect("kev_schema.json", "{\"$schema\": \"x\", \"properties\": {\"cveID\": {}}}")).isEmpty();
        assertThat(detect("epss.csv", "#model_version:v2023.03.01,score_date:x\ncve,epss,percentile")).contains(FeedFormat.EPSS_CSV);
        assertThat(detect("other.csv", "a,b,c")).isEmpty();
        assertThat(detect("seccomp.json", "{\"defaultAction\": \"SCMP_ACT_ERRNO\"}")).isEmpty();
    }

    @Test
    void aZipOfARealFeedReadsLikeItsDirectory(@TempDir Path tmp) throws Exception {
        Path dir = VulnData.of("golang-vulndb");
        Path zip = tmp.resolve("osv-go.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip)); Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(dir.relativize(f).toString()));
                Files.copy(f, out);
            }
        }
        ParseResult fromZip = Feeds.parse(zip);
        assertThat(fromZip.problems()).isEmpty();
        assertThat(fromZip.stats()).containsEntry(FeedFormat.OSV_JSON, new FormatStats(4291, 4291, 0));
        assertThat(fromZip.advisories()).isEqualTo(Feeds.parseTree(dir).advisories());
        assertThat(fromZip.unrecognised()).containsExactly("osv-go.zip!/LICENSE");
    }

    @Test
    void aTarGzOfARealFeedReadsLikeItsDirectory(@TempDir Path tmp) throws Exception {
        Path dir = VulnData.of("rustsec-advisory-db");
        Path tgz = tmp.resolve("advisory-db.tar.gz");
        try (OutputStream file = Files.newOutputStream(tgz); GZIPOutputStream gz = new GZIPOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz); Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                tar.putArchiveEntry(tar.createArchiveEntry(f, "advisory-db-main/" + dir.relativize(f)));
                Files.copy(f, tar);
                tar.closeArchiveEntry();
            }
            TarArchiveEntry link = new TarArchiveEntry("advisory-db-main/link.md", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("../../etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        ParseResult fromTar = Feeds.parse(tgz);
        assertThat(fromTar.problems()).isEmpty();
        // the toolchain advisories are still told apart by their rust/ directory inside the archive
        assertThat(fromTar.advisories()).isEqualTo(Feeds.parseTree(dir).advisories());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../evil.json", "feeds/../../evil.json", "/etc/evil.json", "C:\\evil.json",
            "feeds\\..\\..\\evil.json"})
    void zipSlipNamesRefuseTheArchive(String hostile, @TempDir Path tmp) throws Exception {
        Path zip = tmp.resolve("slip.zip");
        writeZip(zip, Map.of("a/GO-0000-0001.json", GO_RECORD), List.of("a/GO-0000-0001.json"), hostile,
                "z/GO-0000-0002.json");
        ParseResult r = Feeds.parse(zip);
        assertThat(r.problems()).singleElement().asString()
                .startsWith("slip.zip: archive refused from here on: entry '" + hostile.replace('\\', '/') + "'")
                .contains("path traversal");
        // what came before the hostile entry was read; nothing after it
        assertThat(r.advisories()).extracting(Advisory::id).containsExactly("GO-0000-0001");
    }

    @Test
    void aZipBombIsRefusedWhileItInflates(@TempDir Path tmp) throws Exception {
        // 256 MiB of spaces (valid JSON whitespace) deflate to about 250 KB: a ratio near 1000:1
        Path zip = tmp.resolve("bomb.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("GO-0000-0001.json"));
            out.write(GO_RECORD.getBytes(UTF_8));
            out.putNextEntry(new ZipEntry("bomb.json"));
            out.write("{\"schema_version\": \"1.3.1\", \"id\": \"GO-0000-0009\", \"details\": \"".getBytes(UTF_8));
            writeSpaces(out, 256L << 20);
            out.putNextEntry(new ZipEntry("GO-0000-0002.json"));
            out.write(GO_RECORD.replace("0001", "0002").getBytes(UTF_8));
        }
        assertThat(Files.size(zip)).isLessThan(1L << 20);
        long start = System.nanoTime();
        ParseResult r = Feeds.parse(zip);
        assertThat((System.nanoTime() - start) / 1_000_000).as("stopped early, not after inflating it all")
                .isLessThan(5_000);
        assertThat(r.problems()).anySatisfy(p -> assertThat(p)
                .startsWith("bomb.zip: archive refused from here on: compression ratio above 100:1"));
        // the OSV parser stopped at its record limit first; the walker then refused the rest while skipping it
        assertThat(r.problems()).contains("bomb.zip!/bomb.json: record larger than 4194304 bytes; refused");
        assertThat(r.advisories()).extracting(Advisory::id).containsExactly("GO-0000-0001");
    }

    @Test
    void aBombInAnEntryNobodyReadsIsStillRefused(@TempDir Path tmp) throws Exception {
        // skipping an entry inflates it too: it must be counted like reading it
        Path tgz = tmp.resolve("bomb.tar.gz");
        try (OutputStream file = Files.newOutputStream(tgz); GZIPOutputStream gz = new GZIPOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry e = new TarArchiveEntry("zeros.bin");
            e.setSize(256L << 20);
            tar.putArchiveEntry(e);
            writeSpaces(tar, 256L << 20);
            tar.closeArchiveEntry();
        }
        ParseResult r = Feeds.parse(tgz);
        assertThat(r.problems()).singleElement().asString()
                .startsWith("bomb.tar.gz: archive refused from here on: compression ratio above 100:1");

        // a streamed feed reads as far as the data goes: a gzipped tracker dump that opens and then never ends
        Path gz = tmp.resolve("tracker.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("{\"zlib\":{\"CVE-2023-45853\":".getBytes(UTF_8));
            writeSpaces(out, 64L << 20);
        }
        assertThat(Feeds.parse(gz).problems()).anySatisfy(p -> assertThat(p)
                .startsWith("tracker.json.gz: archive refused from here on: compression ratio above 100:1"));
    }

    @Test
    void entryCountAndSizeLimitsHold(@TempDir Path tmp) throws Exception {
        Path zip = tmp.resolve("many.zip");
        writeZip(zip, Map.of(), List.of(), "1.txt", "2.txt", "3.txt", "4.txt", "5.txt");
        Limits three = new Limits(1 << 20, 1 << 20, 1 << 30, 100, 3);
        assertThat(Feeds.parseTree(zip, three).problems())
                .containsExactly("many.zip: archive refused from here on: more than 3 entries");

        Path big = tmp.resolve("big.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(big))) {
            out.setLevel(0);
            out.putNextEntry(new ZipEntry("big.txt"));
            out.write(new byte[3000]);
        }
        Limits small = new Limits(1024, 2048, 1 << 30, 100, 10);
        assertThat(Feeds.parseTree(big, small).problems())
                .containsExactly("big.zip: archive refused from here on: 'big.zip!/big.txt' inflates past 2048 bytes");
    }

    @Test
    void archivesNestOneLevelDeep(@TempDir Path tmp) throws Exception {
        byte[] inner = zipBytes("GO-0000-0001.json", GO_RECORD.getBytes(UTF_8));
        byte[] middle = zipBytes("inner.zip", inner);
        Files.write(tmp.resolve("once.zip"), middle);
        ParseResult once = Feeds.parse(tmp.resolve("once.zip"));
        assertThat(once.advisories()).extracting(Advisory::id).containsExactly("GO-0000-0001");

        Files.write(tmp.resolve("twice.zip"), zipBytes("middle.zip", middle));
        assertThat(Feeds.parse(tmp.resolve("twice.zip")).problems())
                .containsExactly("twice.zip!/middle.zip!/inner.zip: archive nested more than 2 deep; refused");
    }

    @Test
    void corruptArchivesAndMissingRootsAreReported(@TempDir Path tmp) throws Exception {
        Files.write(tmp.resolve("junk.zip"), "this is not a zip".getBytes(UTF_8));
        Files.write(tmp.resolve("junk.tar.gz"), "nor a gzip".getBytes(UTF_8));
        ParseResult r = Feeds.parseTree(tmp);
        assertThat(r.problems()).hasSize(2).anySatisfy(p -> assertThat(p).startsWith(tmp.getFileName() + "/junk.zip: "))
                .anySatisfy(p -> assertThat(p).startsWith(tmp.getFileName() + "/junk.tar.gz: corrupt archive"));
        assertThatThrownBy(() -> Feeds.parseTree(tmp.resolve("absent"))).isInstanceOf(VulnDbException.class)
                .hasMessageContaining("no such file or directory");
    }

    @Test
    void streamingHandsOverRecordsUnmerged(@TempDir Path tmp) throws Exception {
        Path alpine = VulnData.of("alpine-secdb").resolve("v3.11");
        ParseResult.Collector sink = ParseResult.collector();
        Map<FeedFormat, FormatStats> stats = Feeds.parseTree(alpine, Limits.DEFAULT, sink);
        assertThat(stats.get(FeedFormat.ALPINE_SECDB_YAML).records()).isEqualTo(sink.result().advisories().size());
        assertThat(Feeds.parseTree(alpine).advisories().size()).isLessThan(sink.result().advisories().size());
    }

    private static Optional<FeedFormat> detect(String name, String head) {
        return Feeds.detect(name, head.getBytes(UTF_8));
    }

    /** Writes the named entries in order; entries without content in {@code contents} get a short text. */
    private static void writeZip(Path zip, Map<String, String> contents, List<String> first, String... rest)
            throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String name : Stream.concat(first.stream(), Stream.of(rest)).toList()) {
                out.putNextEntry(new ZipEntry(name));
                out.write(contents.getOrDefault(name, GO_RECORD.replace("0001", "9999")).getBytes(UTF_8));
            }
        }
    }

    private static byte[] zipBytes(String name, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.putNextEntry(new ZipEntry(name));
            out.write(content);
        }
        return bytes.toByteArray();
    }

    private static void writeSpaces(OutputStream out, long count) throws IOException {
        byte[] spaces = new byte[1 << 20];
        java.util.Arrays.fill(spaces, (byte) ' ');
        for (long done = 0; done < count; done += spaces.length) out.write(spaces);
    }
}
