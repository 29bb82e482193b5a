package dev.bulwark.policy.docker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.model.Decision;
import dev.bulwark.policy.Policies;
import dev.bulwark.policy.Policy;
import dev.bulwark.policy.PolicyRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Each rule of the built-in baseline, with a request it denies and its nearest twin that it allows. */
class BaselineTest {
    private static final Policy BASELINE = Policies.baseline();

    /** The real `docker run` body, made unprivileged, then changed by the test. */
    private static Decision create(Consumer<ObjectNode> hostConfig) throws Exception {
        ObjectNode body = DockerRequestsTest.sampleBody();
        ObjectNode hc = (ObjectNode) body.get("HostConfig");
        hc.put("Privileged", false);
        hostConfig.accept(hc);
        return BASELINE.decide(DockerRequestsTest.create(body));
    }

    private static Decision createImage(String image) throws Exception {
        ObjectNode body = DockerRequestsTest.sampleBody();
        ((ObjectNode) body.get("HostConfig")).put("Privileged", false);
        body.put("Image", image);
        return BASELINE.decide(DockerRequestsTest.create(body));
    }

    private static void denies(Decision d, String rule) {
        assertThat(d.allowed()).as(d.toString()).isFalse();
        assertThat(d.rule()).isEqualTo(rule);
        assertThat(d.message()).isNotBlank();
    }

    private static void allows(Decision d) {
        assertThat(d.allowed()).as(d.toString()).isTrue();
        assertThat(d.rule()).isEqualTo("default");
    }

    @Test
    void theUnprivilegedSampleIsAllowed() throws Exception {
        allows(create(hc -> {
        }));
    }

    @Test
    void privileged() throws Exception {
        denies(create(hc -> hc.put("Privileged", true)), "no-privileged");
        PolicyRequest exec = DockerRequestsTest.decode("POST", "/v1.41/containers/x/exec", "{\"Privileged\":true,\"Cmd\":[\"sh\"]}".getBytes());
        denies(BASELINE.decide(exec), "no-privileged");
    }

    @Test
    void hostConfigFieldsAtTheTopLevelCountAsDockerdCountsThem() throws Exception {
        // no HostConfig object: dockerd (before 25) takes the top-level fields as the host config
        denies(BASELINE.decide(DockerRequestsTest.decode("POST", "/v1.41/containers/create",
                "{\"Image\":\"alpine\",\"Privileged\":true}".getBytes())), "no-privileged");
        denies(BASELINE.decide(DockerRequestsTest.decode("POST", "/v1.41/containers/create",
                "{\"Image\":\"alpine\",\"binds\":[\"/etc:/x\"]}".getBytes())), "no-sensitive-mounts");
        // with one, the inner object wins (dockerd ignores the top-level Privileged), except Memory and CpuShares at 0
        PolicyRequest both = DockerRequestsTest.decode("POST", "/v1.41/containers/create",
                "{\"Image\":\"alpine\",\"Privileged\":true,\"Memory\":1048576,\"HostConfig\":{\"CpuShares\":2}}".getBytes());
        assertThat(both.object()).containsEntry("privileged", false).containsEntry("memory", 1048576L).containsEntry("cpuShares", 2L);
        allows(BASELINE.decide(both));
    }

    @Test
    void hostNamespaces() throws Exception {
        denies(create(hc -> hc.put("NetworkMode", "host")), "no-host-network");
        allows(create(hc -> hc.put("NetworkMode", "bridge")));
        denies(create(hc -> hc.put("PidMode", "host")), "no-host-pid");
        allows(create(hc -> hc.put("PidMode", "container:abc")));
        denies(create(hc -> hc.put("IpcMode", "host")), "no-host-ipc");
        allows(create(hc -> hc.put("IpcMode", "private")));
        denies(create(hc -> hc.put("UsernsMode", "host")), "no-host-userns");
        allows(create(hc -> hc.put("UsernsMode", "")));
        denies(BASELINE.decide(DockerRequestsTest.decode("POST", "/v1.41/build?t=x&networkmode=host", null)), "no-host-network");
        allows(BASELINE.decide(DockerRequestsTest.decode("POST", "/v1.41/build?t=x&networkmode=default", null)));
    }

    @Test
    void sensitiveMounts() throws Exception {
        for (String src : List.of("/", "/etc", "/etc/shadow", "/proc", "/sys/fs/cgroup", "/dev", "/boot", "/var/run/docker.sock",
                "/run/docker.sock", "/run", "/var/run", "/srv/../etc", "//etc//")) {
            denies(create(hc -> hc.putArray("Binds").add(src + ":/host")), "no-sensitive-mounts");
            denies(create(hc -> hc.putArray("Mounts").addObject().put("Type", "bind").put("Source", src).put("Target", "/host")),
                    "no-sensitive-mounts");
        }
        for (String src : List.of("/srv/data", "/home/app", "/etcetera", "/var/lib/app", "/tmp")) {
            allows(create(hc -> hc.putArray("Binds").add(src + ":/data")));
        }
        allows(create(hc -> hc.putArray("Binds").add("etc:/data")));
        PolicyRequest vol = DockerRequestsTest.decode("POST", "/v1.41/volumes/create",
                "{\"Name\":\"v\",\"DriverOpts\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/etc\"}}".getBytes());
        denies(BASELINE.decide(vol), "no-sensitive-mounts");
        allows(BASELINE.decide(DockerRequestsTest.decode("POST", "/v1.41/volumes/create", "{\"Name\":\"v\"}".getBytes())));
    }

    @Test
    void aSymlinkIntoEtcIsDenied(@TempDir Path tmp) throws Exception {
        Path link = tmp.resolve("innocent");
        Files.createSymbolicLink(link, Path.of("/etc"));
        denies(create(hc -> hc.putArray("Binds").add(link + ":/data")), "no-sensitive-mounts");
        Path dir = Files.createDirectory(tmp.resolve("data"));
        allows(create(hc -> hc.putArray("Binds").add(dir + ":/data")));
    }

    @Test
    void capabilities() throws Exception {
        for (String cap : List.of("NET_ADMIN", "CAP_SYS_ADMIN", "sys_module", "ALL")) {
            denies(create(hc -> hc.putArray("CapAdd").add(cap)), "no-dangerous-capabilities");
        }
        allows(create(hc -> hc.putArray("CapAdd").add("NET_BIND_SERVICE").add("CHOWN")));
        allows(create(hc -> hc.putArray("CapDrop").add("ALL")));
    }

    @Test
    void seccompAndAppArmor() throws Exception {
        denies(create(hc -> hc.putArray("SecurityOpt").add("seccomp=unconfined")), "no-seccomp-unconfined");
        denies(create(hc -> hc.putArray("SecurityOpt").add("seccomp:unconfined")), "no-seccomp-unconfined");
        allows(create(hc -> hc.putArray("SecurityOpt").add("seccomp={\"defaultAction\":\"SCMP_ACT_ERRNO\"}")));
        denies(create(hc -> hc.putArray("SecurityOpt").add("apparmor=unconfined")), "no-apparmor-unconfined");
        allows(create(hc -> hc.putArray("SecurityOpt").add("apparmor=docker-default").add("no-new-privileges")));
    }

    @Test
    void registriesAndDigests() throws Exception {
        denies(createImage("ghcr.io/acme/tool:1"), "allowed-registries");
        // a bare hex name may be a prefix of a local image's ID: no registry to vouch for
        denies(createImage("3f57d9401f8d"), "allowed-registries");
        denies(createImage("sha256:" + "ab".repeat(32)), "allowed-registries");
        allows(createImage("library/cafe"));
        allows(createImage("acme/tool:1"));
        denies(BASELINE.decide(DockerRequestsTest.decode("POST", "/images/create?fromImage=quay.io%2Fa%2Fb&tag=1", null)), "allowed-registries");
        allows(BASELINE.decide(DockerRequestsTest.decode("POST", "/images/create?fromImage=alpine&tag=3.20", null)));

        Policy pinned = Policies.baseline(Map.of("allowedRegistries", List.of("registry.local:5000", "*.corp.example"), "requireDigest", true));
        String digest = "sha256:" + "0123456789abcdef".repeat(4);
        ObjectNode body = DockerRequestsTest.sampleBody();
        ((ObjectNode) body.get("HostConfig")).put("Privileged", false);
        body.put("Image", "registry.local:5000/app:1");
        denies(pinned.decide(DockerRequestsTest.create(body)), "require-digest");
        body.put("Image", "registry.local:5000/app@" + digest);
        assertThat(pinned.decide(DockerRequestsTest.create(body)).allowed()).isTrue();
        body.put("Image", "eu.corp.example/app@" + digest);
        assertThat(pinned.decide(DockerRequestsTest.create(body)).allowed()).isTrue();
        body.put("Image", "alpine@" + digest);
        denies(pinned.decide(DockerRequestsTest.create(body)), "allowed-registries");
    }

    @Test
    void swarmServicesAreHeldToTheSameRules() throws Exception {
        String svc = "{\"Name\":\"s\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"%s\",\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"%s\",\"Target\":\"/h\"}],\"CapabilityAdd\":[%s]}}}";
        denies(BASELINE.decide(DockerRequestsTest.decode("POST", "/v1.41/services/create", svc.formatted("nginx:1", "/etc", "").getBytes())),
                "no-sensitive-mounts");
        denies(BASELINE.decide(DockerRequestsTest.decode("POST", "/v1.41/services/abc/update?version=3", svc.formatted("nginx:1", "/srv", "\"CAP_SYS_ADMIN\"").getBytes())),
                "no-dangerous-capabilities");
        denies(BASELINE.decide(DockerRequestsTest.decode("POST", "/v1.41/services/create", svc.formatted("ghcr.io/a/b:1", "/srv", "").getBytes())),
                "allowed-registries");
        allows(BASELINE.decide(DockerRequestsTest.decode("POST", "/v1.41/services/create", svc.formatted("nginx:1", "/srv", "\"CAP_CHOWN\"").getBytes())));
    }

    @Test
    void execOnlyForNamedUsersOrGroups() throws Exception {
        byte[] exec = "{\"Cmd\":[\"sh\"],\"AttachStdin\":true}".getBytes(StandardCharsets.UTF_8);
        denies(BASELINE.decide(DockerRequestsTest.decode("POST", "/v1.41/containers/web/exec", exec)), "exec-named-users");
        Policy named = Policies.baseline(Map.of("execUsers", List.of("alice"), "execGroups", List.of("sre")));
        PolicyRequest alice = DockerRequests.decode(new DockerApiRequest("POST", "/v1.41/containers/web/exec", exec, Map.of(), "alice", "TLS"));
        assertThat(named.decide(alice).allowed()).isTrue();
        PolicyRequest bob = DockerRequests.decode(new DockerApiRequest("POST", "/v1.41/containers/web/exec", exec, Map.of(), "bob", "TLS"));
        denies(named.decide(bob), "exec-named-users");
        PolicyRequest sre = DockerRequests.decode(new DockerApiRequest("POST", "/v1.41/containers/web/exec", exec, Map.of(), "bob", "TLS"),
                u -> List.of("sre"));
        assertThat(named.decide(sre).allowed()).isTrue();
        denies(named.decide(DockerRequests.decode(new DockerApiRequest("POST", "/v1.41/exec/e1/start", "{}".getBytes(), Map.of(), "bob", "TLS"))),
                "exec-named-users");
    }

    @Test
    void unknownEndpointsAreDeniedAndEverydayOnesAllowed() throws Exception {
        denies(BASELINE.decide(DockerRequestsTest.decode("POST", "/v1.41/containers/x/frobnicate", null)), "unknown-endpoint");
        denies(BASELINE.decide(DockerRequestsTest.decode("GET", "/v1.41/debug/pprof/heap", null)), "unknown-endpoint");
        for (String[] c : new String[][]{{"GET", "/_ping"}, {"GET", "/v1.41/version"}, {"GET", "/v1.41/containers/json"},
                {"POST", "/v1.41/containers/x/start"}, {"POST", "/v1.41/containers/x/wait"}, {"DELETE", "/v1.41/containers/x"},
                {"GET", "/v1.41/images/json"}}) {
            allows(BASELINE.decide(DockerRequestsTest.decode(c[0], c[1], null)));
        }
    }
}
