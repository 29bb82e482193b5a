package dev.bulwark.vulndb.fetch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.vulndb.VulnDbException;
import dev.bulwark.vulndb.feed.FeedFormat;
import dev.bulwark.vulndb.feed.Feeds;
import dev.bulwark.vulndb.feed.FormatStats;
import dev.bulwark.vulndb.feed.ParseResult;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fetcher against a real HTTP server on 127.0.0.1 serving real feeds from shared/vulndata, with faults injected.
 * Every failure case checks that the previous file survives byte for byte and that no temporary file is left.
 */
class FeedFetcherTest {
    private static final Path KEV = SharedData.file("cisa-kev/known_exploited_vulnerabilities.json");
    private static final Path ALPINE_MAIN = SharedData.file("alpine-secdb/v3.11/main.yaml");
    private static final FetchOptions FAST = FetchOptions.DEFAULT.withTimeouts(Duration.ofSeconds(5),
            Duration.ofSeconds(20)).withRetries(3, Duration.ofMillis(1), Duration.ofMillis(5));

    @TempDir
    static Path shared;
    static Path goZip;

    @TempDir
    Path root;
    Path feeds;
    TestFeedServer server;

    @BeforeAll
    static void zipTheGoVulnDb() throws IOException {
        // the shape of OSV's all.zip: one JSON record per entry (plus, here, the licence)
        Path dir = SharedData.vulndata().resolve("golang-vulndb");
        goZip = shared.resolve("all.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(goZip));
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(f.getFileName().toString()));
                Files.copy(f, out);
            }
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = new TestFeedServer();
        feeds = root.resolve("feeds");
    }

    @AfterEach
    void stopAndCheckNothingLeaked() throws IOException {
        server.close();
        // nothing outside the feed directory; no temporary file inside it
        try (Stream<Path> s = Files.list(root)) {
            assertThat(s.map(p -> p.getFileName().toString())).isSubsetOf("feeds");
        }
        if (Files.isDirectory(feeds)) {
            try (Stream<Path> s = Files.walk(feeds)) {
                assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
            }
        }
    }

    // ---- success paths ----

    @Test
    void downloadsRealFeedsThatImportIntoTheExpectedRecords() throws Exception {
        server.serve("/Go/all.zip", goZip);
        server.serve("/kev.json", KEV);
        server.serve("/v3.11/main.yaml", ALPINE_MAIN);
        List<FeedSource> sources = List.of(source("osv-go", "/Go/all.zip", "osv-go.zip"),
                source("kev", "/kev.json", "kev.json"),
                source("alpine-secdb-v3.11-main", "/v3.11/main.yaml", "alpine-secdb-v3.11-main.yaml"));
        Recorder rec = new Recorder();

        FetchResult r = new FeedFetcher(FAST).fetch(sources, feeds, rec);

        assertThat(r.ok()).isTrue();
        assertThat(r.updated()).hasSize(3);
        for (FetchOutcome o : r.outcomes()) {
            Path origin = switch (o.source().name()) {
                case "osv-go" -> goZip;
                case "kev" -> KEV;
                default -> ALPINE_MAIN;
            };
            assertThat(o.file()).isEqualTo(feeds.resolve(o.source().fileName()));
            assertThat(Files.mismatch(o.file(), origin)).isEqualTo(-1L);
            assertThat(o.bytes()).isEqualTo(Files.size(origin));
            assertThat(o.sha256()).isEqualTo(TestFeedServer.sha256(origin));
            assertThat(o.tries()).isEqualTo(1);
            // progress ends at the full size, announced up front by Content-Length
            assertThat(rec.started.get(o.source().name())).isEqualTo(Files.size(origin));
            assertThat(rec.lastProgress.get(o.source().name())).isEqualTo(Files.size(origin));
        }
        assertThat(rec.finished).hasSize(3);

        ParseResult parsed = Feeds.parseTree(feeds);
        ParseResult alpine = Feeds.parse(ALPINE_MAIN);
        assertThat(parsed.stats()).containsEntry(FeedFormat.OSV_JSON, new FormatStats(4291, 4291, 0))
                .containsEntry(FeedFormat.CISA_KEV, new FormatStats(1, 1404, 0))
                .containsEntry(FeedFormat.ALPINE_SECDB_YAML, alpine.stats().get(FeedFormat.ALPINE_SECDB_YAML));
        assertThat(parsed.kev()).hasSize(1404);
        assertThat(parsed.advisories()).hasSize(4291 + alpine.advisories().size());
        // besides the licence inside the zip, only the fetcher's hidden bookkeeping is left unrecognised
        assertThat(parsed.unrecognised()).contains("feeds/osv-go.zip!/LICENSE")
                .allMatch(n -> n.equals("feeds/osv-go.zip!/LICENSE") || n.startsWith("feeds/."));
    }

    @Test
    void aSecondRunIsConditionalAndRewritesNothing() throws Exception {
        TestFeedServer.Route route = server.serve("/Go/all.zip", goZip);
        FeedSource go = source("osv-go", "/Go/all.zip", "osv-go.zip");
        fetch(go);
        Path file = feeds.resolve("osv-go.zip");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
        Object key = fileKey(file);

        FetchOutcome second = fetch(go);

        assertThat(second.status()).isEqualTo(FetchOutcome.Status.UNCHANGED);
        assertThat(second.message()).contains("304");
        assertThat(second.sha256()).isEqualTo(TestFeedServer.sha256(goZip));
        assertThat(fileKey(file)).isEqualTo(key);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
        List<TestFeedServer.Seen> seen = server.seen("/Go/all.zip");
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).ifNoneMatch()).isNull();
        assertThat(seen.get(1).ifNoneMatch()).isEqualTo("\"" + TestFeedServer.sha256(goZip).substring(0, 32) + "\"");
        assertThat(seen.get(1).ifModifiedSince()).isEqualTo("Sun, 1 Nov 2026 10:00:00 GMT");
        assertThat(seen.get(1).userAgent()).isEqualTo("bulwark");
        assertThat(route.hits).hasValue(2);
    }

    @Test
    void lastModifiedAloneMakesTheRequestConditional() throws Exception {
        TestFeedServer.Route route = server.serve("/kev.json", KEV);
        route.etag = false;
        FeedSource kev = source("kev", "/kev.json", "kev.json");
        fetch(kev);
        Object key = fileKey(feeds.resolve("kev.json"));

        FetchOutcome second = fetch(kev);

        assertThat(second.status()).isEqualTo(FetchOutcome.Status.UNCHANGED);
        assertThat(server.seen("/kev.json").get(1).ifNoneMatch()).isNull();
        assertThat(server.seen("/kev.json").get(1).ifModifiedSince()).isNotNull();
        assertThat(fileKey(feeds.resolve("kev.json"))).isEqualTo(key);
    }

    @Test
    void aChangedFeedReplacesTheFile() throws Exception {
        TestFeedServer.Route route = server.serve("/kev.json", KEV);
        FeedSource kev = source("kev", "/kev.json", "kev.json");
        fetch(kev);
        byte[] newer = kevWith("CVE-2026-0001");
        route.change(newer);

        FetchOutcome second = fetch(kev);

        assertThat(second.status()).isEqualTo(FetchOutcome.Status.UPDATED);
        assertThat(Files.readAllBytes(feeds.resolve("kev.json"))).isEqualTo(newer);
        assertThat(second.sha256()).isEqualTo(TestFeedServer.sha256(newer));
        // the stale validators were sent, and the server found them stale
        assertThat(server.seen("/kev.json").get(1).ifNoneMatch()).isEqualTo("\"" + TestFeedServer.sha256(KEV).substring(0, 32) + "\"");
    }

    @Test
    void theSameBytesFromAServerWithoutValidatorsRewriteNothing() throws Exception {
        TestFeedServer.Route route = server.serve("/kev.json", KEV);
        route.etag = false;
        route.lastModified = false;
        FeedSource kev = source("kev", "/kev.json", "kev.json");
        fetch(kev);
        Path file = feeds.resolve("kev.json");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
        Object key = fileKey(file);

        FetchOutcome second = fetch(kev);

        assertThat(second.status()).isEqualTo(FetchOutcome.Status.UNCHANGED);
        assertThat(second.message()).contains("same content");
        assertThat(route.hits).hasValue(2);
        assertThat(fileKey(file)).isEqualTo(key);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 408, 429})
    void aPassingServerErrorIsRetriedAndThenSucceeds(int status) throws Exception {
        TestFeedServer.Route route = server.serve("/kev.json", KEV);
        route.failFirst = 1;
        route.failStatus = status;
        Recorder rec = new Recorder();

        FetchOutcome o = fetch(source("kev", "/kev.json", "kev.json"), FAST, rec);

        assertThat(o.status()).isEqualTo(FetchOutcome.Status.UPDATED);
        assertThat(o.tries()).isEqualTo(2);
        assertThat(route.hits).hasValue(2);
        assertThat(rec.retries).containsExactly("kev 2 HTTP " + status);
        assertThat(Files.mismatch(feeds.resolve("kev.json"), KEV)).isEqualTo(-1L);
    }

    @Test
    void aBodyOfUnknownLengthIsCountedAsItComes() throws Exception {
        server.serve("/kev.json", KEV).chunked = true;
        Recorder rec = new Recorder();

        FetchOutcome o = fetch(source("kev", "/kev.json", "kev.json"), FAST, rec);

        assertThat(o.status()).isEqualTo(FetchOutcome.Status.UPDATED);
        assertThat(rec.started).containsEntry("kev", -1L);
        assertThat(rec.lastProgress).containsEntry("kev", Files.size(KEV));
        assertThat(Files.mismatch(feeds.resolve("kev.json"), KEV)).isEqualTo(-1L);
    }

    @Test
    void redirectsWithinHttpAreFollowed() throws Exception {
        server.serve("/moved/kev.json", KEV);
        server.serve("/kev.json", new byte[0]).redirect = "/moved/kev.json";

        FetchOutcome o = fetch(source("kev", "/kev.json", "kev.json"));

        assertThat(o.status()).isEqualTo(FetchOutcome.Status.UPDATED);
        assertThat(Files.mismatch(feeds.resolve("kev.json"), KEV)).isEqualTo(-1L);
    }

    @Test
    void aPublishedChecksumIsVerifiedAndSkipsTheDownloadWhenUnchanged() throws Exception {
        TestFeedServer.Route data = server.serve("/Go/all.zip", goZip);
        String sums = "0".repeat(64) + "  other.zip\n" + TestFeedServer.sha256(goZip) + " *all.zip\n";
        server.serve("/Go/all.zip.sha256", sums.getBytes(UTF_8));
        FeedSource go = source("osv-go", "/Go/all.zip", "osv-go.zip").withChecksumUrl(server.url("/Go/all.zip.sha256"));

        FetchOutcome first = fetch(go);
        FetchOutcome second = fetch(go);

        assertThat(first.status()).isEqualTo(FetchOutcome.Status.UPDATED);
        assertThat(second.status()).isEqualTo(FetchOutcome.Status.UNCHANGED);
        assertThat(second.message()).contains("checksum");
        assertThat(second.tries()).isZero();
        assertThat(data.hits).hasValue(1);
    }

    @Test
    void aMirrorServesTheDefaultSourcesUnderHostAndPath() throws Exception {
        server.serve("/mirror/osv-vulnerabilities.storage.googleapis.com/Go/all.zip", goZip);
        server.serve("/mirror/www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json", KEV);
        List<FeedSource> all = FeedSources.resolve(null, server.url("/mirror/").toString());
        List<FeedSource> two = FeedSources.select(all, List.of("osv-go", "kev"));

        FetchResult r = new FeedFetcher(FAST).fetch(two, feeds, ProgressListener.NONE);

        assertThat(r.updated()).extracting(o -> o.source().name()).containsExactly("osv-go", "kev");
        assertThat(server.seen()).extracting(TestFeedServer.Seen::path).containsExactlyInAnyOrder(
                "/mirror/osv-vulnerabilities.storage.googleapis.com/Go/all.zip",
                "/mirror/www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json");
        assertThat(Files.mismatch(feeds.resolve("osv-go.zip"), goZip)).isEqualTo(-1L);
    }

    @Test
    void severalSourcesDownloadInParallelAndOneFailureStopsNoOther() throws Exception {
        List<FeedSource> sources = new ArrayList<>();
        Map<String, Path> origins = new java.util.HashMap<>();
        try (Stream<Path> s = Files.walk(SharedData.vulndata().resolve("alpine-secdb"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                String release = f.getParent().getFileName().toString();
                String repo = f.getFileName().toString().replace(".yaml", "");
                String name = "alpine-secdb-" + release + "-" + repo;
                server.serve("/" + release + "/" + repo + ".yaml", f);
                sources.add(source(name, "/" + release + "/" + repo + ".yaml", name + ".yaml"));
                origins.put(name, f);
            }
        }
        sources.add(3, source("missing", "/nowhere.json", "missing.json"));

        FetchResult r = new FeedFetcher(FAST.withParallelism(4)).fetch(sources, feeds, ProgressListener.NONE);

        assertThat(r.outcomes()).extracting(o -> o.source().name())
                .containsExactlyElementsOf(sources.stream().map(FeedSource::name).toList());
        assertThat(r.failed()).singleElement().satisfies(o -> assertThat(o.line()).endsWith(": HTTP 404"));
        assertThat(r.updated()).hasSize(18);
        for (FetchOutcome o : r.updated()) {
            assertThat(Files.mismatch(o.file(), origins.get(o.source().name()))).isEqualTo(-1L);
        }
    }

    // ---- failures: each keeps the previous file ----

    @Test
    void aTruncatedBodyIsRetriedAndThenReportedKeepingTheOldFile() throws Exception {
        TestFeedServer.Route route = server.serve("/kev.json", KEV);
        FeedSource kev = source("kev", "/kev.json", "kev.json");
        fetch(kev);
        route.change(kevWith("CVE-2026-0002"));
        route.truncate = true;

        FetchOutcome o = fetch(kev);

        assertThat(o.status()).isEqualTo(FetchOutcome.Status.FAILED);
        assertThat(o.line()).matches("kev: http://127\\.0\\.0\\.1:\\d+/kev\\.json: .* after 3 tries")
                .containsPattern("\\d+ of \\d+ bytes|connection");
        assertThat(o.tries()).isEqualTo(3);
        assertThat(route.hits).hasValue(4);
        assertKept(o, KEV);
    }

    @Test
    void aPersistentServerErrorFailsWithOneLine() throws Exception {
        server.serve("/Go/all.zip", goZip).status = 503;

        FetchOutcome o = fetch(source("osv-go", "/Go/all.zip", "osv-go.zip"));

        assertThat(o.line()).isEqualTo("osv-go: " + server.url("/Go/all.zip") + ": HTTP 503 after 3 tries");
        assertThat(o.file()).isNull();
        assertThat(Files.exists(feeds.resolve("osv-go.zip"))).isFalse();
    }

    @Test
    void notFoundIsNotRetried() throws Exception {
        TestFeedServer.Route route = server.serve("/kev.json", KEV);
        FeedSource kev = source("kev", "/kev.json", "kev.json");
        fetch(kev);
        route.status = 404;

        FetchOutcome o = fetch(kev);

        assertThat(o.line()).isEqualTo("kev: " + server.url("/kev.json") + ": HTTP 404");
        assertThat(o.tries()).isEqualTo(1);
        assertThat(route.hits).hasValue(2);
        assertKept(o, KEV);
    }

    @Test
    void aWrongChecksumIsReportedAndReplacesNothing() throws Exception {
        TestFeedServer.Route route = server.serve("/kev.json", KEV);
        FeedSource kev = source("kev", "/kev.json", "kev.json");
        fetch(kev);
        byte[] tampered = kevWith("CVE-2026-0003");
        route.change(tampered);
        // the checksum published for some other file: neither the old one nor what is served now
        String published = TestFeedServer.sha256(kevWith("CVE-2026-9999"));

        FetchOutcome o = fetch(kev.withSha256(published.toUpperCase()));

        assertThat(o.status()).isEqualTo(FetchOutcome.Status.FAILED);
        assertThat(o.message()).endsWith(": SHA-256 mismatch: expected " + published + ", got "
                + TestFeedServer.sha256(tampered));
        assertThat(o.tries()).isEqualTo(1);
        assertKept(o, KEV);
    }

    @Test
    void aChecksumFileWithoutOurFileFailsTheSource() throws Exception {
        server.serve("/kev.json", KEV);
        server.serve("/SHA256SUMS", (TestFeedServer.sha256(KEV) + "  something-else.json\n").getBytes(UTF_8));

        FetchOutcome o = fetch(source("kev", "/kev.json", "kev.json").withChecksumUrl(server.url("/SHA256SUMS")));

        assertThat(o.line()).isEqualTo("kev: " + server.url("/SHA256SUMS")
                + ": the checksum file has no SHA-256 for kev.json");
        assertThat(server.seen("/kev.json")).isEmpty();
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIsRefusedUnread() throws Exception {
        TestFeedServer.Route route = server.serve("/kev.json", KEV);
        FeedSource kev = source("kev", "/kev.json", "kev.json");
        fetch(kev);
        route.change(kevWith("CVE-2026-0004"));

        FetchOutcome o = fetch(kev, FAST.withMaxBytes(100), ProgressListener.NONE);

        assertThat(o.message()).endsWith(": the body is " + route.bytes.length + " bytes, more than the limit of 100");
        assertThat(o.tries()).isEqualTo(1);
        assertKept(o, KEV);
    }

    @Test
    void anUndeclaredOversizedBodyIsStoppedWhileStreaming() throws Exception {
        TestFeedServer.Route route = server.serve("/Go/all.zip", goZip);
        FeedSource go = source("osv-go", "/Go/all.zip", "osv-go.zip");
        fetch(go);
        byte[] big = new byte[3 << 20];
        System.arraycopy(new byte[]{'P', 'K', 3, 4}, 0, big, 0, 4);
        route.change(big);
        route.chunked = true;

        FetchOutcome o = fetch(go, FAST.withMaxBytes(1 << 20), ProgressListener.NONE);

        assertThat(o.message()).endsWith(": the body is more than the limit of " + (1 << 20) + " bytes");
        assertKept(o, goZip);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSilentServerTimesOutKeepingTheOldFile(boolean beforeHeaders) throws Exception {
        TestFeedServer.Route route = server.serve("/kev.json", KEV);
        FeedSource kev = source("kev", "/kev.json", "kev.json");
        fetch(kev);
        route.change(kevWith("CVE-2026-0005"));
        if (beforeHeaders) route.stallBeforeHeaders = true;
        else route.stallMidBody = true;
        FetchOptions impatient = FAST.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1))
                .withRetries(2, Duration.ofMillis(1), Duration.ofMillis(1));

        FetchOutcome o = fetch(kev, impatient, ProgressListener.NONE);

        assertThat(o.status()).isEqualTo(FetchOutcome.Status.FAILED);
        assertThat(o.message()).endsWith(beforeHeaders ? ": no response within 2 s after 2 tries"
                : ": no data for 1 s after " + route.bytes.length / 2 + " bytes after 2 tries");
        assertKept(o, KEV);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1/kev.json", "file:///etc/passwd", "jar:file:/tmp/x.jar!/kev.json",
            "gopher://127.0.0.1:70/"})
    void redirectsLeavingHttpAreRefused(String location) throws Exception {
        TestFeedServer.Route route = server.serve("/kev.json", KEV);
        FeedSource kev = source("kev", "/kev.json", "kev.json");
        fetch(kev);
        route.redirect = location;

        FetchOutcome o = fetch(kev);

        assertThat(o.message()).endsWith(": redirect to " + location
                + " refused: only http and https URLs are followed");
        assertThat(o.tries()).isEqualTo(1);
        assertKept(o, KEV);
    }

    @Test
    void aRedirectLoopEnds() throws Exception {
        server.serve("/a.json", new byte[0]).redirect = "/b.json";
        server.serve("/b.json", new byte[0]).redirect = "/a.json";

        FetchOutcome o = fetch(source("kev", "/a.json", "kev.json"));

        assertThat(o.message()).endsWith(": more than 5 redirects");
    }

    @Test
    void anHtmlPageIsNotTakenForAZip() throws Exception {
        TestFeedServer.Route route = server.serve("/Go/all.zip", goZip);
        FeedSource go = source("osv-go", "/Go/all.zip", "osv-go.zip");
        fetch(go);
        route.change("<!DOCTYPE html><html><body>Please log in</body></html>".getBytes(UTF_8));

        FetchOutcome o = fetch(go);

        assertThat(o.message()).endsWith(": the body is an HTML page, not a feed (an error or login page?)");
        assertKept(o, goZip);
    }

    @Test
    void anUnreachableServerIsReportedAfterRetries() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        FeedSource gone = FeedSource.of("kev", "http://127.0.0.1:" + port + "/kev.json", "kev.json");

        FetchOutcome o = fetch(gone);

        assertThat(o.line()).startsWith("kev: http://127.0.0.1:" + port + "/kev.json: cannot connect")
                .endsWith(" after 3 tries");
    }

    // ---- bookkeeping ----

    @Test
    void anotherUrlForTheSameSourceIsFetchedUnconditionally() throws Exception {
        server.serve("/kev.json", KEV);
        server.serve("/v2/kev.json", KEV);
        fetch(source("kev", "/kev.json", "kev.json"));

        FetchOutcome o = fetch(source("kev", "/v2/kev.json", "kev.json"));

        assertThat(server.seen("/v2/kev.json")).singleElement()
                .satisfies(s -> assertThat(s.ifNoneMatch()).isNull());
        // the bytes are those of the file in place: kept, and now known to come from the new URL
        assertThat(o.status()).isEqualTo(FetchOutcome.Status.UNCHANGED);
        assertThat(o.message()).contains("same content");
        assertThat(Files.readString(feeds.resolve(".kev.json.fetch"))).contains("v2/kev.json");
    }

    @Test
    void aCorruptSidecarMeansAnUnconditionalFetch() throws Exception {
        server.serve("/kev.json", KEV);
        FeedSource kev = source("kev", "/kev.json", "kev.json");
        fetch(kev);
        Files.writeString(feeds.resolve(".kev.json.fetch"), "sha256=not-hex\nurl=::\n");

        FetchOutcome o = fetch(kev);

        assertThat(o.status()).isEqualTo(FetchOutcome.Status.UPDATED);
        assertThat(server.seen("/kev.json").get(1).ifNoneMatch()).isNull();
        assertThat(Files.readString(feeds.resolve(".kev.json.fetch"))).contains("sha256=" + TestFeedServer.sha256(KEV));
    }

    @Test
    void aLeftoverPartFileIsRemoved() throws Exception {
        server.serve("/kev.json", KEV);
        Files.createDirectories(feeds);
        Files.writeString(feeds.resolve(".kev.json.123456.part"), "half a download");
        // a temporary file of another source, whose file name starts with this one's
        Files.writeString(feeds.resolve(".kev.json.old.json.123456.part"), "not ours");

        fetch(source("kev", "/kev.json", "kev.json"));

        try (Stream<Path> s = Files.list(feeds)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("kev.json",
                    ".kev.json.fetch", ".fetch.lock", ".kev.json.old.json.123456.part");
        }
        Files.delete(feeds.resolve(".kev.json.old.json.123456.part"));
    }

    @Test
    void aDirectoryInUseByAnotherUpdateIsRefused() throws Exception {
        Files.createDirectories(feeds);
        try (FileChannel ch = FileChannel.open(feeds.resolve(".fetch.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            assertThat(held.isValid()).isTrue();
            assertThatThrownBy(() -> new FeedFetcher(FAST).fetch(List.of(source("kev", "/kev.json", "kev.json")),
                    feeds, ProgressListener.NONE))
                    .isInstanceOf(VulnDbException.class)
                    .extracting(e -> ((VulnDbException) e).oneLine())
                    .isEqualTo(feeds + ": another feed update is using this directory");
        }
        assertThat(server.seen()).isEmpty();
    }

    @Test
    void aSecondUpdateOfTheSameDirectoryInThisProcessIsRefused() throws Exception {
        TestFeedServer.Route route = server.serve("/kev.json", KEV);
        route.stallBeforeHeaders = true;
        FeedSource kev = source("kev", "/kev.json", "kev.json");
        java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<FetchResult> first = background.submit(
                    () -> new FeedFetcher(FAST).fetch(List.of(kev), feeds, ProgressListener.NONE));
            while (route.hits.get() == 0 && !first.isDone()) Thread.sleep(10);

            assertThatThrownBy(() -> new FeedFetcher(FAST).fetch(List.of(kev), root.resolve("feeds/../feeds"),
                    ProgressListener.NONE)).isInstanceOf(VulnDbException.class)
                    .hasMessage("another feed update is using this directory");

            server.close(); // the stalled request fails, and so do its retries
            assertThat(first.get().outcomes()).singleElement()
                    .satisfies(o -> assertThat(o.status()).isEqualTo(FetchOutcome.Status.FAILED));
        } finally {
            background.shutdownNow();
        }
        assertThat(route.hits).hasValue(1);
    }

    @Test
    void twoSourcesMayNotShareANameOrAFile() {
        FeedSource a = source("kev", "/kev.json", "kev.json");
        assertThatThrownBy(() -> new FeedFetcher(FAST).fetch(List.of(a, a), feeds, null))
                .isInstanceOf(VulnDbException.class).hasMessage("listed twice");
        FeedSource b = source("kev2", "/kev2.json", "KEV.json");
        assertThatThrownBy(() -> new FeedFetcher(FAST).fetch(List.of(a, b), feeds, null))
                .isInstanceOf(VulnDbException.class).hasMessage("another source is stored as KEV.json");
        assertThat(server.seen()).isEmpty();
    }

    @Test
    void aFeedDirectoryThatIsAFileIsReported() throws Exception {
        Files.writeString(feeds, "not a directory");
        try {
            assertThatThrownBy(() -> new FeedFetcher(FAST).fetch(List.of(source("kev", "/kev.json", "kev.json")),
                    feeds, null)).isInstanceOf(VulnDbException.class)
                    .satisfies(e -> assertThat(((VulnDbException) e).oneLine()).startsWith(feeds + ": "));
        } finally {
            Files.delete(feeds);
            Files.createDirectories(feeds);
        }
    }

    // ---- helpers ----

    private FeedSource source(String name, String path, String fileName) {
        return new FeedSource(name, server.url(path), null, null, fileName);
    }

    private FetchOutcome fetch(FeedSource s) throws VulnDbException {
        return fetch(s, FAST, ProgressListener.NONE);
    }

    private FetchOutcome fetch(FeedSource s, FetchOptions options, ProgressListener listener) throws VulnDbException {
        FetchResult r = new FeedFetcher(options).fetch(List.of(s), feeds, listener);
        assertThat(r.outcomes()).hasSize(1);
        return r.outcomes().getFirst();
    }

    /** The failure left the previous download in place, byte for byte, and says so. */
    private void assertKept(FetchOutcome o, Path previous) throws IOException {
        assertThat(o.status()).isEqualTo(FetchOutcome.Status.FAILED);
        assertThat(o.file()).isEqualTo(feeds.resolve(o.source().fileName()));
        assertThat(Files.mismatch(o.file(), previous)).isEqualTo(-1L);
        assertThat(o.sha256()).isEqualTo(TestFeedServer.sha256(previous));
        assertThat(o.bytes()).isEqualTo(Files.size(previous));
    }

    private static Object fileKey(Path p) throws IOException {
        Object key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        assertThat(key).as("this file system reports file keys (inodes)").isNotNull();
        return key;
    }

    /** A small KEV catalogue, different for each CVE given. */
    private static byte[] kevWith(String cve) {
        return ("{\"title\": \"CISA Catalog of Known Exploited Vulnerabilities\", \"catalogVersion\": \"2026.12.01\","
                + " \"count\": 1, \"vulnerabilities\": [{\"cveID\": \"" + cve + "\", \"vendorProject\": \"x\","
                + " \"product\": \"y\", \"vulnerabilityName\": \"z\", \"dateAdded\": \"2026-12-01\","
                + " \"shortDescription\": \"d\", \"requiredAction\": \"a\", \"dueDate\": \"2026-12-22\","
                + " \"knownRansomwareCampaignUse\": \"Unknown\", \"notes\": \"\"}]}").getBytes(UTF_8);
    }

    /** Remembers what a listener heard (from several threads). */
    static final class Recorder implements ProgressListener {
        final Map<String, Long> started = new ConcurrentHashMap<>();
        final Map<String, Long> lastProgress = new ConcurrentHashMap<>();
        final List<String> retries = Collections.synchronizedList(new ArrayList<>());
        final List<FetchOutcome> finished = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void started(FeedSource source, long totalBytes) {
            started.put(source.name(), totalBytes);
        }

        @Override
        public void progress(FeedSource source, long bytesDone, long totalBytes) {
            lastProgress.merge(source.name(), bytesDone, Math::max);
        }

        @Override
        public void retrying(FeedSource source, int nextTry, String reason) {
            retries.add(source.name() + " " + nextTry + " " + reason);
        }

        @Override
        public void finished(FetchOutcome outcome) {
            finished.add(outcome);
        }
    }
}
