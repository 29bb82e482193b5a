package dev.bulwark.audit.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.docker.DockerClient;
import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.bulwark.audit.host.FakeEngine.JSON;
import static dev.bulwark.audit.host.FakeEngine.object;
import static dev.bulwark.audit.host.FakeEngine.resource;
import static dev.bulwark.audit.host.Results.expect;
import static dev.bulwark.model.AuditStatus.ERROR;
import static dev.bulwark.model.AuditStatus.MANUAL;
import static dev.bulwark.model.AuditStatus.WARN;
import static dev.bulwark.model.AuditStatus.INFO;
import static dev.bulwark.model.AuditStatus.PASS;
import static dev.bulwark.model.AuditStatus.FAIL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sections 2, 4, 5, 6 and 7 on Engine API documents captured from the private dockerd (and, for what this machine
 * cannot run — swarm mode, aufs, authorization plugins, rootless — documents edited from them).
 */
class EngineDocumentsTest {
    static final List<String> PRIVATE_DOCKERD = List.of("dockerd", "--config-file", "/etc/docker/daemon.json",
        "--data-root", "/srv/bulwark/.bulwark-work/dockerd/data", "-H", "unix:///srv/bulwark/.bulwark-work/dockerd/docker.sock",
        "--iptables=false", "--ip-masq=false", "--ip-forward=false", "--bridge=none", "--userland-proxy=false");

    @TempDir
    Path root;
    @TempDir
    Path engineDir;
    private FakeEngine engine;
    private DockerClient docker;

    @BeforeEach
    void start() throws Exception {
        engine = FakeEngine.privateDaemon(engineDir);
        docker = DockerClient.connect(engine.host(), Map.of());
        Files.createDirectories(root.resolve("etc/docker"));
        Files.writeString(root.resolve("etc/docker/daemon.json"), "{}");
    }

    @AfterEach
    void stop() throws IOException {
        docker.close();
        engine.close();
    }

    private AuditReport audit(List<String> cmdline, String... only) {
        HostView v = new HostView(root, cmdline, null, Map.of(), Set.of(), true);
        return new HostAuditor(docker, v).only(List.of(only)).audit();
    }

    private void daemonJson(String json) throws IOException {
        Files.writeString(root.resolve("etc/docker/daemon.json"), json);
    }

    // ------------------------------------------------------------------ section 5

    @Test
    void containersCreatedWithInsecureSettingsWarnAndTheHardenedOnePasses() {
        JsonNode running = resource("inspect-sample-running.json");
        engine.containers(resource("inspect-bwfix-loose-net.json"), resource("inspect-bwfix-loose-ns.json"),
            resource("inspect-bwfix-hardened.json"), resource("inspect-sample-privileged-created.json"), running);
        engine.route("/containers/" + running.get(0).path("Id").asText() + "/top",
            "{\"Processes\":[[\"1000\",\"10789\",\"10768\",\"0\",\"09:47\",\"?\",\"00:00:00\",\"sleep 600\"]],"
                + "\"Titles\":[\"UID\",\"PID\",\"PPID\",\"C\",\"STIME\",\"TTY\",\"TIME\",\"CMD\"]}");
        AuditReport r = audit(PRIVATE_DOCKERD, "4.1", "5");
        String net = "bwfix-loose-net", ns = "bwfix-loose-ns", hard = "bwfix-hardened", priv = "priv-created",
            run = "inspect-sample";

        expect(r, "4.1", net, FAIL);
        expect(r, "4.1", ns, FAIL);
        expect(r, "4.1", hard, PASS);
        expect(r, "4.1", run, PASS);
        // AppArmor and SELinux are off on this host: one INFO each, not a FAIL per container
        expect(r, "5.2", "host", INFO);
        expect(r, "5.3", "host", INFO);
        assertThat(expect(r, "5.4", net, FAIL).evidence()).contains("SYS_ADMIN").doesNotContain("NET_BIND_SERVICE,");
        expect(r, "5.4", priv, FAIL);
        expect(r, "5.4", hard, PASS);
        // CAP_NET_BIND_SERVICE is one of Docker's defaults
        expect(r, "5.4", run, PASS);
        expect(r, "5.5", priv, FAIL);
        expect(r, "5.5", net, PASS);
        assertThat(expect(r, "5.6", net, FAIL).evidence()).contains("/etc:/hostetc (read-only)", "/:/host (read-write)");
        expect(r, "5.6", hard, PASS);
        expect(r, "5.7", run, PASS);
        expect(r, "5.7", hard, WARN);
        assertThat(expect(r, "5.8", net, FAIL).evidence()).contains("0.0.0.0:80->80/tcp").doesNotContain("8443");
        expect(r, "5.8", hard, PASS);
        expect(r, "5.9", net, MANUAL);
        expect(r, "5.9", hard, PASS);
        expect(r, "5.10", ns, FAIL);
        expect(r, "5.10", net, PASS);
        expect(r, "5.11", net, FAIL);
        expect(r, "5.11", hard, PASS);
        expect(r, "5.12", net, FAIL);
        expect(r, "5.12", hard, PASS);
        expect(r, "5.13", net, FAIL);
        expect(r, "5.13", hard, PASS);
        assertThat(expect(r, "5.14", net, FAIL).evidence()).contains("0.0.0.0:80").doesNotContain("127.0.0.1");
        expect(r, "5.14", hard, PASS);
        expect(r, "5.15", net, FAIL);
        assertThat(expect(r, "5.15", ns, FAIL).evidence()).contains("unlimited");
        expect(r, "5.15", hard, PASS);
        expect(r, "5.15", run, PASS);
        expect(r, "5.16", ns, FAIL);
        expect(r, "5.17", ns, FAIL);
        expect(r, "5.17", hard, PASS);
        expect(r, "5.18", net, MANUAL);
        expect(r, "5.18", priv, MANUAL);
        expect(r, "5.18", hard, PASS);
        expect(r, "5.19", net, MANUAL);
        expect(r, "5.19", hard, PASS);
        expect(r, "5.20", net, FAIL);
        expect(r, "5.20", hard, PASS);
        expect(r, "5.21", ns, FAIL);
        expect(r, "5.22", net, FAIL);
        expect(r, "5.22", priv, FAIL);
        assertThat(expect(r, "5.22", run, PASS).evidence()).contains("custom");
        expect(r, "5.22", hard, PASS);
        expect(r, "5.25", net, FAIL);
        expect(r, "5.25", hard, PASS);
        expect(r, "5.26", ns, FAIL);
        expect(r, "5.26", net, FAIL);
        expect(r, "5.26", hard, PASS);
        expect(r, "5.27", ns, FAIL);
        expect(r, "5.27", hard, PASS);
        expect(r, "5.28", hard, MANUAL);
        expect(r, "5.29", net, FAIL);
        expect(r, "5.29", hard, PASS);
        expect(r, "5.30", net, MANUAL);
        expect(r, "5.30", hard, PASS);
        expect(r, "5.31", ns, FAIL);
        expect(r, "5.31", hard, PASS);
        assertThat(expect(r, "5.32", net, FAIL).evidence()).contains("docker.sock:/var/run/docker.sock");
        expect(r, "5.32", hard, PASS);
        // every container got a verdict from every per-container check
        for (CheckInfo i : HostAuditor.catalogue()) {
            if (i.section() == 5 && i.subjects().equals("container") && !List.of("5.2", "5.3").contains(i.id())) {
                assertThat(Results.of(r, i.id())).as(i.id()).hasSize(5);
            }
        }
        assertThat(r.results()).noneMatch(x -> x.status() == ERROR);
    }

    @Test
    void sshdIsFoundAmongTheProcessesOfARunningContainer() {
        ObjectNode c = object("inspect-sample-running.json");
        engine.containers(c);
        engine.route("/containers/" + c.path("Id").asText() + "/top", "{\"Processes\":[[\"root\",\"1\",\"0\",\"0\","
            + "\"09:47\",\"?\",\"00:00:00\",\"/usr/sbin/sshd -D\"],[\"root\",\"20\",\"1\",\"0\",\"09:48\",\"?\","
            + "\"00:00:00\",\"sshd: root@pts/0\"]],\"Titles\":[\"UID\",\"PID\",\"PPID\",\"C\",\"STIME\",\"TTY\",\"TIME\",\"CMD\"]}");
        assertThat(expect(audit(PRIVATE_DOCKERD, "5.7"), "5.7", "inspect-sample", FAIL).evidence()).contains("/usr/sbin/sshd -D");
    }

    @Test
    void execInstancesOfARunningContainer() {
        ObjectNode c = object("inspect-sample-running.json");
        JsonNode exec = resource("exec-user-root.json");
        String id = exec.path("ID").asText();
        c.putArray("ExecIDs").add(id);
        engine.containers(c);
        engine.route("/exec/" + id + "/json", exec);
        AuditReport r = audit(PRIVATE_DOCKERD, "5.23", "5.24");
        expect(r, "5.23", "inspect-sample", PASS);
        assertThat(expect(r, "5.24", "inspect-sample", FAIL).evidence()).contains("--user 0 sleep 60");

        ObjectNode privileged = exec.deepCopy();
        ((ObjectNode) privileged.path("ProcessConfig")).put("privileged", true).put("user", "");
        engine.route("/exec/" + id + "/json", privileged);
        r = audit(PRIVATE_DOCKERD, "5.23", "5.24");
        expect(r, "5.23", "inspect-sample", FAIL);
        expect(r, "5.24", "inspect-sample", PASS);
    }

    @Test
    void noContainersGivesOneNotePerCheck() {
        AuditReport r = audit(PRIVATE_DOCKERD, "5");
        expect(r, "5.1", "daemon", PASS);
        expect(r, "5.5", "containers", INFO);
        expect(r, "5.32", "containers", INFO);
    }

    @Test
    void daemonWideNoNewPrivilegesCoversContainersWithoutTheOption() throws IOException {
        daemonJson("{\"no-new-privileges\": true}");
        engine.containers(resource("inspect-bwfix-loose-net.json"), resource("inspect-bwfix-loose-ns.json"));
        AuditReport r = audit(PRIVATE_DOCKERD, "2.14", "5.26");
        expect(r, "2.14", "daemon", PASS);
        assertThat(expect(r, "5.26", "bwfix-loose-net", PASS).evidence()).contains("daemon");
        // an explicit no-new-privileges=false on the container overrides the daemon
        expect(r, "5.26", "bwfix-loose-ns", FAIL);
    }

    // ------------------------------------------------------------------ section 2

    @Test
    void thePrivateDockerd() {
        AuditReport r = audit(PRIVATE_DOCKERD, "2");
        expect(r, "2.1", "daemon", MANUAL);
        // --bridge=none: there is no default bridge to restrict
        expect(r, "2.2", "daemon", INFO);
        expect(r, "2.3", "daemon", PASS);
        assertThat(expect(r, "2.4", "daemon", FAIL).evidence()).contains("--iptables=false");
        expect(r, "2.5", "daemon", PASS);
        expect(r, "2.6", "daemon", PASS);
        expect(r, "2.7", "daemon", INFO);
        expect(r, "2.8", "daemon", MANUAL);
        expect(r, "2.9", "daemon", FAIL);
        expect(r, "2.10", "daemon", PASS);
        expect(r, "2.11", "daemon", PASS);
        expect(r, "2.12", "daemon", FAIL);
        expect(r, "2.13", "daemon", FAIL);
        expect(r, "2.14", "daemon", FAIL);
        expect(r, "2.15", "daemon", FAIL);
        expect(r, "2.16", "daemon", PASS);
        expect(r, "2.17", "daemon", PASS);
        expect(r, "2.18", "daemon", PASS);
        expect(r, Catalogue.DEVICEMAPPER, "daemon", PASS);
        assertThat(Results.one(r, "2.14", "daemon").fix()).contains("\"no-new-privileges\": true", "/etc/docker/daemon.json");
    }

    @Test
    void aHardenedVariant() throws IOException {
        daemonJson("""
            {"iptables": true, "ip-masq": false, "ip-forward": false, "icc": false, "userns-remap": "nobody:nogroup",
             "live-restore": true, "no-new-privileges": true, "userland-proxy": false, "log-level": "info",
             "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 2048, "Soft": 1024}}, "experimental": false}
            """);
        engine.route("/info", resource("info-variant-hardened.json"));
        engine.route("/networks", resource("networks-variant-hardened.json"));
        AuditReport r = audit(List.of("dockerd", "--config-file", "/etc/docker/daemon.json", "-H", "unix:///x.sock"), "2");
        assertThat(expect(r, "2.2", "daemon", PASS).evidence()).contains("enable_icc=false");
        expect(r, "2.3", "daemon", PASS);
        expect(r, "2.4", "daemon", PASS);
        assertThat(expect(r, "2.8", "daemon", PASS).evidence()).contains("nofile=1024:2048");
        expect(r, "2.9", "daemon", PASS);
        expect(r, "2.14", "daemon", PASS);
        expect(r, "2.15", "daemon", PASS);
        expect(r, "2.16", "daemon", PASS);
    }

    @Test
    void aLooseVariantListeningOnTcp() throws IOException {
        daemonJson("""
            {"iptables": false, "bridge": "none", "log-level": "debug", "insecure-registries": ["10.1.2.3:5000"],
             "experimental": true, "cgroup-parent": "/bulwark-test", "storage-opts": ["dm.basesize=20G"],
             "log-driver": "syslog", "log-opts": {"syslog-address": "udp://127.0.0.1:514"},
             "seccomp-profile": "/work/shared/samples/seccomp-deny-socket.json"}
            """);
        engine.route("/info", resource("info-variant-loose.json"));
        engine.route("/version", resource("version-variant-loose.json"));
        AuditReport r = audit(List.of("dockerd", "-H", "unix:///x.sock", "-H", "tcp://127.0.0.1:2375"), "2");
        expect(r, "2.2", "daemon", INFO);
        assertThat(expect(r, "2.3", "daemon", FAIL).evidence()).contains("debug");
        assertThat(expect(r, "2.5", "daemon", FAIL).evidence()).contains("10.1.2.3:5000");
        assertThat(expect(r, "2.7", "daemon", FAIL).evidence()).contains("tcp://127.0.0.1:2375", "without TLS");
        expect(r, "2.10", "daemon", FAIL);
        expect(r, "2.11", "daemon", FAIL);
        assertThat(expect(r, "2.13", "daemon", PASS).evidence()).contains("syslog");
        assertThat(expect(r, "2.17", "daemon", PASS).evidence()).contains("custom");
        expect(r, "2.18", "daemon", FAIL);
    }

    @Test
    void tlsWithoutVerificationIsAWarning() {
        AuditReport r = audit(List.of("dockerd", "-H", "tcp://0.0.0.0:2376", "--tls", "--tlscert=/c.pem", "--tlskey=/k.pem"),
            "2.7", "3.11");
        assertThat(expect(r, "2.7", "daemon", FAIL).evidence()).contains("without client verification");
        expect(r, "3.11", "/c.pem", INFO);
    }

    @Test
    void whatThisMachineCannotRun() throws IOException {
        ObjectNode info = object("info-private.json");
        info.put("Driver", "aufs");
        info.put("LoggingDriver", "journald");
        info.put("Debug", true);
        ((ObjectNode) info.path("Plugins")).putArray("Authorization").add("authz-broker");
        ArrayNode sec = info.putArray("SecurityOptions");
        sec.add("name=seccomp,profile=unconfined").add("name=rootless").add("name=apparmor").add("name=selinux");
        engine.route("/info", info);
        AuditReport r = audit(PRIVATE_DOCKERD, "2");
        expect(r, "2.1", "daemon", PASS);
        expect(r, "2.3", "daemon", FAIL);
        expect(r, "2.6", "daemon", FAIL);
        expect(r, "2.9", "daemon", PASS);
        assertThat(expect(r, "2.12", "daemon", PASS).evidence()).contains("authz-broker");
        expect(r, "2.13", "daemon", WARN);
        expect(r, "2.17", "daemon", FAIL);

        info.put("Driver", "devicemapper");
        engine.route("/info", info);
        engine.containers(resource("inspect-bwfix-hardened.json"), resource("inspect-sample-privileged-created.json"));
        r = audit(PRIVATE_DOCKERD, "2.6", Catalogue.DEVICEMAPPER, "5.2", "5.3");
        expect(r, "2.6", "daemon", PASS);
        expect(r, Catalogue.DEVICEMAPPER, "daemon", FAIL);
        // with AppArmor and SELinux on, containers without a profile or label are findings
        expect(r, "5.2", "bwfix-hardened", FAIL);
        expect(r, "5.3", "bwfix-hardened", FAIL);
        // --privileged sets label=disable
        assertThat(expect(r, "5.3", "priv-created", FAIL).evidence()).contains("label=disable");
    }

    // ------------------------------------------------------------------ section 4

    @Test
    void imagesOfThePrivateDaemonAndAnEditedOne() {
        ObjectNode bad = object("image-app.json");
        bad.put("Id", "sha256:" + "ab".repeat(32));
        bad.putArray("RepoTags").add("example/bad:1");
        ObjectNode cfg = (ObjectNode) bad.path("Config");
        cfg.put("User", "10001");
        cfg.putObject("Healthcheck").putArray("Test").add("CMD").add("/app/bin/healthy");
        cfg.putArray("Env").add("PATH=/usr/bin").add("DB_PASSWORD=hunter2").add("API_TOKEN_FILE=/run/secrets/t");
        ArrayNode history = JSON.createArrayNode();
        history.addObject().put("CreatedBy", "/bin/sh -c apt-get update");
        history.addObject().put("CreatedBy", "/bin/sh -c #(nop) ADD https://example.com/app.tgz /app/");
        history.addObject().put("CreatedBy", "/bin/sh -c apt-get update && apt-get install -y curl");
        history.addObject().put("CreatedBy", "/bin/sh -c #(nop) ADD file:abc in / ");
        engine.images(List.of(resource("image-app.json"), resource("image-bookworm.json"), bad),
            List.of(resource("history-app.json"), resource("history-bookworm.json"), history));
        AuditReport r = audit(PRIVATE_DOCKERD, "4");
        expect(r, "4.1", "bulwark-test/app:1", FAIL);
        expect(r, "4.1", "example/bad:1", PASS);
        expect(r, "4.6", "bulwark-test/bookworm:12", FAIL);
        expect(r, "4.6", "example/bad:1", PASS);
        expect(r, "4.7", "bulwark-test/app:1", PASS);
        assertThat(expect(r, "4.7", "example/bad:1", FAIL).evidence()).contains("apt-get update").doesNotContain("curl");
        expect(r, "4.9", "bulwark-test/app:1", PASS);
        // the base layer's ADD (last history entry) does not count
        assertThat(expect(r, "4.9", "example/bad:1", MANUAL).evidence()).contains("https://example.com/app.tgz")
            .doesNotContain("file:abc");
        assertThat(expect(r, "4.10", "example/bad:1", FAIL).evidence()).contains("DB_PASSWORD").doesNotContain("API_TOKEN_FILE");
        expect(r, "4.10", "bulwark-test/app:1", MANUAL);
        expect(r, "4.2", "host", MANUAL);
        expect(r, "4.5", "host", FAIL);
        // 4.5 reads the auditing environment too
        HostView v = new HostView(root, PRIVATE_DOCKERD, null, Map.of("DOCKER_CONTENT_TRUST", "1"), Set.of(), true);
        expect(new HostAuditor(docker, v).only(List.of("4.5")).audit(), "4.5", "host", PASS);
    }

    // ------------------------------------------------------------------ sections 6 and 7

    @Test
    void sprawlAndAnInactiveSwarm() {
        engine.containers(resource("inspect-bwfix-hardened.json"));
        engine.images(List.of(resource("image-app.json"), resource("image-bookworm.json")), List.of());
        AuditReport r = audit(PRIVATE_DOCKERD, "6", "7");
        assertThat(expect(r, "6.1", "daemon", MANUAL).evidence()).isEqualTo("2 images, 1 used by containers, 0 untagged");
        expect(r, "6.2", "daemon", MANUAL);
        for (int i = 1; i <= 9; i++) expect(r, "7." + i, "daemon", INFO);
    }

    @Test
    void anActiveSwarmManager() throws IOException {
        ObjectNode info = object("info-private.json");
        ObjectNode swarm = info.putObject("Swarm");
        swarm.put("LocalNodeState", "active").put("ControlAvailable", true).put("Managers", 2).put("Nodes", 3)
            .put("NodeAddr", "10.0.0.5");
        engine.route("/info", info);
        engine.route("/swarm", "{\"Spec\":{\"EncryptionConfig\":{\"AutoLockManagers\":false},"
            + "\"CAConfig\":{\"NodeCertExpiry\":172800000000000}}}");
        engine.route("/secrets", "[]");
        ArrayNode nets = (ArrayNode) resource("networks-private.json").deepCopy();
        nets.addObject().put("Name", "app").put("Driver", "overlay").putObject("Options");
        nets.addObject().put("Name", "vault").put("Driver", "overlay").putObject("Options").put("encrypted", "");
        engine.route("/networks", nets);
        Files.createDirectories(root.resolve("proc/net"));
        Files.writeString(root.resolve("proc/net/tcp"), """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000:0951 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
            """);
        AuditReport r = audit(PRIVATE_DOCKERD, "2.15", "5.1", "7");
        expect(r, "2.15", "daemon", INFO);
        expect(r, "5.1", "daemon", FAIL);
        assertThat(expect(r, "7.1", "daemon", FAIL).evidence()).contains("2 manager(s) of 3");
        assertThat(expect(r, "7.2", "daemon", FAIL).evidence()).contains("0.0.0.0:2377");
        assertThat(expect(r, "7.3", "daemon", FAIL).evidence()).contains("app").doesNotContain("vault");
        expect(r, "7.4", "daemon", MANUAL);
        expect(r, "7.5", "daemon", FAIL);
        expect(r, "7.6", "daemon", MANUAL);
        assertThat(expect(r, "7.7", "daemon", MANUAL).evidence()).contains("48h");
        expect(r, "7.8", "daemon", MANUAL);
        expect(r, "7.9", "daemon", MANUAL);
    }

    // ------------------------------------------------------------------ the facade

    @Test
    void selectorsScoresAndReport() {
        engine.containers(resource("inspect-bwfix-hardened.json"), resource("inspect-bwfix-loose-net.json"));
        HostView v = new HostView(root, PRIVATE_DOCKERD, null, Map.of(), Set.of(), true);
        AuditReport r = new HostAuditor(docker, v).only(List.of("5", "2.2")).skip(List.of("5.2", "5.3")).audit();
        assertThat(r.results()).extracting(AuditResult::checkId).contains("2.2", "5.1", "5.32")
            .doesNotContain("5.2", "5.3", "2.20", "1.1.1");
        assertThat(r.target()).isEqualTo("docker:" + engine.host());
        assertThat(r.tool()).isEqualTo(HostAuditor.TOOL);
        List<SectionScore> s = HostAuditor.scores(r);
        SectionScore five = s.stream().filter(x -> x.section() == 5).findFirst().orElseThrow();
        // worst verdict per check: the loose container makes most section-5 checks FAIL
        assertThat(five.pass() + five.fail() + five.warn() + five.manual() + five.info() + five.error()).isEqualTo(30);
        assertThat(five.score()).isEqualTo(five.pass() - five.fail());
        // 5.4, 5.6, 5.8, 5.11-5.15, 5.20, 5.22, 5.25-5.27, 5.29, 5.32
        assertThat(five.fail()).isEqualTo(15);
        // results follow the catalogue, then the subjects in name order
        List<String> ids = r.results().stream().map(AuditResult::checkId).distinct().toList();
        List<String> order = HostAuditor.catalogue().stream().map(CheckInfo::id).filter(ids::contains).toList();
        assertThat(ids).isEqualTo(order);
        assertThat(Results.of(r, "5.5")).extracting(AuditResult::subject).containsExactly("bwfix-hardened", "bwfix-loose-net");
        for (AuditResult x : r.results()) {
            assertThat(x.references()).first().asString().startsWith("CIS Docker Benchmark v1.");
            if (x.status() == AuditStatus.PASS) assertThat(x.fix()).isEmpty();
        }
    }

    @Test
    void anUnreachableDaemonGivesErrorsNotExceptions() throws IOException {
        engine.close();
        AuditReport r = audit(PRIVATE_DOCKERD, "2.2", "5.5", "3.5");
        assertThat(Results.of(r, "2.2")).extracting(AuditResult::status).containsExactly(ERROR);
        assertThat(Results.of(r, "5.5")).extracting(AuditResult::status).containsExactly(ERROR);
        // host files need no daemon
        expect(r, "3.5", "/etc/docker", PASS);
        assertThat(r.warnings()).anyMatch(w -> w.contains("did not answer"));
    }
}
