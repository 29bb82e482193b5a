package dev.bulwark.harden.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.image.ImageRunConfig;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The hardened settings an image's config leads to, and that every rendering says the same. */
class HardeningTest {
    static ImageRunConfig config(String user, List<String> ports, List<String> volumes, boolean health) {
        return new ImageRunConfig(user, List.of("PATH=/bin"), List.of(), List.of("app"), "/srv", ports, volumes, health, "", true);
    }

    @Test
    void aRootImageRunsAsNobodyWithNoNetworkAndEverythingLimited() {
        HardenedSettings s = Hardening.settings("img@sha256:ab", config("", List.of(), List.of(), false), Hardening.Overrides.none());
        assertThat(s.user()).isEqualTo("65534:65534");
        assertThat(s.uid()).isEqualTo(65534);
        assertThat(s.readOnlyRoot()).isTrue();
        assertThat(s.tmpfs()).containsExactly("/tmp", "/run");
        assertThat(s.capAdd()).isEmpty();
        assertThat(s.networkNone()).isTrue();
        assertThat(s.memoryBytes()).isEqualTo(512L << 20);
        assertThat(s.pidsLimit()).isEqualTo(256);
        assertThat(s.restart()).isEqualTo("on-failure:5");
        assertThat(s.notes()).anySatisfy(n -> assertThat(n).contains("runs as root (no USER)"));
        for (String root : List.of("root", "0", "0:0", "root:root")) {
            assertThat(Hardening.settings("i", config(root, List.of(), List.of(), true), Hardening.Overrides.none()).user()).isEqualTo("65534:65534");
        }
    }

    @Test
    void theImagesOwnUserPortsAndVolumesAreKept() {
        HardenedSettings s = Hardening.settings("i", config("1000:1000", List.of("80/tcp", "8443/tcp"), List.of("/data"), true),
                Hardening.Overrides.none());
        assertThat(s.user()).isEqualTo("1000:1000");
        assertThat(s.capAdd()).containsExactly("NET_BIND_SERVICE");
        assertThat(s.tmpfs()).containsExactly("/tmp", "/run", "/data");
        assertThat(s.networkNone()).isFalse();
        String docker = Hardening.dockerRun(s);
        assertThat(docker).contains("--user 1000:1000", "--read-only", "--cap-drop ALL", "--cap-add NET_BIND_SERVICE",
                "--security-opt no-new-privileges:true", "--memory 512m", "--memory-swap 512m", "--cpus 1.0", "--pids-limit 256",
                "--restart on-failure:5", "-p 127.0.0.1:8080:80/tcp", "-p 127.0.0.1:8443:8443/tcp", "--tmpfs /data:")
                .doesNotContain("--network none").doesNotContain("--health-cmd");
        assertThat(Hardening.settings("i", config("app", List.of(), List.of(), true), Hardening.Overrides.none()).notes())
                .anySatisfy(n -> assertThat(n).contains("is a name"));
    }

    @Test
    void composeAndKubernetesCarryTheSameSettings() throws Exception {
        HardenedSettings s = Hardening.settings("reg/app:1@sha256:" + "a".repeat(64), config("", List.of("8080/tcp"), List.of("/var/lib/app"), false),
                new Hardening.Overrides(null, 256L << 20, 0.5, 64, null, null, List.of("/var/cache/app"), List.of("chown")));
        var yaml = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        JsonNode svc = yaml.readTree(Hardening.compose(s, "app")).path("services").path("app");
        assertThat(svc.path("user").asText()).isEqualTo("65534:65534");
        assertThat(svc.path("read_only").asBoolean()).isTrue();
        assertThat(svc.path("mem_limit").asText()).isEqualTo("256m");
        assertThat(svc.path("cpus").asText()).isEqualTo("0.5");
        assertThat(svc.path("pids_limit").asInt()).isEqualTo(64);
        assertThat(svc.path("cap_drop").get(0).asText()).isEqualTo("ALL");
        assertThat(svc.path("cap_add").get(0).asText()).isEqualTo("CHOWN");
        assertThat(svc.path("tmpfs").toString()).contains("/var/lib/app").contains("/var/cache/app");
        assertThat(svc.path("ports").get(0).asText()).isEqualTo("127.0.0.1:8080:8080/tcp");
        JsonNode pod = yaml.readTree(Hardening.kubernetes(s, "app"));
        JsonNode c = pod.path("spec").path("containers").get(0);
        assertThat(c.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(c.path("securityContext").path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(c.path("securityContext").path("runAsUser").asLong()).isEqualTo(65534);
        assertThat(c.path("securityContext").path("capabilities").path("drop").get(0).asText()).isEqualTo("ALL");
        assertThat(c.path("resources").path("limits").path("memory").asText()).isEqualTo("256Mi");
        assertThat(c.path("volumeMounts")).hasSize(4);
        assertThat(pod.path("spec").path("hostNetwork").asBoolean()).isFalse();
        JsonNode json = new ObjectMapper().readTree(Hardening.json(s));
        assertThat(json.path("memoryBytes").asLong()).isEqualTo(256L << 20);
        assertThat(json.path("network").asText()).isEqualTo("private");
    }

    @Test
    void hostileNamesStayInsideTheirYamlScalars() throws Exception {
        HardenedSettings s = Hardening.settings("evil\"\n  privileged: true\n#", config("", List.of(), List.of("/x\"\nprivileged: true"), true),
                Hardening.Overrides.none());
        var yaml = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        JsonNode svc = yaml.readTree(Hardening.compose(s, "a\nb: c")).path("services");
        assertThat(svc.toString()).doesNotContain("\"privileged\":");
        assertThat(yaml.readTree(Hardening.kubernetes(s, "x")).toString()).doesNotContain("\"privileged\":true");
    }

    @Test
    void memorySizesParseAsDockerDoes() {
        assertThat(Hardening.parseMemory("512m")).isEqualTo(512L << 20);
        assertThat(Hardening.parseMemory("1g")).isEqualTo(1L << 30);
        assertThat(Hardening.parseMemory("1G")).isEqualTo(1L << 30);
        assertThat(Hardening.parseMemory("7340032")).isEqualTo(7340032L);
        assertThatThrownBy(() -> Hardening.parseMemory("lots")).hasMessageContaining("not a memory size");
        assertThatThrownBy(() -> Hardening.parseMemory("1k")).hasMessageContaining("below runc's minimum");
        assertThatThrownBy(() -> Hardening.parseMemory("-5m")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Hardening.parseMemory("99999999999999g")).hasMessageContaining("out of range");
    }

    @Property(tries = 300)
    void parseMemoryEitherGivesAPositiveSizeOrSaysWhy(@ForAll String s) {
        try {
            assertThat(Hardening.parseMemory(s)).isGreaterThanOrEqualTo(6L << 20);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
