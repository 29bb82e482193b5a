package dev.bulwark.audit.host;

import dev.bulwark.docker.DockerClient;
import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.AuditReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static dev.bulwark.audit.host.Results.expect;
import static dev.bulwark.model.AuditStatus.MANUAL;
import static dev.bulwark.model.AuditStatus.WARN;
import static dev.bulwark.model.AuditStatus.PASS;
import static dev.bulwark.model.AuditStatus.FAIL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sections 4.1 and 5 on the private dockerd: containers made with the docker CLI with each insecure setting
 * ({@code docker create} suffices: the inspect document holds the settings, and this machine cannot start privileged
 * containers), a hardened one, and running ones for what only a live container shows (sshd among its processes, a
 * root exec session). The auditor finds the daemon's command line in /proc by itself.
 */
class ContainerRuntimeIT {
    static final String RUN = "bwh" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    static final String LABEL = "dev.bulwark.test=" + RUN;
    static String host;
    static String image;
    static AuditReport report;
    static final List<String> created = new ArrayList<>();

    static String name(String what) {
        return RUN + "-" + what;
    }

    static void create(String what, String... flags) {
        List<String> args = new ArrayList<>(List.of("create", "--name", name(what), "--label", LABEL));
        args.addAll(List.of(flags));
        args.add(image);
        args.addAll(List.of("sleep", "600"));
        created.add(Cli.docker(host, args.toArray(String[]::new)));
    }

    @BeforeAll
    static void containers() throws Exception {
        TestComponents.requireDocker();
        host = TestComponents.dockerHost();
        image = TestComponents.bookwormImage();
        String sock = TestComponents.dockerSocket().toString();
        try {
            create("hardened", "--network", "none", "--read-only", "--cap-drop", "ALL", "--security-opt",
                "no-new-privileges", "--memory", "256m", "--cpus", "0.5", "--pids-limit", "100", "--restart",
                "on-failure:5", "-u", "1000", "--health-cmd", "true");
            create("default");
            create("privileged", "--privileged");
            create("caps", "--cap-add", "SYS_ADMIN", "--cap-add", "NET_ADMIN", "--cap-add", "SYS_MODULE", "--cap-add",
                "CHOWN");
            create("mounts", "-v", "/etc:/host/etc:ro", "-v", "/:/hostroot", "-v", sock + ":/var/run/docker.sock",
                "-v", "/tmp:/t:rshared");
            create("ports", "-p", "80:80", "-p", "127.0.0.1:8443:443");
            create("port-bound", "-p", "127.0.0.1:8080:80");
            create("hostns", "--network", "host", "--pid", "host", "--ipc", "host", "--uts", "host", "--userns", "host");
            create("misc", "--restart", "on-failure:10", "--device", "/dev/null:/dev/xnull", "--ulimit",
                "nofile=100:200", "--security-opt", "seccomp=unconfined", "--security-opt", "no-new-privileges=false",
                "--cgroup-parent", "/bulwark-test", "-u", "root", "--no-healthcheck");
            create("always", "--restart", "always");
            // running: a process named sshd, and a root exec session in a container of user 1000
            created.add(Cli.docker(host, "run", "-d", "--name", name("sshd"), "--label", LABEL, "--network", "none",
                image, "sh", "-c", "cp /bin/sleep /tmp/sshd && exec /tmp/sshd 600"));
            created.add(Cli.docker(host, "run", "-d", "--name", name("live"), "--label", LABEL, "--network", "none",
                "--read-only", "--cap-drop", "ALL", "-u", "1000", image, "sleep", "600"));
            Cli.docker(host, "exec", "-d", "-u", "0", name("live"), "sleep", "600");
            // the sshd copy must be in place before the audit lists processes
            for (int i = 0; i < 50 && !Cli.docker(host, "top", name("sshd")).contains("sshd"); i++) Thread.sleep(100);
            try (DockerClient docker = DockerClient.connect(host, Map.of())) {
                report = new HostAuditor(docker, HostView.local()).only(List.of("4.1", "5")).audit();
            }
        } catch (RuntimeException | Error e) {
            cleanUp();
            throw e;
        }
    }

    @AfterAll
    static void cleanUp() {
        String ids = Cli.docker(host, "ps", "-aq", "--filter", "label=" + LABEL);
        if (!ids.isBlank()) {
            List<String> args = new ArrayList<>(List.of("rm", "-f"));
            args.addAll(List.of(ids.split("\\s+")));
            Cli.docker(host, args.toArray(String[]::new));
        }
        assertThat(Cli.docker(host, "ps", "-aq", "--filter", "label=" + LABEL)).isEmpty();
    }

    @Test
    void theDaemonWasFoundInProc() {
        assertThat(report.warnings()).isEmpty();
    }

    @Test
    void theHardenedContainerPassesEveryAutomatedRuntimeCheck() {
        String h = name("hardened");
        for (String id : List.of("4.1", "5.4", "5.5", "5.6", "5.8", "5.10", "5.11", "5.12", "5.13", "5.14", "5.15",
            "5.16", "5.17", "5.18", "5.19", "5.20", "5.21", "5.22", "5.25", "5.26", "5.27", "5.29", "5.30", "5.31", "5.32")) {
            expect(report, id, h, PASS);
        }
        // created, never started: its processes cannot be listed
        expect(report, "5.7", h, WARN);
    }

    @Test
    void eachInsecureSettingIsFound() {
        String d = name("default");
        expect(report, "4.1", d, FAIL);
        for (String id : List.of("5.11", "5.12", "5.13", "5.26", "5.27", "5.29")) expect(report, id, d, FAIL);
        expect(report, "5.30", d, MANUAL);

        expect(report, "5.5", name("privileged"), FAIL);
        expect(report, "5.4", name("privileged"), FAIL);
        expect(report, "5.22", name("privileged"), FAIL);
        assertThat(expect(report, "5.4", name("caps"), FAIL).evidence()).contains("SYS_ADMIN", "NET_ADMIN", "SYS_MODULE")
            .doesNotContain("CHOWN");

        String m = name("mounts");
        assertThat(expect(report, "5.6", m, FAIL).evidence()).contains("/etc:/host/etc (read-only)", "/:/hostroot (read-write)");
        expect(report, "5.32", m, FAIL);
        expect(report, "5.20", m, FAIL);

        String p = name("ports");
        assertThat(expect(report, "5.8", p, FAIL).evidence()).contains(":80->80/tcp").doesNotContain("8443");
        assertThat(expect(report, "5.14", p, FAIL).evidence()).contains("0.0.0.0:80").doesNotContain("127.0.0.1");
        expect(report, "5.9", p, MANUAL);
        expect(report, "5.8", name("port-bound"), PASS);
        expect(report, "5.14", name("port-bound"), PASS);

        String n = name("hostns");
        for (String id : List.of("5.10", "5.16", "5.17", "5.21", "5.31")) expect(report, id, n, FAIL);

        String x = name("misc");
        expect(report, "4.1", x, FAIL);
        assertThat(expect(report, "5.15", x, FAIL).evidence()).contains("on-failure:10");
        expect(report, "5.15", name("always"), FAIL);
        expect(report, "5.18", x, MANUAL);
        expect(report, "5.19", x, MANUAL);
        expect(report, "5.22", x, FAIL);
        expect(report, "5.25", x, FAIL);
        expect(report, "5.26", x, FAIL);
        expect(report, "5.27", x, FAIL);
    }

    @Test
    void runningContainersShowTheirProcessesAndExecSessions() {
        assertThat(expect(report, "5.7", name("sshd"), FAIL).evidence()).contains("/tmp/sshd 600");
        expect(report, "5.7", name("live"), PASS);
        assertThat(expect(report, "5.24", name("live"), FAIL).evidence()).contains("--user 0 sleep 600");
        expect(report, "5.23", name("live"), PASS);
        expect(report, "5.24", name("hardened"), WARN);
    }

    @Test
    void everyContainerOfThisRunHasAVerdictOfEveryContainerCheck() {
        for (CheckInfo i : HostAuditor.catalogue()) {
            if (i.section() != 5 || !i.subjects().equals("container") || List.of("5.2", "5.3").contains(i.id())) continue;
            for (String what : List.of("hardened", "default", "privileged", "caps", "mounts", "ports", "port-bound",
                "hostns", "misc", "always", "sshd", "live")) {
                Results.one(report, i.id(), name(what));
            }
        }
        assertThat(report.results()).filteredOn(r -> r.subject().startsWith(RUN))
            .noneMatch(r -> r.status() == dev.bulwark.model.AuditStatus.ERROR);
    }
}
