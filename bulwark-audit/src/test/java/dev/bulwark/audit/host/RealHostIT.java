package dev.bulwark.audit.host;

import dev.bulwark.docker.DockerClient;
import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.bulwark.audit.host.Results.expect;
import static dev.bulwark.model.AuditStatus.INFO;
import static dev.bulwark.model.AuditStatus.PASS;
import static dev.bulwark.model.AuditStatus.FAIL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole catalogue on this machine: its real files, mounts, accounts and /proc, and the private dockerd. What the
 * audit says about files, groups and mounts is checked against coreutils stat, getent and findmnt.
 */
class RealHostIT {
    static AuditReport report;
    static long millis;

    @BeforeAll
    static void audit() throws Exception {
        TestComponents.requireDocker();
        try (DockerClient docker = DockerClient.connect(TestComponents.dockerHost(), Map.of())) {
            long t0 = System.nanoTime();
            report = new HostAuditor(docker, HostView.local()).audit();
            millis = (System.nanoTime() - t0) / 1_000_000;
        }
    }

    @Test
    void everyCheckGaveAVerdictAndNoneFailedToRun() {
        Set<String> ids = new TreeSet<>();
        for (AuditResult r : report.results()) ids.add(r.checkId());
        assertThat(ids).hasSize(HostAuditor.catalogue().size());
        assertThat(report.results()).filteredOn(r -> r.status() == AuditStatus.ERROR).isEmpty();
        assertThat(report.warnings()).isEmpty();
        assertThat(millis).as("a full audit of this host").isLessThan(20_000);
    }

    @Test
    void theDaemonsCommandLineCameFromProc() {
        // scripts/dockerd.sh: --bridge=none --iptables=false --userland-proxy=false, its own socket and daemon.json
        expect(report, "2.2", "daemon", INFO);
        assertThat(expect(report, "2.4", "daemon", FAIL).evidence()).contains("--iptables=false");
        assertThat(expect(report, "2.16", "daemon", PASS).evidence()).contains("--userland-proxy=false");
        String sock = TestComponents.dockerSocket().toString();
        expect(report, "3.15", sock, Results.one(report, "3.15", sock).status());
        expect(report, "3.17", TestComponents.work().resolve("dockerd/daemon.json").toString(), PASS);
    }

    private static final Pattern STAT = Pattern.compile("mode (\\d{4}) owner \\S+ \\(uid (\\d+), gid (\\d+)\\)");

    @Test
    void modesAndOwnersAgreeWithCoreutilsStat() {
        int compared = 0;
        for (AuditResult r : report.results()) {
            if (!r.checkId().startsWith("3.") || r.status() == INFO || !r.location().startsWith("/")) continue;
            Matcher m = STAT.matcher(r.evidence());
            if (!m.find()) continue;
            Cli.Result s = Cli.run(Map.of(), null, 10, List.of("stat", "-L", "-c", "%04a %u %g", r.location()));
            assertThat(s.exit()).as(s.err()).isZero();
            assertThat(m.group(1) + " " + m.group(2) + " " + m.group(3)).as(r.checkId() + " " + r.location())
                .isEqualTo(s.out().strip());
            compared++;
        }
        assertThat(compared).isGreaterThanOrEqualTo(10);
    }

    @Test
    void dockerGroupAgreesWithGetent() {
        Cli.Result g = Cli.run(Map.of(), null, 10, List.of("getent", "group", "docker"));
        AuditResult r = Results.one(report, "1.1.2", "host");
        if (g.exit() != 0) {
            assertThat(r.status()).isEqualTo(PASS);
            return;
        }
        String[] f = g.out().strip().split(":", -1);
        String members = f.length > 3 ? f[3] : "";
        // /etc/passwd users with docker as primary group count too, which getent group does not list
        for (String u : members.split(",")) {
            if (!u.isBlank()) assertThat(r.evidence()).contains(u);
        }
        if (members.isBlank() && r.status() == PASS) assertThat(r.evidence()).contains("no members");
    }

    @Test
    void partitionVerdictAgreesWithFindmnt() {
        String root = TestComponents.work().resolve("dockerd/data").toString();
        AuditResult r = Results.one(report, "1.1.1", "host");
        Cli.Result fm = Cli.run(Map.of(), null, 10, List.of("findmnt", "-n", "-o", "SOURCE", "--mountpoint", root));
        if (fm.exit() != 0) {
            // not a mount point at all
            assertThat(r.status()).isEqualTo(FAIL);
            assertThat(r.evidence()).contains("is not a mount point");
        } else if (fm.out().contains("[")) {
            // findmnt shows a bind mount as SOURCE[/subtree]: the same filesystem, not a partition of its own
            assertThat(r.status()).isEqualTo(FAIL);
            assertThat(r.evidence()).contains("bind mount");
        } else {
            assertThat(r.status()).isEqualTo(PASS);
        }
    }

    @Test
    void auditRulesAgreeWithTheFilesOnDisk() throws Exception {
        boolean anyRules = Files.exists(Path.of("/etc/audit/audit.rules"))
            || (Files.isDirectory(Path.of("/etc/audit/rules.d")) && Files.list(Path.of("/etc/audit/rules.d")).findAny().isPresent());
        AuditResult r = Results.of(report, "1.1.6").getFirst();
        if (!anyRules && Files.isDirectory(Path.of("/etc/docker"))) {
            assertThat(r.status()).isEqualTo(FAIL);
            assertThat(r.fix()).isEqualTo("echo '-w /etc/docker -k docker' >> /etc/audit/rules.d/docker.rules && augenrules --load");
        }
    }
}
