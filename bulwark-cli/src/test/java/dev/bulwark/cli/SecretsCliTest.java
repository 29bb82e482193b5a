package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.image.Fixtures;
import dev.bulwark.image.Fixtures.E;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.SecretFinding;
import dev.bulwark.report.Reports;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `scan --scanners ... --secret-config ...` end to end, in-process, on a small image with a real-format token and a
 * fresh private key that a later layer deletes: findings in every format, never a whole secret, exit codes, and one
 * line for every kind of bad input.
 */
class SecretsCliTest {
    @TempDir
    Path tmp;
    private Path image;
    private String token;
    private String keyLine;

    record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    static String githubToken(long seed) {
        java.util.Random r = new java.util.Random(seed);
        String alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 30; i++) body.append(alnum.charAt(r.nextInt(alnum.length())));
        CRC32 crc = new CRC32();
        crc.update(body.toString().getBytes(StandardCharsets.US_ASCII));
        String b62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        long v = crc.getValue();
        char[] d = new char[6];
        for (int i = 5; i >= 0; i--) {
            d[i] = b62.charAt((int) (v % 62));
            v /= 62;
        }
        return "ghp_" + body + new String(d);
    }

    @BeforeEach
    void image() throws Exception {
        token = githubToken(System.nanoTime());
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String body = java.util.Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(g.generateKeyPair().getPrivate().getEncoded());
        keyLine = body.lines().findFirst().orElseThrow();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
        image = tmp.resolve("img");
        Fixtures.ociLayout(image, "1", List.of(
                Fixtures.gzLayer(List.of(E.file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"), E.file("root/.ssh/id_rsa", pem),
                        E.file("app/settings.yaml", "log: info\ntoken: " + token + "\n"))),
                Fixtures.gzLayer(List.of(E.file("root/.ssh/.wh.id_rsa", ""), E.exe("usr/sbin/sshd", "#!/bin/sh\n")))));
    }

    private Path out(String name) {
        return tmp.resolve(name);
    }

    private List<String> scan(String... extra) {
        List<String> args = new ArrayList<>(List.of("scan", "-q", "--no-cache", "--db=" + tmp.resolve("db")));
        args.addAll(List.of(extra));
        return args;
    }

    private ScanReport json(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return Reports.readScanReportJson(in);
        }
    }

    @Test
    void secretsAndHygieneInJsonWithTheDeletedKey() throws Exception {
        Path o = out("s.json");
        List<String> a = scan("--scanners", "secret,hygiene", "-f", "json", "-o", o.toString(), "oci:" + image);
        Run r = run(a.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        ScanReport rep = json(o);
        assertThat(rep.findings()).isEmpty();
        assertThat(rep.db()).as("no vulnerability DB opened without vuln").isNull();
        assertThat(rep.secrets()).extracting(SecretFinding::ruleId, SecretFinding::path, SecretFinding::deletedLater).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("private-key", "/root/.ssh/id_rsa", true),
                org.assertj.core.groups.Tuple.tuple("github-pat", "/app/settings.yaml", false));
        assertThat(rep.hygiene()).extracting(h -> h.checkId()).contains("BW-H-REMOTE-ACCESS", "CIS-4.6", "CIS-4.10");
        assertThat(rep.inventory().efficiency()).isNotNull();
        String text = Files.readString(o);
        assertThat(text).doesNotContain(token).doesNotContain(keyLine).contains(token.substring(0, 8) + "********");
    }

    @Test
    void everyFormatShowsTheSecretsRedacted() throws Exception {
        for (String f : List.of("table", "sarif", "junit", "html", "json")) {
            Path o = out("s." + f);
            Run r = run(scan("--scanners", "secret,hygiene", "-f", f, "-o", o.toString(), "oci:" + image).toArray(String[]::new));
            assertThat(r.code()).as(f + ": " + r.err()).isZero();
            String text = Files.readString(o);
            assertThat(text).as(f).doesNotContain(token).doesNotContain(keyLine).contains(token.substring(0, 8))
                    .contains("settings.yaml").contains("sshd");
        }
        assertThat(Files.readString(out("s.sarif"))).contains("\"ruleId\": \"secret/github-pat\"").contains("hygiene/BW-H-REMOTE-ACCESS");
        assertThat(Files.readString(out("s.junit"))).contains("name=\"Secrets\"").contains("classname=\"secret.private-key\"");
        assertThat(Files.readString(out("s.table"))).contains("Secrets").contains("0 deleted").contains("efficiency");
    }

    @Test
    void exitCodeAndSeverityApplyToSecretsToo() {
        Run found = run(scan("--scanners", "secret", "--exit-code", "5", "-f", "json", "-o", out("a.json").toString(), "oci:" + image).toArray(String[]::new));
        assertThat(found.code()).as(found.err()).isEqualTo(5);
        Run filtered = run(scan("--scanners", "secret", "--severity", "LOW,MEDIUM", "--exit-code", "5", "-f", "json", "-o", out("b.json").toString(),
                "oci:" + image).toArray(String[]::new));
        assertThat(filtered.code()).as("the secrets are CRITICAL: filtered out, nothing left").isZero();
    }

    @Test
    void aUserRuleFromSecretConfig() throws Exception {
        Path cfg = tmp.resolve("secrets.yaml");
        Files.writeString(cfg, """
                rules:
                  - id: internal-log-level
                    title: A made-up rule to prove user rules run
                    severity: LOW
                    keywords: [log]
                    regex: 'log: (info)'
                    secretGroup: 1
                disable: [github-pat]
                allow:
                  paths: ['^/root/\\.ssh/']
                """);
        Path o = out("c.json");
        Run r = run(scan("--scanners", "secret", "--secret-config", cfg.toString(), "-f", "json", "-o", o.toString(), "oci:" + image).toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(json(o).secrets()).extracting(SecretFinding::ruleId, SecretFinding::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("internal-log-level", "/app/settings.yaml"));
    }

    @Test
    void badInputIsOneLineAndNothingIsWritten() throws Exception {
        Path o = out("never.json");
        Run unknown = run(scan("--scanners", "vuln,bogus", "-o", o.toString(), "oci:" + image).toArray(String[]::new));
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("bulwark: unknown scanner 'bogus' (valid: vuln, secret, hygiene)");
        Run noSecret = run(scan("--scanners", "vuln", "--secret-config", "x.yaml", "-o", o.toString(), "oci:" + image).toArray(String[]::new));
        assertThat(noSecret.code()).isEqualTo(2);
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "rules:\n  - id: x\n    regex: '(unclosed'\n");
        Run badRegex = run(scan("--scanners", "secret", "--secret-config", bad.toString(), "-o", o.toString(), "oci:" + image).toArray(String[]::new));
        assertThat(badRegex.code()).isEqualTo(3);
        assertThat(badRegex.err().strip()).startsWith("bulwark: " + bad + ": rule 'x': regex: bad regex").doesNotContain("\n").doesNotContain("Exception");
        Files.write(bad, new byte[]{'r', 'u', 'l', 'e', 's', ':', ' ', '[', 0, (byte) 0xff, '{'});
        Run junk = run(scan("--scanners", "secret", "--secret-config", bad.toString(), "-o", o.toString(), "oci:" + image).toArray(String[]::new));
        assertThat(junk.code()).isEqualTo(3);
        assertThat(junk.err().strip()).startsWith("bulwark: " + bad).doesNotContain("\n");
        Run missing = run(scan("--scanners", "secret", "--secret-config", tmp.resolve("nope.yaml").toString(), "-o", o.toString(), "oci:" + image)
                .toArray(String[]::new));
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err()).contains("nope.yaml: no such file");
        assertThat(o).doesNotExist();
    }

    @Test
    void sbomIsUnaffected() throws Exception {
        Path o = out("sbom.json");
        Run r = run("sbom", "-q", "--no-cache", "-f", "json", "-o", o.toString(), "oci:" + image);
        assertThat(r.code()).as(r.err()).isZero();
        String text = Files.readString(o);
        assertThat(text).doesNotContain("\"secrets\"").doesNotContain("\"hygiene\"").doesNotContain(token);
    }
}
