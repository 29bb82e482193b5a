package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.report.Reports;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bulwark audit FILE...` end to end: verdicts with line numbers and fixes, exit codes, bad input. */
class AuditCliTest {
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

    @Test
    void dockerfileAndComposeInOneReportWithExitCode() throws Exception {
        Path dockerfile = tmp.resolve("Dockerfile");
        Files.writeString(dockerfile, """
                FROM debian:bookworm
                RUN apt-get update
                RUN apt-get install -y curl
                ADD https://example.com/tool.tar.gz /opt/
                CMD ["curl", "--version"]
                """);
        Path compose = tmp.resolve("compose.yaml");
        Files.writeString(compose, """
                services:
                  web:
                    image: nginx:1.27
                    privileged: true
                    volumes:
                      - /var/run/docker.sock:/var/run/docker.sock
                """);
        Path out = tmp.resolve("audit.json");
        Run r = run("audit", "-q", "-f", "json", "-o", out.toString(), "--exit-code", "9", dockerfile.toString(), compose.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(9);
        AuditReport report;
        try (InputStream in = Files.newInputStream(out)) {
            report = Reports.readAuditReportJson(in);
        }
        // no USER: the final stage runs as root
        assertThat(report.results()).anyMatch(x -> x.checkId().equals("4.1") && x.status() == AuditStatus.FAIL && !x.fix().isEmpty());
        assertThat(report.results()).anyMatch(x -> x.checkId().equals("4.7") && x.status() == AuditStatus.FAIL
                && x.location().endsWith("Dockerfile:2"));
        assertThat(report.results()).anyMatch(x -> x.checkId().equals("5.4") && x.status() == AuditStatus.FAIL
                && x.location().startsWith(compose.toString() + ":4"));
        assertThat(report.results()).anyMatch(x -> x.checkId().equals("5.31") && x.status() == AuditStatus.FAIL);
        // without --exit-code, warnings do not fail the command; a severity filter that matches nothing neither
        assertThat(run("audit", "-q", "-o", tmp.resolve("t.txt").toString(), dockerfile.toString()).code()).isZero();
        assertThat(run("audit", "-q", "--exit-code", "9", "--severity", "NEGLIGIBLE", "-o", tmp.resolve("t2.txt").toString(),
                compose.toString()).code()).isZero();
    }

    @Test
    void theKindCanBeGivenForFilesNamedOtherwise() throws Exception {
        Path f = tmp.resolve("stack-prod.yml");
        Files.writeString(f, "services:\n  db:\n    image: postgres:16\n    network_mode: host\n");
        Path out = tmp.resolve("a.json");
        Run r = run("audit", "compose", "-q", "-f", "json", "-o", out.toString(), f.toString());
        assertThat(r.code()).as(r.err()).isZero();
        AuditReport report;
        try (InputStream in = Files.newInputStream(out)) {
            report = Reports.readAuditReportJson(in);
        }
        assertThat(report.results()).anyMatch(x -> x.checkId().equals("5.9") && x.status() == AuditStatus.FAIL
                && x.location().startsWith(f + ":4"));
        // told it is a Dockerfile, the same file is refused as one, in one line
        Run wrong = run("audit", "dockerfile", f.toString());
        assertThat(wrong.code()).isEqualTo(3);
        assertThat(wrong.err().strip().lines()).hasSize(1);
    }

    @Test
    void badInputIsOneLine() throws Exception {
        Path broken = tmp.resolve("compose.yaml");
        Files.writeString(broken, "services:\n  web: [unclosed\n");
        Run r = run("audit", broken.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err().strip().lines()).hasSize(1).first().asString().contains("compose.yaml");
        Run none = run("audit");
        assertThat(none.code()).isEqualTo(2);
        Path good = tmp.resolve("Dockerfile");
        Files.writeString(good, "FROM scratch\n");
        Run fmt = run("audit", "-f", "spdx", good.toString());
        assertThat(fmt.code()).isEqualTo(2);
        Run missing = run("audit", tmp.resolve("nope/Dockerfile").toString());
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err()).doesNotContain("Exception");
    }
}
