package dev.bulwark.audit.host;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One container as {@code GET /containers/{id}/json} describes it.
 *
 * @param id      the full container id
 * @param name    its name without the leading "/"
 * @param running whether State.Running
 * @param inspect the inspect document
 */
record Container(String id, String name, boolean running, JsonNode inspect) {

    static Container of(JsonNode inspect) {
        String name = inspect.path("Name").asText("");
        if (name.startsWith("/")) name = name.substring(1);
        return new Container(inspect.path("Id").asText(""), name, inspect.path("State").path("Running").asBoolean(false),
            inspect);
    }

    JsonNode hostConfig() {
        return inspect.path("HostConfig");
    }

    JsonNode config() {
        return inspect.path("Config");
    }

    /** The image reference it was created from ("bulwark-test/bookworm:12"). */
    String image() {
        return config().path("Image").asText(inspect.path("Image").asText(""));
    }

    /** The image id ("sha256:..."). */
    String imageId() {
        return inspect.path("Image").asText("");
    }

    String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** HostConfig.SecurityOpt entries. */
    List<String> securityOpt() {
        return strings(hostConfig().path("SecurityOpt"));
    }

    boolean privileged() {
        return hostConfig().path("Privileged").asBoolean(false);
    }

    String hostConfigText(String field) {
        JsonNode n = hostConfig().path(field);
        return n.isMissingNode() || n.isNull() ? "" : n.asText("");
    }

    long hostConfigLong(String field) {
        return hostConfig().path(field).asLong(0);
    }

    /** Mounts: the inspect's Mounts (present for created containers too). */
    List<JsonNode> mounts() {
        List<JsonNode> out = new ArrayList<>();
        inspect.path("Mounts").forEach(out::add);
        return out;
    }

    static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        if (arr != null && arr.isArray()) arr.forEach(n -> out.add(n.asText()));
        return out;
    }
}
