package dev.bulwark.harden.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the generated config.json holds, and the id ranges and mounts it is made from. */
class OciConfigTest {
    static RunSpec spec(boolean privateNet, RunSpec.IdMap map) {
        return new RunSpec(Path.of("/r/rootfs"), List.of("sh", "-c", "x"), List.of("A=1"), "/", 1000, 1000, true, List.of("/tmp"),
                List.of(RunSpec.Bind.parse("/srv/data:/data:ro")), List.of("NET_BIND_SERVICE"), Runner.defaultSeccomp(), null,
                64L << 20, 0.5, 32, privateNet, map, false);
    }

    static JsonNode tree(RunSpec s, String cgroup) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(OciConfig.json(s, "h", cgroup, null));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyHardeningIsInTheConfig() {
        JsonNode c = tree(spec(true, new RunSpec.IdMap(100000, 100000, 65536, "test")), "/bulwark/x");
        assertThat(c.at("/process/noNewPrivileges").asBoolean()).isTrue();
        assertThat(c.at("/process/user/uid").asLong()).isEqualTo(1000);
        assertThat(c.at("/process/capabilities/bounding").toString()).isEqualTo("[\"CAP_NET_BIND_SERVICE\"]");
        assertThat(c.at("/process/capabilities/ambient")).isEmpty();
        assertThat(c.at("/root/readonly").asBoolean()).isTrue();
        assertThat(c.at("/linux/uidMappings/0/hostID").asLong()).isEqualTo(100000);
        assertThat(c.at("/linux/gidMappings/0/size").asLong()).isEqualTo(65536);
        List<String> ns = new ArrayList<>();
        c.at("/linux/namespaces").forEach(n -> ns.add(n.path("type").asText()));
        assertThat(ns).containsExactlyInAnyOrder("pid", "ipc", "uts", "mount", "network", "user");
        assertThat(c.at("/linux/resources/memory/limit").asLong()).isEqualTo(64L << 20);
        assertThat(c.at("/linux/resources/memory/swap").asLong()).isEqualTo(64L << 20);
        assertThat(c.at("/linux/resources/cpu/quota").asLong()).isEqualTo(50000);
        assertThat(c.at("/linux/resources/pids/limit").asLong()).isEqualTo(32);
        assertThat(c.at("/linux/cgroupsPath").asText()).isEqualTo("/bulwark/x");
        assertThat(c.at("/linux/seccomp/defaultAction").asText()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(c.at("/linux/seccomp").toString()).doesNotContain("\"mount\"").doesNotContain("\"ptrace\"").contains("\"read\"");
        assertThat(c.at("/linux/maskedPaths").toString()).contains("/proc/kcore");
        String mounts = c.at("/mounts").toString();
        assertThat(mounts).contains("\"destination\":\"/data\"").contains("\"source\":\"/srv/data\"").contains("\"ro\"");
        assertThat(mounts).contains("\"destination\":\"/tmp\"");
    }

    @Test
    void withoutAPrivateNetworkAUserNamespaceBindsSysInsteadOfMountingIt() {
        JsonNode c = tree(spec(false, new RunSpec.IdMap(100000, 100000, 65536, "test")), null);
        assertThat(c.at("/linux/namespaces").toString()).doesNotContain("network");
        assertThat(c.at("/mounts").toString()).contains("{\"destination\":\"/sys\",\"type\":\"bind\"");
        assertThat(c.at("/root/path").asText()).isEqualTo("/r/rootfs");
        JsonNode noUserns = tree(spec(true, null), null);
        assertThat(noUserns.at("/linux/uidMappings").isMissingNode()).isTrue();
        assertThat(noUserns.at("/linux/namespaces").toString()).doesNotContain("user");
    }

    @Test
    void badMountsAndMapsAreRefused() {
        assertThatThrownBy(() -> RunSpec.Bind.parse("relative:/x")).hasMessageContaining("host path must be absolute");
        assertThatThrownBy(() -> RunSpec.Bind.parse("/a:/b:rx")).hasMessageContaining("mode must be ro or rw");
        assertThatThrownBy(() -> RunSpec.Bind.parse("/a")).hasMessageContaining("expected HOST:CONTAINER");
        assertThatThrownBy(() -> RunSpec.Bind.parse("/a:rel")).hasMessageContaining("must be absolute");
        assertThatThrownBy(() -> RunSpec.Bind.parse("/a:/x/../../etc")).hasMessageContaining("has ..");
        assertThatThrownBy(() -> new RunSpec.IdMap(0, 0, 65536, "x")).hasMessageContaining("bad id map");
        assertThat(RunSpec.Bind.parse("/a:/b").writable()).isTrue();
    }

    @Test
    void subordinateIdsComeFromTheUsersLineOrNowhere() {
        List<String> lines = List.of("# comment", "alice:200000:65536", "root:bad:1", "root:0:65536", "0:300000:1000", "root:400000:65536");
        assertThat(SubIds.find(lines, "root", 0)).contains(new SubIds.Range(300000, 1000));
        assertThat(SubIds.find(lines, "alice", 1000)).contains(new SubIds.Range(200000, 65536));
        assertThat(SubIds.find(lines, "bob", 1001)).isEmpty();
        assertThat(SubIds.find(List.of("root:4294967000:65536"), "root", 0)).isEmpty();
        RunSpec.IdMap m = SubIds.forInvoker(Path.of("/nonexistent-etc"));
        assertThat(m.hostUid()).isEqualTo(100000);
        assertThat(m.size()).isEqualTo(65536);
        assertThat(m.source()).startsWith("default 100000:65536");
    }
}
