package dev.bulwark.image;

import dev.bulwark.model.Platform;

import java.util.Map;

/**
 * How to open a source.
 *
 * @param platform    platform to pick from a multi-platform index (the host's when null)
 * @param credentials registry credentials (else the Docker client config, else anonymous)
 * @param plainHttp   speak HTTP, not HTTPS, to the registry (loopback registries always get HTTP)
 * @param limits      bounds against hostile input
 * @param env         environment (DOCKER_HOST, DOCKER_CONFIG)
 */
public record SourceOptions(Platform platform, RegistryCredentials credentials, boolean plainHttp, Limits limits,
                            Map<String, String> env) {
    public SourceOptions {
        platform = platform == null ? Platform.host() : platform;
        limits = limits == null ? Limits.DEFAULT : limits;
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    public static SourceOptions defaults() {
        return new SourceOptions(null, null, false, null, System.getenv());
    }
}
