package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.image.testenv.TestComponents;
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

/** `bulwark audit docker` against the project's private dockerd, through the command line. */
class AuditDockerIT {
    @TempDir
    Path tmp;

    @Test
    void auditsThePrivateDaemonAsSarifAndJson() throws Exception {
        TestComponents.requireDocker();
        String host = TestComponents.dockerHost();
        Path json = tmp.resolve("audit.json");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[]{"audit", "docker", "-q", "-H", host, "-f", "json", "-o", json.toString(), "--only", "2,3"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        AuditReport report;
        try (InputStream in = Files.newInputStream(json)) {
            report = Reports.readAuditReportJson(in);
        }
        assertThat(report.target()).startsWith("docker:");
        assertThat(report.results()).allMatch(r -> r.checkId().startsWith("2.") || r.checkId().startsWith("3.")
                || r.checkId().startsWith("DOCKER-"));
        // the test daemon runs with --iptables=false: CIS 2.4 (allow Docker to change iptables) must warn, with the fix
        assertThat(report.results()).anyMatch(r -> r.checkId().equals("2.4") && r.status() == AuditStatus.FAIL && !r.fix().isEmpty());
        Path sarif = tmp.resolve("audit.sarif");
        code = Main.run(new String[]{"audit", "docker", "-q", "-H", host, "-f", "sarif", "-o", sarif.toString(), "--only", "2"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.readString(sarif)).contains("\"version\": \"2.1.0\"").contains("\"2.4\"");
    }
}
