package dev.bulwark.image;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/** A username and password (or identity token) for one registry. */
public record RegistryCredentials(String username, String password) {
    @Override
    public String toString() {
        return "RegistryCredentials[" + username + ", ****]"; // never print the secret
    }

    String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Credentials for {@code registry} from a Docker client config file ({@code $DOCKER_CONFIG/config.json} or
     * {@code ~/.docker/config.json}, "auths" entries only; credential helpers are not run). Null when none.
     */
    static RegistryCredentials fromDockerConfig(String registry, Map<String, String> env) {
        String dir = env.get("DOCKER_CONFIG");
        Path file = dir != null ? Path.of(dir, "config.json") : Path.of(System.getProperty("user.home"), ".docker", "config.json");
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > (1 << 20)) return null;
            JsonNode auths = ImageDocuments.json().readTree(file.toFile()).path("auths");
            for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!hostOf(e.getKey()).equals(registry) && !(registry.equals("docker.io") && hostOf(e.getKey()).equals("index.docker.io")))
                    continue;
                String auth = e.getValue().path("auth").asText("");
                if (auth.isEmpty()) continue;
                String decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) return new RegistryCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
            }
        } catch (Exception e) {
            return null; // an unreadable client config is not our input; fall back to anonymous access
        }
        return null;
    }

    private static String hostOf(String key) {
        String k = key.replaceFirst("^https?://", "");
        int slash = k.indexOf('/');
        return slash < 0 ? k : k.substring(0, slash);
    }
}
