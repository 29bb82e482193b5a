package dev.bulwark.audit.host;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.docker.DockerClient;
import dev.bulwark.model.AuditReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.bulwark.audit.host.Results.expect;
import static dev.bulwark.model.AuditStatus.MANUAL;
import static dev.bulwark.model.AuditStatus.WARN;
import static dev.bulwark.model.AuditStatus.INFO;
import static dev.bulwark.model.AuditStatus.PASS;
import static dev.bulwark.model.AuditStatus.FAIL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sections 1 and 3 (and 4.5) against a fixture root: a directory laid out like a host, with files of wrong and right
 * modes and owners, real unix sockets, symlinks that must resolve inside the root, audit rules, a mount table and a
 * /proc holding two dockerd processes. The Engine API is {@link FakeEngine} with the private dockerd's /info.
 */
class HostFixtureTest {
    @TempDir
    Path root;
    @TempDir
    Path engineDir;

    private FakeEngine engine;
    private DockerClient docker;
    private final List<ServerSocketChannel> sockets = new ArrayList<>();

    @BeforeEach
    void fixture() throws Exception {
        assertThat(System.getProperty("user.name")).as("the host fixture chowns files: run the tests as root, as "
            + "scripts/test-all.sh does").isEqualTo("root");
        write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n"
            + "bob:x:1001:1001::/home/bob:/bin/sh\ncarol:x:1002:999::/home/carol:/bin/sh\n", "644", 0, 0);
        write("etc/group", "root:x:0:\ndocker:x:999:alice,bob\nalice:x:1000:\n", "644", 0, 0);
        write("etc/environment", "PATH=\"/usr/bin\"\nDOCKER_CONTENT_TRUST=1\n", "644", 0, 0);
        dir("etc/docker", "777", 1000, 0);
        write("etc/docker/daemon.json", """
            {"icc": false, "tlsverify": true, "tlscacert": "/etc/docker/tls/ca.pem",
             "tlscert": "/etc/docker/tls/cert.pem", "tlskey": "/etc/docker/tls/key.pem", "live-restore": true}
            """, "664", 0, 0);
        dir("etc/docker/tls", "755", 0, 0);
        write("etc/docker/tls/ca.pem", "CA", "444", 0, 0);
        write("etc/docker/tls/cert.pem", "CERT", "644", 1000, 0);
        write("etc/docker/tls/key.pem", "KEY", "400", 0, 0);
        dir("etc/docker/certs.d/registry.example:5000", "755", 0, 0);
        write("etc/docker/certs.d/registry.example:5000/ca.crt", "CA", "444", 0, 0);
        write("etc/docker/certs.d/registry.example:5000/client.cert", "CERT", "644", 0, 0);
        write("etc/docker/certs.d/registry.example:5000/client.key", "KEY", "400", 1000, 0);
        // 0477 is "less than 644" as a number (docker-bench's test) but grants group and others write
        write("etc/default/docker", "DOCKER_OPTS=\n", "477", 0, 0);
        write("lib/systemd/system/docker.service", "[Service]\nExecStart=/usr/bin/dockerd -H fd://\n", "644", 0, 0);
        write("lib/systemd/system/docker.socket", "[Socket]\nListenStream=/run/docker.sock\nListenStream=0.0.0.0:2376\n"
            + "SocketMode=0660\n", "664", 0, 1000);
        Files.createDirectories(root.resolve("etc/systemd/system"));
        // an absolute link: must resolve to <root>/lib/..., not to the machine's /lib
        Files.createSymbolicLink(root.resolve("etc/systemd/system/docker.service"), Path.of("/lib/systemd/system/docker.service"));
        dir("run", "755", 0, 0);
        Files.createDirectories(root.resolve("var"));
        Files.createSymbolicLink(root.resolve("var/run"), Path.of("/run"));
        socket("run/docker.sock", "666", 0, 999);
        dir("run/containerd", "711", 0, 0);
        socket("run/containerd/containerd.sock", "660", 0, 0);
        write("usr/bin/dockerd", "ELF", "755", 0, 0);
        write("usr/bin/containerd", "ELF", "755", 0, 0);
        write("usr/sbin/runc", "ELF", "755", 0, 0);
        Files.createSymbolicLink(root.resolve("usr/bin/runc"), Path.of("../sbin/runc"));
        dir("var/lib/docker", "710", 0, 0);
        dir("etc/audit/rules.d", "750", 0, 0);
        write("etc/audit/rules.d/docker.rules", """
            -w /usr/bin/dockerd -k docker
            -a exit,always -F path=/run/containerd -F perm=war -k docker
            -w /etc/docker -k docker
            -w /usr/sbin/runc -k docker
            -a exit,never -F dir=/var/lib/docker/overlay2
            """, "640", 0, 0);
        write("proc/self/mountinfo", """
            22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
            70 22 254:16 / /var/lib/docker rw,relatime shared:30 - ext4 /dev/vdb1 rw
            """, "444", 0, 0);
        // two daemons: pid 5000 has another data-root; pid 4242 is the audited one (DockerRootDir /var/lib/docker)
        proc(5000, List.of("dockerd", "--data-root", "/srv/other", "-H", "unix:///srv/other.sock"), 0);
        proc(4242, List.of("/usr/bin/dockerd", "-H", "fd://", "--containerd=/run/containerd/containerd.sock"), 0);

        engine = FakeEngine.privateDaemon(engineDir);
        ObjectNode info = FakeEngine.object("info-private.json");
        info.put("DockerRootDir", "/var/lib/docker");
        engine.route("/info", info);
        docker = DockerClient.connect(engine.host(), Map.of());
    }

    @AfterEach
    void close() throws IOException {
        for (ServerSocketChannel s : sockets) s.close();
        if (docker != null) docker.close();
        if (engine != null) engine.close();
    }

    private AuditReport audit(HostView view) {
        return new HostAuditor(docker, view).only(List.of("1", "2.7", "3", "4.5")).audit();
    }

    private HostView view() {
        return new HostView(root, null, null, Map.of(), Set.of("alice"), true);
    }

    @Test
    void findsTheDaemonInProcByItsDataRootAndReadsItsDefaultDaemonJson() {
        AuditReport r = audit(view());
        assertThat(r.warnings()).isEmpty();
        // daemon.json of the fixture is the default /etc/docker/daemon.json (no --config-file)
        expect(r, "3.17", "/etc/docker/daemon.json", PASS);
        // fd:// → the sockets of docker.socket: /run/docker.sock, and TCP 0.0.0.0:2376 with tlsverify
        expect(r, "2.7", "daemon", PASS).evidence().contains("0.0.0.0:2376");
        expect(r, "3.15", "/run/docker.sock", PASS);
    }

    @Test
    void section3ModesAndOwnersBitByBit() {
        AuditReport r = audit(view());
        expect(r, "3.1", "/etc/systemd/system/docker.service", PASS);
        assertThat(expect(r, "3.2", "/etc/systemd/system/docker.service", PASS).evidence())
            .contains("-> /lib/systemd/system/docker.service");
        expect(r, "3.3", "/lib/systemd/system/docker.socket", FAIL);
        assertThat(expect(r, "3.4", "/lib/systemd/system/docker.socket", FAIL).fix())
            .isEqualTo("chmod 644 /lib/systemd/system/docker.socket");
        assertThat(expect(r, "3.5", "/etc/docker", FAIL).fix()).isEqualTo("chown root:root /etc/docker");
        assertThat(expect(r, "3.6", "/etc/docker", FAIL).evidence()).contains("mode 0777");
        expect(r, "3.7", "/etc/docker/certs.d/registry.example:5000/ca.crt", PASS);
        expect(r, "3.7", "/etc/docker/certs.d/registry.example:5000/client.key", FAIL);
        expect(r, "3.8", "/etc/docker/certs.d/registry.example:5000/ca.crt", PASS);
        expect(r, "3.8", "/etc/docker/certs.d/registry.example:5000/client.cert", FAIL);
        expect(r, "3.8", "/etc/docker/certs.d/registry.example:5000/client.key", PASS);
        expect(r, "3.9", "/etc/docker/tls/ca.pem", PASS);
        expect(r, "3.10", "/etc/docker/tls/ca.pem", PASS);
        expect(r, "3.11", "/etc/docker/tls/cert.pem", FAIL);
        expect(r, "3.12", "/etc/docker/tls/cert.pem", FAIL);
        expect(r, "3.13", "/etc/docker/tls/key.pem", PASS);
        expect(r, "3.14", "/etc/docker/tls/key.pem", PASS);
        expect(r, "3.15", "/run/docker.sock", PASS);
        assertThat(expect(r, "3.16", "/run/docker.sock", FAIL).fix()).isEqualTo("chmod 660 /run/docker.sock");
        expect(r, "3.17", "/etc/docker/daemon.json", PASS);
        expect(r, "3.18", "/etc/docker/daemon.json", FAIL);
        expect(r, "3.19", "/etc/default/docker", PASS);
        assertThat(expect(r, "3.20", "/etc/default/docker", FAIL).evidence()).contains("mode 0477", "bits 0033");
        expect(r, "3.21", "/etc/sysconfig/docker", INFO);
        expect(r, "3.22", "/etc/sysconfig/docker", INFO);
        expect(r, "3.23", "/run/containerd/containerd.sock", PASS);
        expect(r, "3.24", "/run/containerd/containerd.sock", PASS);
    }

    @Test
    void section1PartitionGroupAndAuditRules() {
        AuditReport r = audit(view());
        assertThat(expect(r, "1.1.1", "host", PASS).evidence()).contains("/dev/vdb1");
        assertThat(expect(r, "1.1.2", "host", FAIL).evidence()).contains("bob", "carol").doesNotContain("alice");
        expect(r, "1.1.3", "/usr/bin/dockerd", PASS);
        expect(r, "1.1.4", "/run/containerd", PASS);
        // only an exclusion rule mentions it
        expect(r, "1.1.5", "/var/lib/docker", FAIL);
        expect(r, "1.1.6", "/etc/docker", PASS);
        expect(r, "1.1.7", "/etc/systemd/system/docker.service", FAIL);
        expect(r, "1.1.8", "/run/containerd/containerd.sock", FAIL);
        expect(r, "1.1.9", "/lib/systemd/system/docker.socket", FAIL);
        expect(r, "1.1.9", "/run/docker.sock", FAIL);
        expect(r, "1.1.10", "/etc/default/docker", FAIL);
        // covered by the recursive watch on /etc/docker
        expect(r, "1.1.11", "/etc/docker/daemon.json", PASS);
        expect(r, "1.1.12", "/etc/containerd/config.toml", INFO);
        expect(r, "1.1.13", "/etc/sysconfig/docker", INFO);
        expect(r, "1.1.14", "/usr/bin/containerd", FAIL);
        expect(r, "1.1.15", "/usr/bin/containerd-shim", INFO);
        // /usr/bin/runc is a link to /usr/sbin/runc, which is watched
        assertThat(expect(r, "1.1.18", "/usr/bin/runc", PASS).evidence()).contains("-w /usr/sbin/runc");
        expect(r, "1.2.1", "host", MANUAL);
        expect(r, "4.5", "host", PASS);
    }

    @Test
    void withoutATrustedListTheDockerGroupIsListedForReview() {
        AuditReport r = audit(view().withTrustedUsers(Set.of()));
        assertThat(expect(r, "1.1.2", "host", WARN).evidence()).contains("alice, bob, carol");
    }

    @Test
    void givenCommandLineAndConfigWinOverDiscovery() throws Exception {
        write("srv/conf/daemon.json", "{\"hosts\": [\"unix:///srv/d.sock\"]}", "600", 0, 0);
        socket("srv/d.sock", "660", 0, 0);
        HostView v = view().withDaemonCommandLine(List.of("dockerd", "--config-file", "/srv/conf/daemon.json"));
        AuditReport r = audit(v);
        expect(r, "3.17", "/srv/conf/daemon.json", PASS);
        expect(r, "3.18", "/srv/conf/daemon.json", PASS);
        // root:root, not root:docker
        expect(r, "3.15", "/srv/d.sock", FAIL);
        expect(r, "2.7", "daemon", INFO);
        expect(r, "3.9", "host", INFO);
        r = audit(view().withDaemonConfig(Path.of("/srv/conf/daemon.json")));
        expect(r, "3.17", "/srv/conf/daemon.json", PASS);
    }

    @Test
    void aHostWithoutAuditRulesDockerFilesOrMountTable() throws Exception {
        Path empty = Files.createDirectories(root.resolve("empty"));
        AuditReport r = audit(new HostView(empty, List.of("dockerd"), null, Map.of(), Set.of(), true));
        assertThat(r.results()).filteredOn(x -> x.checkId().equals("1.1.1")).extracting(x -> x.status().name())
            .containsExactly("ERROR");
        expect(r, "1.1.2", "host", PASS);
        expect(r, "1.1.6", "/etc/docker", INFO);
        expect(r, "3.5", "/etc/docker", INFO);
        expect(r, "3.1", "host", INFO);
        expect(r, "3.7", "/etc/docker/certs.d", INFO);
        expect(r, "4.5", "host", FAIL);
    }

    // ------------------------------------------------------------------ fixture helpers

    private void write(String rel, String content, String mode, int uid, int gid) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        own(p, mode, uid, gid);
    }

    private void dir(String rel, String mode, int uid, int gid) throws IOException {
        Path p = Files.createDirectories(root.resolve(rel));
        own(p, mode, uid, gid);
    }

    private void socket(String rel, String mode, int uid, int gid) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(p));
        sockets.add(s);
        own(p, mode, uid, gid);
    }

    private void proc(int pid, List<String> argv, int uid) throws IOException {
        Path d = Files.createDirectories(root.resolve("proc/" + pid));
        Files.writeString(d.resolve("cmdline"), String.join("\0", argv) + "\0");
        Files.writeString(d.resolve("status"), "Name:\tdockerd\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\n");
    }

    private static void own(Path p, String mode, int uid, int gid) throws IOException {
        Files.setAttribute(p, "unix:uid", uid);
        Files.setAttribute(p, "unix:gid", gid);
        Files.setAttribute(p, "unix:mode", Integer.parseInt(mode, 8));
    }
}
