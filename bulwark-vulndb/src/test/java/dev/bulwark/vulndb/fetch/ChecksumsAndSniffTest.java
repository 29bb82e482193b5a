package dev.bulwark.vulndb.fetch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChecksumsAndSniffTest {
    private static final String A = "0123456789abcdef".repeat(4);
    private static final String B = "fedcba9876543210".repeat(4);

    @Test
    void checksumFilesInTheUsualShapes() throws FetchFailure {
        assertThat(Checksums.parse(A.toUpperCase() + "\n", "all.zip")).isEqualTo(A);
        assertThat(Checksums.parse(B + "  other.zip\n" + A + "  all.zip\n", "all.zip")).isEqualTo(A);
        assertThat(Checksums.parse(B + "  other.zip\r\n" + A + " *dist/all.zip\r\n", "all.zip")).isEqualTo(A);
        assertThat(Checksums.parse("# made by sha256sum\nSHA256 (all.zip) = " + A + "\n", "all.zip")).isEqualTo(A);
    }

    @Test
    void checksumFilesThatDoNotAnswer() {
        assertThatThrownBy(() -> Checksums.parse(B + "  other.zip\n", "all.zip"))
                .hasMessage("the checksum file has no SHA-256 for all.zip");
        assertThatThrownBy(() -> Checksums.parse("<html>Not found</html>", "all.zip"))
                .hasMessage("the checksum file is not a SHA-256 digest or sha256sum output");
        assertThatThrownBy(() -> Checksums.parse("\n\n", "all.zip")).hasMessage("the checksum file is empty");
        assertThatThrownBy(() -> Checksums.parse(A.substring(1) + "\n", "all.zip"))
                .hasMessage("the checksum file is not a SHA-256 digest or sha256sum output");
    }

    @Test
    void bodiesAreLookedAtBeforeTheyReplaceAFeed() {
        assertThat(Sniff.problem("osv-go.zip", new byte[]{'P', 'K', 3, 4, 0}, 5)).isNull();
        assertThat(Sniff.problem("osv-go.zip", new byte[]{'P', 'K', 5, 6}, 22)).isNull();
        assertThat(Sniff.problem("epss.csv.gz", new byte[]{0x1f, (byte) 0x8b, 8}, 3)).isNull();
        assertThat(Sniff.problem("kev.json", " \n {\"title\": 1}".getBytes(UTF_8), 14)).isNull();
        assertThat(Sniff.problem("kev.json", "\uFEFF[1]".getBytes(UTF_8), 6)).isNull();
        assertThat(Sniff.problem("main.yaml", "---\ndistroversion: v3.11".getBytes(UTF_8), 24)).isNull();

        assertThat(Sniff.problem("kev.json", new byte[0], 0)).isEqualTo("the body is empty");
        assertThat(Sniff.problem("osv-go.zip", new byte[]{0x1f, (byte) 0x8b, 8}, 3))
                .isEqualTo("the body is not a zip archive (it starts with '\\x1f\\x8b\\x08')");
        assertThat(Sniff.problem("epss.csv.gz", "cve,epss".getBytes(UTF_8), 8))
                .isEqualTo("the body is not gzip data (it starts with 'cve,epss')");
        assertThat(Sniff.problem("kev.json", "Service Unavailable".getBytes(UTF_8), 19))
                .isEqualTo("the body is not JSON (it starts with 'Service Unavaila...')");
        assertThat(Sniff.problem("epss.csv", "\n<HTML><body>".getBytes(UTF_8), 13))
                .isEqualTo("the body is an HTML page, not a feed (an error or login page?)");
    }

    @Test
    void redirectsStayOnHttpAndKeepTls() throws FetchFailure {
        java.net.URI https = java.net.URI.create("https://feeds.example/a/all.zip");
        assertThat(Urls.redirect(https, "b/all.zip")).hasToString("https://feeds.example/a/b/all.zip");
        assertThat(Urls.redirect(https, "https://cdn.example/x.zip")).hasToString("https://cdn.example/x.zip");
        assertThat(Urls.redirect(java.net.URI.create("http://m/a"), "https://m/b")).hasToString("https://m/b");
        assertThatThrownBy(() -> Urls.redirect(https, "http://cdn.example/x.zip"))
                .hasMessage("redirect from https to http://cdn.example/x.zip refused: it would drop TLS");
        assertThatThrownBy(() -> Urls.redirect(https, "data:text/plain,hello"))
                .hasMessage("redirect to data:text/plain,hello refused: only http and https URLs are followed");
        assertThatThrownBy(() -> Urls.redirect(https, "https:///no-host"))
                .hasMessage("redirect to https:///no-host refused: only http and https URLs are followed");
        assertThatThrownBy(() -> Urls.redirect(https, "http://a b/"))
                .hasMessage("redirect to a malformed Location 'http://a b/'");
    }

    @Test
    void urlsArePrintedWithoutCredentials() {
        assertThat(Urls.redact(java.net.URI.create("https://user:secret@mirror.example:8443/a/b.zip?x=1")))
                .isEqualTo("https://mirror.example:8443/a/b.zip?x=1");
        assertThat(Urls.fileNameFor("epss", java.net.URI.create("https://e/epss_scores-current.csv.gz")))
                .isEqualTo("epss.csv.gz");
        assertThat(Urls.fileNameFor("x", java.net.URI.create("https://e/archive.tar.gz"))).isEqualTo("x.tar.gz");
        assertThat(Urls.fileNameFor("x", java.net.URI.create("https://e/.zip"))).isNull();
        assertThat(Urls.fileNameFor("x", java.net.URI.create("https://e/tracker/data/json"))).isNull();
    }
}
