package dev.bulwark.audit.host;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * One image as {@code GET /images/{id}/json} describes it.
 *
 * @param id      "sha256:..."
 * @param tags    its RepoTags (empty for dangling images)
 * @param inspect the inspect document
 */
record Image(String id, List<String> tags, JsonNode inspect) {

    static Image of(JsonNode inspect) {
        List<String> tags = Container.strings(inspect.path("RepoTags")).stream()
            .filter(t -> !t.equals("<none>:<none>")).toList();
        return new Image(inspect.path("Id").asText(""), tags, inspect);
    }

    /** "bulwark-test/bookworm:12", or the short id for an untagged image. */
    String name() {
        if (!tags.isEmpty()) return tags.getFirst();
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return "<none>@" + (hex.length() > 12 ? hex.substring(0, 12) : hex);
    }

    JsonNode config() {
        return inspect.path("Config");
    }
}
