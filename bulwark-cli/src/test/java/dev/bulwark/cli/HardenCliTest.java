package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.audit.file.FileAuditor;
import dev.bulwark.audit.file.FileKind;
import dev.bulwark.image.Fixtures;
import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Digest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bulwark harden IMAGE` on small OCI layouts whose configs say USER, EXPOSE, VOLUME and HEALTHCHECK: every format,
 * and the Compose and Kubernetes outputs audited with `bulwark audit`'s own FileAuditor: no check fails.
 */
class HardenCliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** An OCI layout with one layer and this run config; returns the target. */
    String image(String name, String runConfig) throws Exception {
        Fixtures.Layer layer = Fixtures.gzLayer(List.of(Fixtures.E.file("etc/os-release", "ID=debian\n"), Fixtures.E.dir("srv/")));
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":" + runConfig
                + ",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layer.diffId() + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Digest cd = Digest.sha256(config);
        byte[] manifest = Fixtures.manifest(cd.toString(), config.length, List.of(layer)).getBytes(StandardCharsets.UTF_8);
        Digest md = Digest.sha256(manifest);
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"digest\":\"" + md + "\",\"size\":" + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"1\"}}]}");
        Files.write(dir.resolve("blobs/sha256/" + cd.hex()), config);
        Files.write(dir.resolve("blobs/sha256/" + md.hex()), manifest);
        Files.write(dir.resolve("blobs/sha256/" + layer.digest().hex()), layer.blob());
        return "oci:" + dir + ":1";
    }

    static final String WEB = "{\"User\":\"\",\"ExposedPorts\":{\"80/tcp\":{}},\"Volumes\":{\"/var/cache/web\":{}},\"Env\":[\"PATH=/usr/bin\",\"TOKEN=s3cret\"],"
            + "\"Cmd\":[\"/usr/sbin/web\",\"-g\"],\"WorkingDir\":\"/srv\"}";
    static final String WORKER = "{\"User\":\"1000:1000\",\"Cmd\":[\"work\"],\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"]}}";

    Path harden(String target, String format, String... more) {
        Path out = tmp.resolve("out-" + format + "-" + System.nanoTime());
        String[] args = new String[5 + more.length];
        args[0] = "harden";
        args[1] = "-f";
        args[2] = format;
        args[3] = "-o" + out;
        System.arraycopy(more, 0, args, 4, more.length);
        args[args.length - 1] = target;
        Run r = run(args);
        assertThat(r.code()).as(r.err()).isZero();
        return out;
    }

    static List<AuditResult> failures(AuditReport r) {
        return r.results().stream().filter(x -> x.status() == AuditStatus.FAIL).toList();
    }

    @Test
    void composeAndKubernetesOutputsPassTheAudit() throws Exception {
        for (String cfg : List.of(WEB, WORKER)) {
            String target = image("img" + cfg.length(), cfg);
            Path compose = harden(target, "compose", "--name", "registry.example.com/team/web:1.0");
            AuditReport c = FileAuditor.audit(compose, FileKind.COMPOSE);
            assertThat(c.results()).isNotEmpty();
            assertThat(failures(c)).as(Files.readString(compose)).isEmpty();
            Path k8s = harden(target, "k8s", "--name", "registry.example.com/team/web:1.0");
            AuditReport k = FileAuditor.audit(k8s, FileKind.KUBERNETES);
            assertThat(k.results()).isNotEmpty();
            assertThat(failures(k)).as(Files.readString(k8s)).isEmpty();
        }
    }

    @Test
    void theImagesConfigDecidesUserCapsTmpfsAndNetwork() throws Exception {
        String web = image("web", WEB);
        Run r = run("harden", "-o", tmp.resolve("web.sh").toString(), web);
        assertThat(r.code()).as(r.err()).isZero();
        String flags = Files.readString(tmp.resolve("web.sh"));
        assertThat(flags).startsWith("docker run").contains("--user 65534:65534", "--read-only", "--tmpfs /var/cache/web:",
                "--cap-add NET_BIND_SERVICE", "-p 127.0.0.1:8080:80/tcp", "--health-cmd").doesNotContain("--network none");
        assertThat(flags.strip()).endsWith("@sha256:" + flags.strip().replaceAll("(?s).*@sha256:", ""));
        assertThat(r.err()).contains("bulwark: note: the image runs as root (no USER)");

        JsonNode json = new ObjectMapper().readTree(harden(image("worker", WORKER), "json").toFile());
        assertThat(json.path("user").asText()).isEqualTo("1000:1000");
        assertThat(json.path("network").asText()).isEqualTo("none");
        assertThat(json.path("capAdd")).isEmpty();
        assertThat(json.path("tmpfs").toString()).isEqualTo("[\"/tmp\",\"/run\"]");
    }

    @Test
    void theOciConfigCarriesEnvValuesUserNamespaceAndLimits() throws Exception {
        JsonNode c = new ObjectMapper().readTree(harden(image("web2", WEB), "oci", "--memory", "128m").toFile());
        assertThat(c.at("/process/args").toString()).isEqualTo("[\"/usr/sbin/web\",\"-g\"]");
        assertThat(c.at("/process/env").toString()).contains("TOKEN=s3cret");
        assertThat(c.at("/process/cwd").asText()).isEqualTo("/srv");
        assertThat(c.at("/process/user/uid").asLong()).isEqualTo(65534);
        assertThat(c.at("/root/path").asText()).isEqualTo("rootfs");
        assertThat(c.at("/root/readonly").asBoolean()).isTrue();
        assertThat(c.at("/linux/uidMappings/0/hostID").asLong()).isGreaterThanOrEqualTo(100000);
        assertThat(c.at("/linux/resources/memory/limit").asLong()).isEqualTo(128L << 20);
        assertThat(c.at("/process/capabilities/bounding").toString()).isEqualTo("[\"CAP_NET_BIND_SERVICE\"]");
        assertThat(c.at("/linux/seccomp/defaultAction").asText()).isEqualTo("SCMP_ACT_ERRNO");
    }

    @Test
    void aLearnedProfileIsUsed() throws Exception {
        Path profile = Files.writeString(tmp.resolve("learned.json"), "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
                + "\"syscalls\":[{\"names\":[\"read\",\"write\",\"execve\",\"exit_group\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
        JsonNode c = new ObjectMapper().readTree(harden(image("w3", WORKER), "oci", "--profile", profile.toString()).toFile());
        assertThat(c.at("/linux/seccomp/syscalls/0/names")).extracting(JsonNode::asText).containsExactlyInAnyOrder("execve", "exit_group", "read", "write");
        assertThat(c.at("/linux/seccomp/syscalls")).hasSize(1);
        assertThat(Files.readString(harden(image("w4", WORKER), "docker", "--profile", profile.toString(), "--apparmor", "bulwark-app")))
                .contains("--security-opt seccomp=" + profile).contains("--security-opt apparmor=bulwark-app");
        Path k8s = harden(image("w5", WORKER), "k8s", "--profile", profile.toString(), "--apparmor", "bulwark-app");
        assertThat(Files.readString(k8s)).contains("localhostProfile: \"bulwark/learned.json\"").contains("localhostProfile: \"bulwark-app\"");
        assertThat(failures(FileAuditor.audit(k8s, FileKind.KUBERNETES))).isEmpty();
    }

    @Test
    void badInputIsOneLineAndAnExitCode() throws Exception {
        Run missing = run("harden", "oci:" + tmp.resolve("nothing"));
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err().strip()).startsWith("bulwark: ").doesNotContain("\n");
        Run format = run("harden", "-f", "yaml", image("f", WORKER));
        assertThat(format.code()).isEqualTo(2);
        assertThat(format.err().strip()).isEqualTo("bulwark: -f yaml: one of docker, compose, k8s, oci, json");
        Run badUser = run("harden", "--user", "x y", image("u", WORKER));
        assertThat(badUser.code()).isEqualTo(2);
        Run noImage = run("harden");
        assertThat(noImage.code()).isEqualTo(2);
        Path badProfile = Files.writeString(tmp.resolve("bad.json"), "{\"defaultAction\":\"NOPE\"}");
        Run bp = run("harden", "--profile", badProfile.toString(), image("p", WORKER));
        assertThat(bp.code()).isEqualTo(3);
        assertThat(bp.err().strip()).startsWith("bulwark: " + badProfile).doesNotContain("\n");
        // a config whose types are wrong: one line naming the blob
        Run typed = run("harden", image("typed", "{\"Cmd\":\"not a list\"}"));
        assertThat(typed.code()).isEqualTo(3);
        assertThat(typed.err().strip()).startsWith("bulwark: ").contains("Cmd").doesNotContain("\n");
        // nothing was written beside the requested output
        Path out = tmp.resolve("never.yaml");
        assertThat(run("harden", "-f", "compose", "-o", out.toString(), "oci:" + tmp.resolve("nothing")).code()).isEqualTo(3);
        assertThat(out).doesNotExist();
    }
}
