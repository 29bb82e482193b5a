package dev.bulwark.policy.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.policy.Actions;
import dev.bulwark.policy.PolicyRequest;
import dev.bulwark.policy.RequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DockerRequestsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The real container create body dockerd 20.10 passed to a plugin for `docker run --privileged`. */
    static ObjectNode sampleBody() throws Exception {
        try (InputStream in = DockerRequestsTest.class.getResourceAsStream("authz-req-sample.json")) {
            JsonNode wire = JSON.readTree(in);
            return (ObjectNode) JSON.readTree(Base64.getDecoder().decode(wire.get("RequestBody").asText()));
        }
    }

    static PolicyRequest create(JsonNode body) throws RequestException {
        return decode("POST", "/v1.41/containers/create", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static PolicyRequest decode(String method, String uri, byte[] body) throws RequestException {
        return DockerRequests.decode(new DockerApiRequest(method, uri, body, Map.of("Content-Type", "application/json"), "", ""));
    }

    @Test
    void theRealSampleDecodesToAPrivilegedCreate() throws Exception {
        JsonNode wire;
        try (InputStream in = getClass().getResourceAsStream("authz-req-sample.json")) {
            wire = JSON.readTree(in);
        }
        byte[] body = Base64.getDecoder().decode(wire.get("RequestBody").asText());
        PolicyRequest r = DockerRequests.decode(new DockerApiRequest(wire.get("RequestMethod").asText(), wire.get("RequestUri").asText(),
                body, Map.of("Content-Type", "application/json"), "", ""));
        assertThat(r.source()).isEqualTo("docker");
        assertThat(r.action()).isEqualTo("container.create");
        Map<String, Object> o = r.object();
        assertThat(o).containsEntry("privileged", true).containsEntry("image", "docker.io/envcheck/debian:bookworm-minbase")
                .containsEntry("registry", "docker.io").containsEntry("repository", "envcheck/debian").containsEntry("tag", "bookworm-minbase")
                .containsEntry("digest", "").containsEntry("networkMode", "default").containsEntry("pidMode", "")
                .containsEntry("capAdd", List.of()).containsEntry("hostPaths", List.of()).containsEntry("cmd", List.of("true"))
                .containsEntry("memory", 0L).containsEntry("readonlyRootfs", false).containsEntry("path", "/containers/create")
                .containsEntry("method", "POST");
        assertThat(o.get("body")).isInstanceOf(Map.class);
    }

    @ParameterizedTest
    @CsvSource({
            "GET, /v1.41/containers/json?all=1, container.list",
            "POST, /v1.24/containers/create?name=x, container.create",
            "POST, /containers/abc/start, container.start",
            "POST, /v1.47/containers/abc/exec, container.exec",
            "POST, /v1.47/exec/0f3a/start, container.exec",
            "POST, /v1.41/containers/abc/attach?stream=1, container.attach",
            "GET, /v1.41/containers/abc/attach/ws, container.attach",
            "POST, /v1.41/containers/abc/update, container.update",
            "DELETE, /v1.41/containers/abc?force=1, container.delete",
            "PUT, /v1.41/containers/abc/archive?path=/, container.copy",
            "POST, /v1.41/images/create?fromImage=alpine&tag=3, image.pull",
            "POST, /v1.41/images/create?fromSrc=-&repo=x, image.import",
            "POST, /v1.41/images/localhost:5000/team/app/push?tag=1, image.push",
            "POST, /v1.41/build?t=x, image.build",
            "POST, /v1.41/images/load, image.load",
            "DELETE, /v1.41/images/registry.local/a/b:1, image.delete",
            "GET, /v1.41/images/json, image.list",
            "GET, /v1.41/images/docker.io/library/alpine:3/json, image.inspect",
            "POST, /v1.41/volumes/create, volume.create",
            "DELETE, /v1.41/volumes/data, volume.delete",
            "POST, /v1.41/networks/create, network.create",
            "POST, /v1.41/networks/n1/connect, network.connect",
            "POST, /v1.41/plugins/pull?remote=vieux/sshfs, plugin.install",
            "POST, /v1.41/plugins/vieux/sshfs:latest/enable, plugin.enable",
            "POST, /v1.41/swarm/init, swarm.init",
            "POST, /v1.41/services/create, swarm.service.create",
            "GET, /v1.41/secrets/s1, swarm.secret.inspect",
            "HEAD, /_ping, system.ping",
            "GET, /v1.41/version, system.version",
            "GET, /v1.41/info, system.info",
            "GET, /v1.41/events, system.events",
            "POST, /v1.41/containers/abc/frobnicate, unknown",
            "PATCH, /v1.41/containers/create, unknown",
            "GET, /v1.41/containers/abc/../../info, system.info",
            "GET, /v1.41//containers//json, container.list",
            "GET, /v1.41/containers%2Fjson, container.list",
    })
    void endpointsMapToActions(String method, String uri, String action) throws Exception {
        byte[] body = action.equals("container.exec") || action.equals("container.update") || action.equals("swarm.service.create")
                || action.equals("volume.create")
                ? "{}".getBytes() : action.equals("container.create") ? "{\"Image\":\"alpine\"}".getBytes() : null;
        assertThat(decode(method, uri, body).action()).isEqualTo(action);
    }

    @Test
    void everyRouteHasAKnownAction() {
        for (String r : DockerRequests.routes()) {
            String action = r.substring(r.lastIndexOf(' ') + 1);
            assertThat(Actions.ALL).as(r).contains(action);
        }
        assertThat(DockerRequests.routes()).hasSizeGreaterThan(100);
        // and every action is reachable: a route's, image.import (POST /images/create?fromSrc=) or unknown
        java.util.Set<String> reachable = new java.util.TreeSet<>(List.of("unknown", "image.import"));
        for (String r : DockerRequests.routes()) reachable.add(r.substring(r.lastIndexOf(' ') + 1));
        assertThat(reachable).isEqualTo(new java.util.TreeSet<>(Actions.ALL));
    }

    @Test
    void aMissingOrEmptyBodyIsRefusedWhereOneIsNeeded() {
        for (String uri : List.of("/v1.41/containers/create", "/v1.41/containers/abc/exec", "/v1.41/containers/abc/update", "/containers/create",
                "/v1.41/volumes/create", "/v1.41/services/create", "/v1.41/services/s/update")) {
            for (byte[] body : new byte[][]{null, new byte[0], " \n".getBytes()}) {
                assertThatThrownBy(() -> decode("POST", uri, body)).isInstanceOf(RequestException.class)
                        .hasMessageContaining("no request body");
            }
        }
    }

    @Test
    void oversizedGarbageAndAmbiguousBodiesAreRefused() throws Exception {
        byte[] big = new byte[DockerRequests.MAX_BODY + 1];
        assertThatThrownBy(() -> decode("POST", "/containers/create", big)).isInstanceOf(RequestException.class).hasMessageContaining("larger than");
        assertThatThrownBy(() -> decode("POST", "/containers/create", "{not json".getBytes())).isInstanceOf(RequestException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> decode("POST", "/containers/create", "[1]".getBytes())).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> decode("POST", "/containers/create", "{\"Image\":\"a\"} {}".getBytes())).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> decode("POST", "/containers/create", "{\"Image\":\"a\",\"Image\":\"b\"}".getBytes()))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> decode("POST", "/containers/create",
                "{\"Image\":\"a\",\"HostConfig\":{\"Privileged\":false,\"privileged\":true}}".getBytes()))
                .hasMessageContaining("differ only in case");
        // objects past the small-object comparison are checked through a set of folded keys, duplicates too
        StringBuilder many = new StringBuilder("{\"Image\":\"a\",\"HostConfig\":{");
        for (int i = 0; i < 40; i++) many.append("\"K").append(i).append("\":").append(i).append(',');
        String wide = many.toString();
        assertThatThrownBy(() -> decode("POST", "/containers/create", (wide + "\"Privileged\":false,\"PRIVILEGED\":true}}").getBytes()))
                .hasMessageContaining("differ only in case");
        assertThatThrownBy(() -> decode("POST", "/containers/create", (wide + "\"K3\":1}}").getBytes()))
                .hasMessageContaining("not valid JSON").hasMessageContaining("Duplicate field 'K3'");
        assertThat(decode("POST", "/containers/create", (wide + "\"Privileged\":true}}").getBytes()).object()).containsEntry("privileged", true);
        assertThatThrownBy(() -> decode("POST", "/containers/create", "{\"Image\":\"a\",\"HostConfig\":{\"Binds\":[".getBytes()))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> decode("POST", "/containers/create", "{\"Image\":\"a\"".getBytes())).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> decode("POST", "/containers/create", "[1,".getBytes())).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> decode("POST", "/containers/create", ("{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}").getBytes()))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> decode("POST", "/containers/create", "{\"HostConfig\":{}}".getBytes())).hasMessageContaining("without an Image");
        assertThatThrownBy(() -> decode("POST", "/containers/create", "{\"Image\":\"a\",\"HostConfig\":{\"Privileged\":\"yes\"}}".getBytes()))
                .hasMessageContaining("Privileged must be true or false");
        assertThatThrownBy(() -> decode("POST", "/containers/create", ("{\"Image\":\"a\",\"x\":" + "[".repeat(500) + "]".repeat(500) + "}").getBytes()))
                .isInstanceOf(RequestException.class);
        assertThatThrownBy(() -> decode("GET", "/containers/%zz/json", null)).hasMessageContaining("URI cannot be decoded");
        assertThatThrownBy(() -> decode("POST", "/images/create?fromImage=Alpine", null)).hasMessageContaining("image reference cannot be parsed");
    }

    @Test
    void keysAreMatchedAsGoMatchesThem() throws Exception {
        PolicyRequest r = decode("POST", "/containers/create", "{\"image\":\"alpine\",\"hostconfig\":{\"PRIVILEGED\":true,\"capadd\":[\"net_admin\"]}}".getBytes());
        assertThat(r.object()).containsEntry("privileged", true).containsEntry("capAdd", List.of("CAP_NET_ADMIN"));
        // U+017F (long s) folds to s in Go: "ſecurityOpt" sets SecurityOpt
        PolicyRequest s = decode("POST", "/containers/create", "{\"Image\":\"alpine\",\"HostConfig\":{\"\u017FecurityOpt\":[\"seccomp=unconfined\"]}}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(s.object()).containsEntry("seccompProfile", "unconfined");
    }

    @Test
    void hostConfigFieldsAreDecoded() throws Exception {
        ObjectNode b = sampleBody();
        ObjectNode hc = (ObjectNode) b.get("HostConfig");
        hc.put("Privileged", false).put("NetworkMode", "host").put("PidMode", "host").put("IpcMode", "host").put("UsernsMode", "host")
                .put("UTSMode", "host").put("ReadonlyRootfs", true).put("Memory", 536870912L).put("NanoCpus", 1500000000L)
                .put("PidsLimit", 100).put("CpuShares", 512);
        hc.putArray("CapAdd").add("SYS_ADMIN").add("CAP_CHOWN").add("all");
        hc.putArray("CapDrop").add("ALL");
        hc.putArray("SecurityOpt").add("apparmor=unconfined").add("seccomp:unconfined").add("no-new-privileges");
        hc.putArray("Devices").addObject().put("PathOnHost", "/dev/../dev/kmsg").put("PathInContainer", "/dev/kmsg");
        hc.putArray("Ulimits").addObject().put("Name", "nofile").put("Soft", 1024).put("Hard", 2048);
        hc.putArray("Binds").add("/srv//data/../data:/data:ro,z").add("named:/vol");
        hc.putArray("Mounts").addObject().put("Type", "bind").put("Source", "/srv/x/").put("Target", "/x");
        ((ObjectNode) hc.withArray("Mounts").addObject().put("Type", "volume").put("Source", "v").put("Target", "/v")
                .putObject("VolumeOptions").putObject("DriverConfig")).putObject("Options").put("type", "none").put("o", "bind").put("device", "/boot");
        b.put("User", "0:0");
        Map<String, Object> o = create(b).object();
        assertThat(o).containsEntry("networkMode", "host").containsEntry("pidMode", "host").containsEntry("ipcMode", "host")
                .containsEntry("usernsMode", "host").containsEntry("utsMode", "host").containsEntry("readonlyRootfs", true)
                .containsEntry("memory", 536870912L).containsEntry("nanoCpus", 1500000000L).containsEntry("pidsLimit", 100L)
                .containsEntry("cpuShares", 512L).containsEntry("capAdd", List.of("CAP_SYS_ADMIN", "CAP_CHOWN", "ALL"))
                .containsEntry("capDrop", List.of("ALL")).containsEntry("apparmorProfile", "unconfined")
                .containsEntry("seccompProfile", "unconfined").containsEntry("noNewPrivileges", true)
                .containsEntry("devices", List.of("/dev/kmsg")).containsEntry("ulimits", List.of("nofile=1024:2048"))
                .containsEntry("runAsUser", "0:0").containsEntry("hostPaths", List.of("/srv/data", "/srv/x", "/boot"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> mounts = (List<Map<String, Object>>) o.get("mounts");
        assertThat(mounts).hasSize(4);
        assertThat(mounts.get(0)).containsEntry("type", "bind").containsEntry("source", "/srv/data").containsEntry("target", "/data")
                .containsEntry("readOnly", true);
        assertThat(mounts.get(1)).containsEntry("type", "volume").containsEntry("source", "named");
    }

    @Test
    void aSymlinkToEtcIsSeenAsEtc(@TempDir Path tmp) throws Exception {
        Path link = tmp.resolve("link");
        Files.createSymbolicLink(link, Path.of("/etc"));
        Path rel = tmp.resolve("rel");
        Files.createDirectory(tmp.resolve("d"));
        Files.createSymbolicLink(rel, Path.of("d/../link"));
        ObjectNode b = sampleBody();
        ((ObjectNode) b.get("HostConfig")).putArray("Binds").add(link + ":/host").add(rel + "/ssl:/ssl");
        ((ObjectNode) b.get("HostConfig")).putArray("Mounts").addObject().put("Type", "bind").put("Source", link + "/..").put("Target", "/t");
        Map<String, Object> o = create(b).object();
        assertThat(o.get("hostPaths")).isEqualTo(List.of("/etc", "/etc/ssl", "/"));
    }

    @Test
    void aSymlinkLoopIsRefused(@TempDir Path tmp) throws Exception {
        Files.createSymbolicLink(tmp.resolve("a"), tmp.resolve("b"));
        Files.createSymbolicLink(tmp.resolve("b"), tmp.resolve("a"));
        ObjectNode b = sampleBody();
        ((ObjectNode) b.get("HostConfig")).putArray("Binds").add(tmp.resolve("a") + "/x:/x");
        assertThatThrownBy(() -> create(b)).isInstanceOf(RequestException.class).hasMessageContaining("symbolic links");
    }

    @ParameterizedTest
    @CsvSource({
            "fromImage=alpine&tag=3.20, docker.io/library/alpine:3.20, docker.io, library/alpine, 3.20, ''",
            "fromImage=alpine, docker.io/library/alpine:latest, docker.io, library/alpine, latest, ''",
            "fromImage=localhost:5000/team/app&tag=v1, localhost:5000/team/app:v1, localhost:5000, team/app, v1, ''",
            "fromImage=quay.io%2Fcoreos%2Fetcd&tag=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, quay.io/coreos/etcd@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, quay.io, coreos/etcd, '', sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "fromImage=index.docker.io/bitnami/redis&tag=7, docker.io/bitnami/redis:7, docker.io, bitnami/redis, 7, ''",
    })
    void imagePullsAreNormalisedAsDockerDoes(String query, String image, String registry, String repo, String tag, String digest) throws Exception {
        Map<String, Object> o = decode("POST", "/v1.41/images/create?" + query, null).object();
        assertThat(o).containsEntry("image", image).containsEntry("registry", registry).containsEntry("repository", repo)
                .containsEntry("tag", tag).containsEntry("digest", digest);
    }

    @Test
    void execPushBuildVolumeAndServiceBodies() throws Exception {
        Map<String, Object> exec = decode("POST", "/v1.41/containers/web/exec", "{\"User\":\"root\",\"Privileged\":true,\"Cmd\":[\"sh\"]}".getBytes()).object();
        assertThat(exec).containsEntry("container", "web").containsEntry("runAsUser", "root").containsEntry("privileged", true)
                .containsEntry("cmd", List.of("sh"));
        Map<String, Object> push = decode("POST", "/v1.41/images/registry.local:5000/app/push?tag=2", null).object();
        assertThat(push).containsEntry("image", "registry.local:5000/app:2").containsEntry("registry", "registry.local:5000");
        Map<String, Object> build = decode("POST", "/v1.41/build?t=a:1&t=b:2&networkmode=host", null).object();
        assertThat(build).containsEntry("tags", List.of("a:1", "b:2")).containsEntry("networkMode", "host");
        Map<String, Object> vol = decode("POST", "/v1.41/volumes/create",
                "{\"Name\":\"v\",\"Driver\":\"local\",\"DriverOpts\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/etc/./\"}}".getBytes()).object();
        assertThat(vol).containsEntry("hostPaths", List.of("/etc")).containsEntry("driver", "local").containsEntry("name", "v");
        Map<String, Object> svc = decode("POST", "/v1.41/services/create",
                "{\"Name\":\"s\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"nginx:1\",\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/proc\",\"Target\":\"/p\"}],\"CapabilityAdd\":[\"CAP_SYS_ADMIN\"]}}}".getBytes()).object();
        assertThat(svc).containsEntry("image", "docker.io/library/nginx:1").containsEntry("hostPaths", List.of("/proc"))
                .containsEntry("capAdd", List.of("CAP_SYS_ADMIN"));
        Map<String, Object> byId = create(JSON.readTree("{\"Image\":\"sha256:" + "a".repeat(64) + "\"}")).object();
        assertThat(byId).containsEntry("registry", "").containsEntry("digest", "sha256:" + "a".repeat(64));
    }

    @Test
    void usersAndGroupsComeFromTheRequestAndTheMapping() throws Exception {
        PolicyRequest r = DockerRequests.decode(new DockerApiRequest("GET", "/info", null, Map.of(), "alice", "TLS"),
                u -> u.equals("alice") ? List.of("admins") : List.of());
        assertThat(r.user()).isEqualTo("alice");
        assertThat(r.groups()).containsExactly("admins");
        assertThat(r.object()).containsEntry("query", Map.of());
    }
}
