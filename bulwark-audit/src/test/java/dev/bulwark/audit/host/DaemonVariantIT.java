package dev.bulwark.audit.host;

import dev.bulwark.docker.DockerClient;
import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.AuditReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.bulwark.audit.host.Results.expect;
import static dev.bulwark.model.AuditStatus.INFO;
import static dev.bulwark.model.AuditStatus.PASS;
import static dev.bulwark.model.AuditStatus.FAIL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Section 2 (and the files of section 3 that depend on the daemon's configuration) against second daemons started
 * by {@code scripts/dockerd-variant.sh} with different daemon.json files: hardened (icc off with iptables on a
 * default bridge, userns-remap, live-restore, no-new-privileges, default ulimits), loose (debug logging, an insecure
 * registry, experimental, cgroup-parent, remote syslog, a custom seccomp profile, TCP without TLS) and TLS (tlsverify
 * with certificates made by openssl). The auditor finds each daemon's command line and daemon.json by itself.
 *
 * <p>Not startable here, so covered by {@link EngineDocumentsTest} on edited documents instead: an authorization
 * plugin (every API call fails while the plugin is absent), aufs/devicemapper (not in this kernel/build), rootless
 * mode, swarm mode.
 */
class DaemonVariantIT {
    static final List<String> VARIANTS = List.of("bwh-hard", "bwh-loose", "bwh-tls");

    @TempDir
    static Path tmp;

    @BeforeAll
    static void requirements() {
        TestComponents.requireDocker();
        TestComponents.requireTool("dockerd");
        TestComponents.requireTool("unshare");
        TestComponents.requireTool("jq");
    }

    @AfterAll
    static void stopAll() {
        for (String v : VARIANTS) Cli.script("dockerd-variant.sh", "purge", v);
    }

    private static String start(String name, String json, String... flags) throws Exception {
        Path f = tmp.resolve(name + ".json");
        Files.writeString(f, json);
        List<String> args = new ArrayList<>(List.of("start", name, f.toString()));
        args.addAll(List.of(flags));
        return "unix://" + Cli.script("dockerd-variant.sh", args.toArray(String[]::new));
    }

    private static AuditReport audit(String host, String... only) throws Exception {
        try (DockerClient docker = DockerClient.connect(host, Map.of())) {
            return new HostAuditor(docker, HostView.local()).only(List.of(only)).audit();
        }
    }

    @Test
    void hardened() throws Exception {
        String host = start("bwh-hard", """
            {"icc": false, "iptables": true, "bridge": null, "userns-remap": "nobody:nogroup", "live-restore": true,
             "no-new-privileges": true, "userland-proxy": false, "log-level": "info",
             "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 2048, "Soft": 1024}}}
            """);
        try {
            // an empty image (a tar of nothing) is enough to create containers on the fresh data-root
            Path emptyTar = tmp.resolve("empty.tar");
            Files.write(emptyTar, new byte[10240]);
            Cli.docker(host, "import", emptyTar.toString(), "bwh/empty:1");
            Cli.docker(host, "create", "--name", "bwh-plain", "bwh/empty:1", "/x");
            Cli.docker(host, "create", "--name", "bwh-userns-host", "--userns", "host", "bwh/empty:1", "/x");

            AuditReport r = audit(host, "1.1.1", "2", "3.17", "5.26", "5.31");
            assertThat(r.warnings()).isEmpty();
            String variantDir = TestComponents.work().resolve("dockerd-variants/bwh-hard").toString();
            expect(r, "3.17", variantDir + "/daemon.json", PASS);
            assertThat(expect(r, "2.2", "daemon", PASS).evidence()).contains("enable_icc=false");
            expect(r, "2.3", "daemon", PASS);
            expect(r, "2.4", "daemon", PASS);
            assertThat(expect(r, "2.8", "daemon", PASS).evidence()).contains("nofile=1024:2048");
            assertThat(expect(r, "2.9", "daemon", PASS).evidence()).contains("name=userns");
            expect(r, "2.14", "daemon", PASS);
            expect(r, "2.15", "daemon", PASS);
            expect(r, "2.16", "daemon", PASS);
            // with userns-remap DockerRootDir is data/300000.300000: the partition question is about data-root
            assertThat(Results.one(r, "1.1.1", "host").evidence()).startsWith(variantDir + "/data ")
                .doesNotContain("300000.300000 is");
            // the daemon's no-new-privileges covers a container created without the option
            assertThat(expect(r, "5.26", "bwh-plain", PASS).evidence()).contains("daemon");
            expect(r, "5.31", "bwh-plain", PASS);
            expect(r, "5.31", "bwh-userns-host", FAIL);
        } finally {
            Cli.script("dockerd-variant.sh", "purge", "bwh-hard");
        }
    }

    @Test
    void loose() throws Exception {
        Path profile = tmp.resolve("seccomp.json");
        Files.writeString(profile, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"socket\"],"
            + "\"action\":\"SCMP_ACT_ERRNO\"}]}");
        String host = start("bwh-loose", """
            {"log-level": "debug", "insecure-registries": ["10.1.2.3:5000"], "experimental": true,
             "cgroup-parent": "/bulwark-test", "log-driver": "syslog",
             "log-opts": {"syslog-address": "udp://127.0.0.1:514"}, "seccomp-profile": "%s"}
            """.formatted(profile), "-H", "tcp://127.0.0.1:2375");
        try {
            AuditReport r = audit(host, "2");
            assertThat(r.warnings()).isEmpty();
            expect(r, "2.2", "daemon", INFO);
            assertThat(expect(r, "2.3", "daemon", FAIL).evidence()).contains("debug");
            assertThat(expect(r, "2.5", "daemon", FAIL).evidence()).contains("10.1.2.3:5000");
            assertThat(expect(r, "2.7", "daemon", FAIL).evidence()).contains("tcp://127.0.0.1:2375", "without TLS");
            assertThat(expect(r, "2.10", "daemon", FAIL).evidence()).contains("/bulwark-test");
            assertThat(expect(r, "2.13", "daemon", PASS).evidence()).contains("syslog", "udp://127.0.0.1:514");
            assertThat(expect(r, "2.17", "daemon", PASS).evidence()).contains(profile.toString());
            expect(r, "2.18", "daemon", FAIL);
            expect(r, "2.9", "daemon", FAIL);
            expect(r, "2.15", "daemon", FAIL);
        } finally {
            Cli.script("dockerd-variant.sh", "purge", "bwh-loose");
        }
    }

    @Test
    void tls() throws Exception {
        TestComponents.requireTool("openssl");
        Path d = Files.createDirectories(tmp.resolve("tls"));
        openssl(d, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key");
        openssl(d, "req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=bulwark-test-ca", "-days", "2", "-out", "ca.pem");
        openssl(d, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem");
        openssl(d, "req", "-new", "-key", "key.pem", "-subj", "/CN=127.0.0.1", "-out", "server.csr");
        Files.writeString(d.resolve("ext.cnf"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        openssl(d, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-extfile", "ext.cnf", "-out", "cert.pem");
        Files.setAttribute(d.resolve("ca.pem"), "unix:mode", 0444);
        Files.setAttribute(d.resolve("cert.pem"), "unix:mode", 0444);
        // deliberately readable by everyone: 3.14 wants 400
        Files.setAttribute(d.resolve("key.pem"), "unix:mode", 0644);
        String host = start("bwh-tls", """
            {"tlsverify": true, "tlscacert": "%s/ca.pem", "tlscert": "%s/cert.pem", "tlskey": "%s/key.pem"}
            """.formatted(d, d, d), "-H", "tcp://127.0.0.1:2376");
        try {
            AuditReport r = audit(host, "2.7", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14");
            assertThat(expect(r, "2.7", "daemon", PASS).evidence()).contains("tcp://127.0.0.1:2376",
                "client certificate verification");
            expect(r, "3.9", d + "/ca.pem", PASS);
            expect(r, "3.10", d + "/ca.pem", PASS);
            expect(r, "3.11", d + "/cert.pem", PASS);
            expect(r, "3.12", d + "/cert.pem", PASS);
            expect(r, "3.13", d + "/key.pem", PASS);
            assertThat(expect(r, "3.14", d + "/key.pem", FAIL).fix()).isEqualTo("chmod 400 " + d + "/key.pem");
        } finally {
            Cli.script("dockerd-variant.sh", "purge", "bwh-tls");
        }
    }

    private static void openssl(Path dir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(TestComponents.requireTool("openssl").toString());
        cmd.addAll(List.of(args));
        Cli.Result r = Cli.run(Map.of(), dir, 60, cmd);
        assertThat(r.exit()).as("openssl " + String.join(" ", args) + ": " + r.err()).isZero();
    }
}
