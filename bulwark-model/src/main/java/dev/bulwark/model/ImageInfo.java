package dev.bulwark.model;

import java.util.List;
import java.util.Map;

/**
 * What is known of the scanned artifact.
 *
 * @param target       what the user asked for, normalised ("registry:localhost:5000/app:1.0")
 * @param kind         docker-archive, oci, registry, docker, rootfs
 * @param imageId      config digest (the image ID), or null for a root filesystem
 * @param manifestDigest digest of the manifest that was read, or null
 * @param repoTags     tags the source knows
 * @param repoDigests  name@digest forms the source knows
 * @param platform     the image's os/architecture
 * @param created      creation time as the config writes it, or null
 * @param layers       layers, base first
 * @param config       image config facts relevant to security (user, env names, exposed ports, entrypoint...)
 */
public record ImageInfo(String target, String kind, Digest imageId, Digest manifestDigest, List<String> repoTags,
                        List<String> repoDigests, Platform platform, String created, List<LayerInfo> layers,
                        Map<String, String> config) {
    public ImageInfo {
        repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
        repoDigests = repoDigests == null ? List.of() : List.copyOf(repoDigests);
        layers = layers == null ? List.of() : List.copyOf(layers);
        config = config == null ? Map.of() : Map.copyOf(config);
    }
}
