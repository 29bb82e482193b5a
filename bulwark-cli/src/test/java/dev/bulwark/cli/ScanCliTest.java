package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.image.Fixtures;
import dev.bulwark.image.Fixtures.E;
import dev.bulwark.model.Finding;
import dev.bulwark.model.ScanReport;
import dev.bulwark.report.Reports;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `scan` and `db` end to end, in-process, on a small real-shaped image and the built-in advisories (real Debian
 * changelog statements): findings, filters, exit codes, suppressions, one-line errors.
 */
class ScanCliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private String db() {
        return tmp.resolve("db").toString();
    }

    /** Debian 12 with zlib 1:1.2.13.dfsg-1 (bookworm), which bookworm-security fixes in 1:1.2.13.dfsg-1+deb12u1. */
    private Path image(String zlibVersion) throws Exception {
        Path dir = tmp.resolve("img-" + zlibVersion.replace(':', '_'));
        Fixtures.ociLayout(dir, "1", List.of(Fixtures.gzLayer(List.of(
                E.file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
                E.file("var/lib/dpkg/status", """
                        Package: zlib1g
                        Status: install ok installed
                        Architecture: amd64
                        Source: zlib
                        Version: %s

                        """.formatted(zlibVersion))))));
        return dir;
    }

    private ScanReport scanJson(String... extra) throws Exception {
        Path out = tmp.resolve("scan-" + System.nanoTime() + ".json");
        List<String> args = new java.util.ArrayList<>(List.of("scan", "-q", "--no-cache", "--db=" + db(), "-f=json", "-o=" + out));
        args.addAll(List.of(extra));
        Run r = run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        try (InputStream in = Files.newInputStream(out)) {
            return Reports.readScanReportJson(in);
        }
    }

    @Test
    void firstScanInstallsTheBuiltInAdvisoriesAndFindsTheBackportedFix() throws Exception {
        ScanReport old = scanJson("oci:" + image("1:1.2.13.dfsg-1"));
        Finding f = old.findings().stream().filter(x -> x.id().equals("CVE-2026-27171")).findFirst().orElseThrow();
        assertThat(f.pkg().name()).isEqualTo("zlib1g");
        assertThat(f.fixedVersions()).containsExactly("1:1.2.13.dfsg-1+deb12u1");
        assertThat(f.severitySource()).isEqualTo("debian");
        assertThat(old.db().sources()).isNotEmpty();
        // the backport fixes it although upstream 1.2.13 is still the version
        ScanReport fixed = scanJson("oci:" + image("1:1.2.13.dfsg-1+deb12u1"));
        assertThat(fixed.findings()).noneMatch(x -> x.id().equals("CVE-2026-27171"));
    }

    @Test
    void exitCodeSeverityFilterAndIgnoreFile() throws Exception {
        String img = "oci:" + image("1:1.2.13.dfsg-1");
        Run r = run("scan", "-q", "--no-cache", "--db", db(), "--exit-code", "5", img);
        assertThat(r.code()).as(r.err()).isEqualTo(5);
        assertThat(r.err()).isEmpty();
        Run none = run("scan", "-q", "--no-cache", "--db", db(), "--exit-code", "5", "--severity", "CRITICAL,LOW", img);
        assertThat(none.code()).as(none.err()).isZero();
        Path ignore = tmp.resolve("ignore");
        Files.writeString(ignore, "# accepted: zlib is not fed untrusted data here\nCVE-2026-27171\nCVE-2026-85091\n");
        ScanReport s = scanJson("--ignorefile=" + ignore, "oci:" + image("1:1.2.13.dfsg-1"));
        assertThat(s.findings()).noneMatch(x -> x.id().equals("CVE-2026-27171"));
        assertThat(s.suppressed()).anyMatch(x -> x.finding().id().equals("CVE-2026-27171") && x.by().equals("ignorefile"));
    }

    @Test
    void sarifAndInventoryRematch() throws Exception {
        Path inv = tmp.resolve("inv.json");
        Run sbom = run("sbom", "-q", "--no-cache", "-f", "json", "-o", inv.toString(), "oci:" + image("1:1.2.13.dfsg-1"));
        assertThat(sbom.code()).as(sbom.err()).isZero();
        Path sarif = tmp.resolve("out.sarif");
        Run r = run("scan", "-q", "--db", db(), "--inventory", inv.toString(), "-f", "sarif", "-o", sarif.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(sarif.toFile());
        assertThat(doc.path("version").asText()).isEqualTo("2.1.0");
        assertThat(doc.toString()).contains("CVE-2026-27171");
    }

    @Test
    void badInputGetsOneLineAndNoOutput() throws Exception {
        Path out = tmp.resolve("never.json");
        Path badIgnore = tmp.resolve("bad.yaml");
        Files.writeString(badIgnore, "vulnerabilities: [ {id: \"CVE-1\"\n");
        Run r = run("scan", "-q", "--db", db(), "--ignorefile", badIgnore.toString(), "-o", out.toString(), "oci:" + image("1:1.2.13.dfsg-1"));
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err().strip().lines()).hasSize(1).first().asString().startsWith("bulwark: ").contains("bad.yaml");
        assertThat(out).doesNotExist();

        Run sev = run("scan", "--db", db(), "--severity", "SEVERE", "oci:" + image("1:1.2.13.dfsg-1"));
        assertThat(sev.code()).isEqualTo(2);
        assertThat(sev.err()).contains("unknown severity 'SEVERE'");

        Run both = run("scan", "--db", db(), "--inventory", "x.json", "oci:/nope");
        assertThat(both.code()).isEqualTo(2);

        Run noDb = run("db", "status", "--db", tmp.resolve("empty").toString());
        assertThat(noDb.code()).isEqualTo(3);
        assertThat(noDb.err()).contains("bulwark db update").doesNotContain("Exception");

        Run missing = run("db", "import", "--db", db(), tmp.resolve("no-such-feed").toString());
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err().strip().lines()).hasSize(1);
    }

    @Test
    void importCountsMalformedRecordsAndKeepsTheGoodOnes() throws Exception {
        Path feed = tmp.resolve("feed");
        Files.createDirectories(feed);
        Files.writeString(feed.resolve("GO-2099-0001.json"), """
                {"id": "GO-2099-0001", "modified": "2099-01-01T00:00:00Z", "aliases": ["CVE-2099-0001"],
                 "affected": [{"package": {"ecosystem": "Go", "name": "example.com/good"},
                               "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.0"}]}]}]}
                """);
        Files.writeString(feed.resolve("GO-2099-0002.json"), "{\"id\": \"GO-2099-0002\", \"modified\": \"2099-01-01T00:00:00Z\", \"affected\": [");
        Run r = run("db", "import", "--db", db(), feed.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("osv-go").contains("1 records");
        assertThat(r.err()).contains("GO-2099-0002").contains("1 malformed");
        Run status = run("db", "status", "--db", db());
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out()).contains("osv-go");
    }
}
