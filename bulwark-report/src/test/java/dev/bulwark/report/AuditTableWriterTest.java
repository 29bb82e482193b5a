package dev.bulwark.report;

import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bulwark.report.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

class AuditTableWriterTest {
    private final String table = Schemas.render(AuditFixtures.host(), ReportFormat.TABLE, options());
    private final List<String> lines = table.lines().toList();
    private final List<String> wide = Schemas.render(AuditFixtures.host(), ReportFormat.TABLE, options().withWidth(0))
            .lines().toList();

    @Test
    void everyLineFitsTheTerminalAndNothingIsColouredByDefault() {
        assertThat(table).doesNotContain("\u001b");
        for (AuditReport r : List.of(AuditFixtures.host(), AuditFixtures.files())) {
            for (int width : new int[]{20, 40, 80, 100, 132}) {
                List<String> other = Schemas.render(r, ReportFormat.TABLE, options().withWidth(width)).lines().toList();
                assertThat(other).allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).as(l).isLessThanOrEqualTo(width));
                assertThat(other).noneMatch(l -> l.endsWith(" "));
            }
        }
    }

    @Test
    void headerThenOneGroupPerSectionInBenchmarkOrder() {
        assertThat(lines.subList(0, 3)).containsExactly(
                "Target:   docker:unix:///var/run/docker.sock",
                "Audited:  2024-05-02T09:15:30Z",
                "Tool:     bulwark audit docker (CIS Docker Benchmark v1.6.0)");
        List<String> headings = lines.stream().filter(l -> l.matches("[1-7] [A-Z].*")).toList();
        assertThat(headings).containsExactly("1 Host Configuration (FAIL 2, WARN 1; score 0%)",
                "2 Docker daemon configuration (FAIL 1, PASS 3; score 75%)", "3 Docker daemon configuration files (PASS 1, ERROR 1; score 100%)",
                "4 Container Images and Build File (FAIL 1, PASS 1; score 50%)", "5 Container Runtime (FAIL 2, PASS 1, INFO 1; score 33%)",
                "6 Docker Security Operations (MANUAL 1)", "7 Docker Swarm Configuration (INFO 1)");
        // DOCKER-DEVICEMAPPER has no section in its id: its CIS v1.8.0 reference puts it in section 2
        int daemon = lines.indexOf("2 Docker daemon configuration (FAIL 1, PASS 3; score 75%)");
        assertThat(lines.get(daemon + 8)).isEqualTo("[PASS] DOCKER-DEVICEMAPPER daemon Ensure devicemapper storage driver is not used");
    }

    @Test
    void oneLinePerResultWithEvidenceAndFixUnderWarnings() {
        int at = wide.indexOf("[FAIL] 2.2 daemon Ensure network traffic is restricted between containers on the default bridge");
        assertThat(at).isPositive();
        // the fix keeps its line breaks and its indentation (a daemon.json snippet stays one)
        assertThat(wide.subList(at + 1, at + 5)).containsExactly(
                "       daemon.json has no \"icc\" (default true)",
                "       fix: Set in /etc/docker/daemon.json:",
                "              \"icc\": false",
                "            then restart dockerd");
        assertThat(wide.get(at + 5)).isEqualTo("[PASS] 2.3 daemon Ensure the logging level is set to 'info'");
        // containers are named, not given by id
        assertThat(wide).contains("[FAIL] 5.5 web Ensure that privileged containers are not used",
                "[PASS] 5.5 db Ensure that privileged containers are not used");
        assertThat(table).doesNotContain(AuditFixtures.CONTAINER_ID);
        // INFO shows what to look at and the suggested change; ERROR why it could not run; NOTE only its line
        int info = wide.indexOf("[WARN] 1.1.2 host Ensure only trusted users are allowed to control Docker daemon");
        assertThat(wide.subList(info + 1, info + 3)).containsExactly("       docker group members: alice, ci-runner",
                "       fix: gpasswd -d <user> docker for anyone who must not be root");
        int error = wide.indexOf("[ERROR] 3.18 /etc/docker/daemon.json Ensure that daemon.json file permissions are set to 644 or more restrictive");
        assertThat(wide.get(error + 1)).isEqualTo("       cannot stat /etc/docker/daemon.json: permission denied");
        int note = wide.indexOf("[INFO] 7.1 host Ensure that the minimum number of manager nodes have been created in a swarm");
        assertThat(wide.get(note + 1)).isEmpty();
    }

    @Test
    void longTitlesAreCutAndLongFixesWrapped() {
        assertThat(lines).contains("[FAIL] 2.2 daemon Ensure network traffic is restricted between containers on th\u2026");
        int at = lines.indexOf("[FAIL] 1.1.1 host Ensure a separate partition for containers has been created");
        assertThat(lines.subList(at + 2, at + 5)).containsExactly(
                "       fix: Move /var/lib/docker to a partition of its own (LVM: lvcreate, mkfs,",
                "            mount it at /var/lib/docker with an /etc/fstab entry) and restart",
                "            dockerd");
    }

    @Test
    void totalsAndScoreAtTheEndThenWarnings() {
        int checks = wide.indexOf("Checks: 17, FAIL 6, PASS 6, WARN 1, MANUAL 1, INFO 2, ERROR 1");
        assertThat(checks).isPositive();
        assertThat(wide.get(checks + 1)).isEqualTo("Score: 50% (6 PASS of 12 PASS or FAIL)");
        assertThat(wide.subList(checks + 3, checks + 5)).containsExactly("Warnings (1)",
                "  - auditctl not found: audit rules read from /etc/audit/rules.d only");
    }

    @Test
    void fileAuditsAreGroupedByFileWithLineAndColumn() {
        List<String> files = Schemas.render(AuditFixtures.files(), ReportFormat.TABLE, options().withWidth(0)).lines().toList();
        assertThat(files.stream().filter(l -> l.matches("\\S+ \\((FAIL|PASS).*"))).containsExactly(
                "Dockerfile (FAIL 5, PASS 1, WARN 1; score 17%)", "compose.yaml (FAIL 2, PASS 1, INFO 1; score 33%)");
        assertThat(files).contains("[FAIL] 4.1 Dockerfile:27 Ensure that a user for the container has been created (the final stage runs as non-root)",
                "[FAIL] 5.4 compose.yaml:11:5 Ensure that privileged containers are not used",
                "[PASS] DF-APK-NO-CACHE Dockerfile Ensure apk add does not leave its package cache in the image");
        int mem = files.indexOf("[FAIL] 5.10 compose.yaml:8:3 Ensure that the memory usage for containers is limited");
        assertThat(files.subList(mem + 2, mem + 9)).containsExactly(
                "       fix: Add to service \"web\":",
                "            deploy:",
                "              resources:",
                "                limits:",
                "                  memory: 512M   # what the service needs",
                "            (or mem_limit: 512m)",
                "[INFO] COMPOSE-IMAGE-DIGEST compose.yaml:46:3 Ensure service images are pinned by digest");
        assertThat(files).contains("Checks: 11, FAIL 7, PASS 2, WARN 1, MANUAL 0, INFO 1, ERROR 0", "Score: 22% (2 PASS of 9 PASS or FAIL)");
    }

    @Test
    void quietLeavesPassLinesOutButCountsThem() {
        List<String> quiet = Schemas.render(AuditFixtures.host(), ReportFormat.TABLE, options().withQuiet(true)).lines().toList();
        assertThat(quiet).noneMatch(l -> l.startsWith("[PASS]"));
        assertThat(quiet.stream().filter(l -> l.startsWith("[FAIL]")).count()).isEqualTo(6);
        assertThat(quiet).contains("2 Docker daemon configuration (FAIL 1, PASS 3; score 75%)",
                "Checks: 17, FAIL 6, PASS 6, WARN 1, MANUAL 1, INFO 2, ERROR 1", "PASS results are not listed (quiet).");
        assertThat(lines).noneMatch(l -> l.contains("quiet"));
        assertThat(lines.stream().filter(l -> l.startsWith("[PASS]")).count()).isEqualTo(6);
    }

    @Test
    void colourOnlyWhenAskedAndNeverCountedInTheWidth() {
        String coloured = Schemas.render(AuditFixtures.host(), ReportFormat.TABLE, options().withColor(true));
        assertThat(coloured).contains("\u001b[1;31m[FAIL]\u001b[0m 5.5 web").contains("\u001b[1;32m[PASS]\u001b[0m")
                .contains("\u001b[1;33m[WARN]\u001b[0m").contains("\u001b[1;34m[MANUAL]\u001b[0m")
                .contains("\u001b[2m[INFO]\u001b[0m").contains("\u001b[1;35m[ERROR]\u001b[0m");
        assertThat(coloured.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(table);
    }

    @Test
    void hostileTextCannotDriveTheTerminal() {
        AuditResult evil = new AuditResult("5.5\u001b[2J", "title\u001b]0;pwned\u0007", Severity.HIGH, 0, AuditStatus.FAIL,
                "web\u202e", "x", "evidence\u001b[31m red\r\nsecond", "fix\u001b[1A\n  indented\u0000", List.of());
        AuditReport r = new AuditReport("docker:\u001b[H", List.of(evil), List.of("w\u001b[1A"), null, null);
        String out = Schemas.render(r, ReportFormat.TABLE, options().withWidth(0));
        assertThat(out).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u202e").doesNotContain("\u0000")
                .doesNotContain("\r")
                .contains("[FAIL] 5.5?[2J web? title?]0;pwned?")
                .contains("       evidence?[31m red\n       second\n")
                .contains("       fix: fix?[1A\n              indented?\n")
                .contains("w?[1A");
    }

    @Test
    void anEmptyAudit() {
        List<String> none = Schemas.render(new AuditReport("Dockerfile", List.of(), List.of(), null, null), ReportFormat.TABLE,
                options()).lines().toList();
        assertThat(none).containsExactly("Target:   Dockerfile", "", "No checks ran.", "",
                "Checks: 0, FAIL 0, PASS 0, WARN 0, MANUAL 0, INFO 0, ERROR 0", "Score: n/a (no PASS or FAIL)");
    }
}
