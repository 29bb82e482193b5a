package dev.bulwark.vulndb.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.vulndb.VulnDbException;
import dev.bulwark.vulndb.feed.FeedFormat;
import dev.bulwark.vulndb.feed.Feeds;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeedSourcesTest {
    @TempDir
    Path tmp;

    @Test
    void theDefaultsAreThePublicFeedsDocumented() {
        Map<String, String> urls = FeedSources.defaults().stream()
                .collect(Collectors.toMap(FeedSource::name, s -> s.url().toString()));
        assertThat(urls).containsEntry("osv-go", "https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip")
                .containsEntry("osv-crates-io", "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip")
                .containsEntry("osv-pypi", "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip")
                .containsEntry("debian-tracker", "https://security-tracker.debian.org/tracker/data/json")
                .containsEntry("alpine-secdb-v3.24-community", "https://secdb.alpinelinux.org/v3.24/community.json")
                .containsEntry("kev", "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json")
                .containsEntry("epss", "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz")
                .doesNotContainKey("nvd");
        assertThat(urls.keySet().stream().filter(n -> n.startsWith("osv-"))).containsExactlyInAnyOrder("osv-debian",
                "osv-ubuntu", "osv-alpine", "osv-go", "osv-npm", "osv-pypi", "osv-maven", "osv-crates-io",
                "osv-rubygems", "osv-nuget", "osv-packagist");
        assertThat(FeedSources.defaults()).hasSize(11 + 1 + 6 + 2)
                .allSatisfy(s -> assertThat(s.url().getScheme()).isEqualTo("https"));
        Set<String> files = new HashSet<>();
        for (FeedSource s : FeedSources.defaults()) assertThat(files.add(s.fileName())).isTrue();
    }

    /** Every default file name routes its content to the right parser (the importer looks at names first). */
    @Test
    void theDefaultFileNamesAreRecognisedByTheImporter() {
        Map<String, String> heads = Map.of(
                "osv-go.zip", "", // an archive: its entries are recognised one by one
                "debian-tracker.json", "{\"389-ds-base\": {\"CVE-2012-0833\": {\"description\": \"x\"",
                "alpine-secdb-v3.22-main.json", "{\"apkurl\": \"{{urlprefix}}\", \"archs\": [], \"distroversion\": \"v3.22\"",
                "kev.json", "{\"title\": \"CISA Catalog\", \"vulnerabilities\": [{\"cveID\": \"CVE-2021-1\"",
                "epss.csv", "#model_version:v2025.03.14,score_date:2026-12-06T00:00:00+0000\ncve,epss,percentile",
                "nvd-2024.json", "{\"resultsPerPage\":2000,\"startIndex\":0,\"totalResults\":1,\"format\":\"NVD_CVE\"");
        assertThat(detect("debian-tracker.json", heads)).contains(FeedFormat.DEBIAN_TRACKER);
        assertThat(detect("alpine-secdb-v3.22-main.json", heads)).contains(FeedFormat.ALPINE_SECDB_JSON);
        assertThat(detect("kev.json", heads)).contains(FeedFormat.CISA_KEV);
        // .gz files are named without the suffix once inflated
        assertThat(detect("epss.csv", heads)).contains(FeedFormat.EPSS_CSV);
        assertThat(detect("nvd-2024.json", heads)).contains(FeedFormat.NVD_CVE_API);
        Map<String, String> files = FeedSources.defaults().stream()
                .collect(Collectors.toMap(FeedSource::name, FeedSource::fileName));
        assertThat(files).containsEntry("debian-tracker", "debian-tracker.json").containsEntry("kev", "kev.json")
                .containsEntry("epss", "epss.csv.gz").containsEntry("osv-go", "osv-go.zip")
                .containsEntry("alpine-secdb-v3.22-main", "alpine-secdb-v3.22-main.json");
        assertThat(FeedSources.nvdYears(2024, 2024)).singleElement().satisfies(s -> {
            assertThat(s.fileName()).isEqualTo("nvd-2024.json.gz");
            assertThat(s.url()).hasToString("https://nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-2024.json.gz");
        });
    }

    private static Optional<FeedFormat> detect(String name, Map<String, String> heads) {
        return Feeds.detect(name, heads.get(name).getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource({
            "https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip, https://mirror.example/feeds, https://mirror.example/feeds/osv-vulnerabilities.storage.googleapis.com/Go/all.zip",
            "https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip, https://mirror.example/feeds/, https://mirror.example/feeds/osv-vulnerabilities.storage.googleapis.com/Go/all.zip",
            "https://security-tracker.debian.org/tracker/data/json, http://10.0.0.5:8080, http://10.0.0.5:8080/security-tracker.debian.org/tracker/data/json",
            "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip, http://m/, http://m/osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip",
            "https://example.org:8443/a%20b/c.json?x=1, https://m/base, https://m/base/example.org_8443/a%20b/c.json?x=1",
    })
    void aMirrorKeepsHostAndPathBelowItsBase(String original, String mirror, String expected) {
        assertThat(FeedSources.mirrored(URI.create(original), URI.create(mirror))).hasToString(expected);
    }

    @Test
    void withoutAFileTheDefaultsAreResolvedAndTheMirrorAppliesToAll() throws VulnDbException {
        assertThat(FeedSources.resolve(null, null)).isEqualTo(FeedSources.defaults());
        assertThat(FeedSources.resolve(null, "https://mirror.example/f"))
                .allSatisfy(s -> assertThat(s.url().toString()).startsWith("https://mirror.example/f/"))
                .extracting(FeedSource::fileName)
                .containsExactlyElementsOf(FeedSources.defaults().stream().map(FeedSource::fileName).toList());
        assertThatThrownBy(() -> FeedSources.resolve(null, "ftp://mirror.example/f"))
                .isInstanceOf(VulnDbException.class)
                .satisfies(e -> assertThat(((VulnDbException) e).oneLine())
                        .isEqualTo("mirror: mirror 'ftp://mirror.example/f' must be an http or https URL with a host"));
    }

    @Test
    void aSourcesFileAddsReplacesAndRemoves() throws Exception {
        Path file = write("""
                # our mirror for the built-in feeds; our own feeds as written
                mirror = https://mirror.corp.example/bulwark
                nvd = 2023-2024

                osv-npm = off
                osv-go = https://vulns.corp.example/go/all.zip
                osv-go.sha256 = %s
                corp-advisories = https://vulns.corp.example/corp/advisories.tar.gz
                corp-advisories.checksum = https://vulns.corp.example/corp/SHA256SUMS
                corp-tracker = https://vulns.corp.example/tracker/data/json
                corp-tracker.file = corp-tracker.json
                kev.file = cisa-kev.json
                """.formatted("AB".repeat(32)));

        List<FeedSource> sources = FeedSources.resolve(file, null, 2026);
        Map<String, FeedSource> byName = sources.stream().collect(Collectors.toMap(FeedSource::name, s -> s));

        assertThat(byName).doesNotContainKey("osv-npm");
        assertThat(byName.get("osv-go").url()).hasToString("https://vulns.corp.example/go/all.zip");
        assertThat(byName.get("osv-go").sha256()).isEqualTo("ab".repeat(32));
        assertThat(byName.get("osv-go").fileName()).isEqualTo("osv-go.zip");
        assertThat(byName.get("osv-pypi").url())
                .hasToString("https://mirror.corp.example/bulwark/osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip");
        assertThat(byName.get("nvd-2023").url())
                .hasToString("https://mirror.corp.example/bulwark/nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-2023.json.gz");
        assertThat(byName.get("corp-advisories").fileName()).isEqualTo("corp-advisories.tar.gz");
        assertThat(byName.get("corp-advisories").checksumUrl()).hasToString("https://vulns.corp.example/corp/SHA256SUMS");
        assertThat(byName.get("corp-tracker").fileName()).isEqualTo("corp-tracker.json");
        assertThat(byName.get("kev").fileName()).isEqualTo("cisa-kev.json");
        assertThat(byName.get("kev").url().getHost()).isEqualTo("mirror.corp.example");
        // defaults first, in their order; then what the file adds
        assertThat(sources.getFirst().name()).isEqualTo("osv-debian");
        assertThat(sources.subList(sources.size() - 4, sources.size())).extracting(FeedSource::name)
                .containsExactly("nvd-2023", "nvd-2024", "corp-advisories", "corp-tracker");
        // the mirror given on the command line wins over the file's
        assertThat(FeedSources.resolve(file, "http://other/", 2026)).filteredOn(s -> s.name().equals("osv-pypi"))
                .singleElement().satisfies(s -> assertThat(s.url().getHost()).isEqualTo("other"));
    }

    @Test
    void aSourcesFileCanStartFromNothing() throws Exception {
        Path file = write("defaults = false\nnvd = 2025-\nlocal = http://127.0.0.1:8080/feeds/local.zip\n");
        assertThat(FeedSources.resolve(file, null, 2026)).extracting(FeedSource::name)
                .containsExactly("nvd-2025", "nvd-2026", "local");
        assertThat(FeedSources.resolve(write("defaults = false\nnvd = 2020\n"), null, 2026))
                .extracting(FeedSource::name).containsExactly("nvd-2020");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            osv-go https://x/all.zip                     | 1 | expected KEY = VALUE, found 'osv-go https://x/all.zip'
            kev = https://a/k.json\\nkev = https://b/k.json | 2 | kev is already set on line 1
            osv-go.sha = 0123                            | 1 | unknown setting '.sha' for osv-go; a source takes .sha256, .checksum and .file
            osv-go.sha256 = 0123                         | 1 | osv-go: sha256 must be 64 hex digits
            nosuch.file = x.json                         | 1 | no source named nosuch
            nosuch = off                                 | 1 | no source named nosuch to switch off
            mine = https://example.org/data/json         | 1 | mine: cannot tell the file type from the URL; add mine.file = mine.json (or .zip, .csv.gz...)
            mine = ftp://example.org/a.json              | 1 | mine: 'ftp://example.org/a.json' is not an http or https URL with a host
            mine = notaurl                               | 1 | mine = notaurl: expected a URL or 'off'
            Mine = https://example.org/a.json            | 1 | feed name 'Mine' must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit
            kev.file = ../../etc/passwd                  | 1 | kev: file name '../../etc/passwd' must be a plain file name (letters, digits, '.', '_', '-'; no directory, no '..')
            kev.file = .hidden                           | 1 | kev: file name '.hidden' must be a plain file name (letters, digits, '.', '_', '-'; no directory, no '..')
            defaults = maybe                             | 1 | defaults must be true or false
            nvd = 1999-2001                              | 1 | NVD years 1999-2001: the feeds start at 2002 (which holds 1999 to 2002) and the range must not be empty
            nvd = lots                                   | 1 | nvd must be YEAR, FROM-TO or FROM- (e.g. 2002-2026)
            mirror = https://m.example/?x=1              | 1 | mirror 'https://m.example/?x=1' must not have a query or #fragment
            kev =                                        | 1 | kev has no value
            osv-go.file = kev.json                       | 0 | sources osv-go and kev would both be stored as kev.json; give one a NAME.file
            """)
    void aBadLineIsReportedWithItsFileAndLine(String text, int line, String message) throws Exception {
        Path file = write(text.replace("\\n", "\n") + "\n");
        assertThatThrownBy(() -> FeedSources.resolve(file, null, 2026))
                .isInstanceOf(VulnDbException.class)
                .satisfies(e -> assertThat(((VulnDbException) e).oneLine())
                        .isEqualTo(file + (line > 0 ? ":" + line : "") + ": " + message));
    }

    @Test
    void anUnreadableSourcesFileIsOneLine() throws Exception {
        Path missing = tmp.resolve("missing.conf");
        assertThatThrownBy(() -> FeedSources.resolve(missing, null)).isInstanceOf(VulnDbException.class)
                .satisfies(e -> assertThat(((VulnDbException) e).oneLine()).isEqualTo(missing + ": no such file"));
        Path latin1 = tmp.resolve("latin1.conf");
        Files.write(latin1, new byte[]{'k', 'e', 'v', '=', (byte) 0xe9, '\n'});
        assertThatThrownBy(() -> FeedSources.resolve(latin1, null)).isInstanceOf(VulnDbException.class)
                .satisfies(e -> assertThat(((VulnDbException) e).oneLine()).isEqualTo(latin1 + ": not UTF-8 text"));
    }

    @Test
    void selectKeepsOrderAndNamesTheUnknown() throws VulnDbException {
        List<FeedSource> all = FeedSources.defaults();
        assertThat(FeedSources.select(all, List.of("kev", "osv-go"))).extracting(FeedSource::name)
                .containsExactly("osv-go", "kev");
        assertThatThrownBy(() -> FeedSources.select(all, List.of("osv-golang")))
                .isInstanceOf(VulnDbException.class)
                .satisfies(e -> assertThat(((VulnDbException) e).oneLine()).startsWith("feed osv-golang: no such feed; known: osv-debian, "));
    }

    @Test
    void aSourceIsValidatedWhenMade() {
        assertThatThrownBy(() -> FeedSource.of("x", "file:///etc/passwd", "x.json"))
                .hasMessage("x: URL 'file:///etc/passwd' is not http or https");
        assertThatThrownBy(() -> FeedSource.of("x", "https://user:secret@example.org/x.json#frag", "x.json"))
                .hasMessage("x: URL 'https://example.org/x.json#frag' has a #fragment");
        assertThatThrownBy(() -> FeedSource.of("x", "https://example.org/x.json", "x.json.part"))
                .hasMessage("x: file name 'x.json.part' ends like the fetcher's own temporary files");
        assertThatThrownBy(() -> FeedSource.of("x.sha256", "https://example.org/x.json", "x.json"))
                .hasMessage("feed name 'x.sha256' may not end with .sha256");
        FeedSource s = FeedSource.of("x", "https://example.org/x.json", "x.json").withSha256("ab".repeat(32))
                .withChecksumUrl(URI.create("https://example.org/x.sha256"));
        assertThat(s.sha256()).isNull();
        assertThat(s.withSha256("CD".repeat(32)).checksumUrl()).isNull();
        assertThatThrownBy(() -> new FeedSource("x", s.url(), s.checksumUrl(), "cd".repeat(32), "x.json"))
                .hasMessage("x: give a sha256 or a checksum URL, not both");
    }

    private Path write(String text) throws Exception {
        Path p = Files.createTempFile(tmp, "sources", ".conf");
        Files.writeString(p, text);
        return p;
    }
}
