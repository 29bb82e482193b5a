package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.image.testenv.TestComponents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real dockerd 20.10 (scripts/dockerd-variant.sh with PLUGIN_DIR: private data-root and namespaces, the plugin directory bind-mounted
 * over /run/docker/plugins inside them) started with --authorization-plugin=bulwark, Bulwark's plugin as its own
 * process with the baseline policy, and the docker CLI: forbidden creates are refused with Bulwark's message, a plain
 * container is created and runs under runc, and with the plugin stopped dockerd refuses everything until it is back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthzDockerdIT {
    private static final String NAME = "authzit";
    private static final String POLICY = """
        apiVersion: bulwark.dev/v1
        kind: Policy
        metadata: {name: dockerd-it}
        extends: baseline
        params: {allowedRegistries: ["docker.io"]}
        default: allow
        """;

    @TempDir
    static Path tmp;
    private static Path plugins;
    private static Path script;
    private static String docker;
    private static String host;
    private static String image;
    private static Path policy;
    private static Path audit;
    private static AuthzPluginProcess plugin;

    record Result(int code, String out, String err) {
    }

    static Result exec(List<String> cmd) throws IOException, InterruptedException {
        return exec(cmd, java.util.Map.of());
    }

    static Result exec(List<String> cmd, java.util.Map<String, String> env) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    static Result docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(docker, "-H", host));
        cmd.addAll(List.of(args));
        return exec(cmd);
    }

    static AuthzPluginProcess startPlugin(String logName) throws IOException, InterruptedException {
        AuthzPluginProcess p = AuthzPluginProcess.start(tmp.resolve(logName), "authz", "serve", "--policy", policy.toString(),
            "--socket", plugins.resolve("bulwark.sock").toString(), "--audit-log", audit.toString());
        p.awaitLog("listening on", 60);
        return p;
    }

    @BeforeAll
    static void start() throws Exception {
        TestComponents.requireTool("dockerd");
        TestComponents.requireTool("unshare");
        TestComponents.requireTool("runc");
        docker = Files.isExecutable(Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : TestComponents.requireTool("docker").toString();
        Path archive = TestComponents.require(TestComponents.bookwormDockerArchive(), "test images");
        image = TestComponents.bookwormImage();
        script = TestComponents.require(TestComponents.root().resolve("scripts/dockerd-variant.sh"), "scripts/dockerd-variant.sh");
        plugins = Files.createDirectories(tmp.resolve("plugins"));
        policy = Files.writeString(tmp.resolve("policy.yaml"), POLICY);
        audit = tmp.resolve("audit.jsonl");
        plugin = startPlugin("plugin1.log"); // before dockerd: it asks the plugin about its first calls
        // PLUGIN_DIR is bind-mounted over /run/docker/plugins inside that dockerd's mount namespace only
        Result r = exec(List.of(script.toString(), "start", NAME, "", "--authorization-plugin=bulwark"),
                java.util.Map.of("PLUGIN_DIR", plugins.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        host = "unix://" + r.out().strip();
        Result load = docker("load", "-q", "-i", archive.toString());
        assertThat(load.code()).as(load.err()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (script != null) exec(List.of(script.toString(), "purge", NAME));
        } finally {
            if (plugin != null) plugin.close();
        }
    }

    private static void refused(String rule, String... createArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("create"));
        args.addAll(List.of(createArgs));
        Result r = docker(args.toArray(String[]::new));
        assertThat(r.code()).as(String.join(" ", createArgs) + ": " + r.out()).isNotZero();
        assertThat(r.err()).as(String.join(" ", createArgs)).contains("authorization denied by plugin bulwark: ").contains("(bulwark rule " + rule + ")");
    }

    @Test
    @Order(1)
    void forbiddenCreatesAreRefusedWithBulwarksMessage() throws Exception {
        refused("no-privileged", "--privileged", image, "true");
        refused("no-host-network", "--network", "host", image, "true");
        refused("no-sensitive-mounts", "-v", "/etc:/x", image, "true");
        refused("no-sensitive-mounts", "-v", "/var/run/docker.sock:/s", image, "true");
        refused("allowed-registries", "127.0.0.1:5999/evil/x:1", "true");
        assertThat(docker("ps", "-aq").out().strip()).as("nothing was created").isEmpty();
        String log = Files.readString(audit);
        assertThat(log).contains("\"decision\":\"deny\",\"rule\":\"no-privileged\"").contains("\"rule\":\"allowed-registries\"");
    }

    @Test
    @Order(2)
    void aPlainContainerIsCreatedAndRuns() throws Exception {
        Result create = docker("create", image, "sh", "-c", "echo hello from runc");
        assertThat(create.code()).as(create.err()).isZero();
        String id = create.out().strip();
        Result start = docker("start", "-a", id);
        assertThat(start.code()).as(start.err()).isZero();
        assertThat(start.out()).contains("hello from runc");
        assertThat(docker("rm", id).code()).isZero();
        assertThat(Files.readString(audit)).contains("\"action\":\"container.start\"");
    }

    @Test
    @Order(3)
    void withThePluginStoppedDockerdRefusesEverythingAndResumesWhenItIsBack() throws Exception {
        assertThat(plugin.stop()).isZero();
        assertThat(plugins.resolve("bulwark.sock")).doesNotExist();
        Result ps = docker("ps");
        assertThat(ps.code()).isNotZero();
        assertThat(ps.err()).contains("plugin bulwark failed"); // after dockerd's own retries (about 30 s)
        plugin = startPlugin("plugin2.log");
        Result again = docker("ps");
        assertThat(again.code()).as(again.err()).isZero();
        Result c = docker("create", image, "true");
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(docker("rm", c.out().strip()).code()).isZero();
    }
}
