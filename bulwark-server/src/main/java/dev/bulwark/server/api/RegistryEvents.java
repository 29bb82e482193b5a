package dev.bulwark.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * docker-registry (distribution) notification envelopes: {@code {"events":[{"action":"push","target":{...},
 * "request":{"host":...}}]}}. Each push of a tagged manifest names an image to scan, as host/repository:tag with the
 * host the pusher used. Pulls, blob pushes and untagged child manifests of an index are left out.
 */
final class RegistryEvents {
    private static final Set<String> MANIFESTS = Set.of(
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json");

    private RegistryEvents() {
    }

    static List<String> pushedReferences(JsonNode envelope) throws Problem {
        JsonNode events = envelope.get("events");
        if (events == null || !events.isArray()) throw Problem.badRequest("not a registry notification: no \"events\" array");
        if (events.size() > 1000) throw Problem.badRequest("more than 1000 events in one notification");
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode e : events) {
            if (!"push".equals(e.path("action").asText())) continue;
            JsonNode t = e.path("target");
            if (!MANIFESTS.contains(t.path("mediaType").asText())) continue;
            String repo = t.path("repository").asText("");
            String tag = t.path("tag").asText("");
            String host = e.path("request").path("host").asText("");
            if (repo.isEmpty() || tag.isEmpty() || host.isEmpty()) continue;
            out.add(host + "/" + repo + ":" + tag);
        }
        return new ArrayList<>(out);
    }
}
