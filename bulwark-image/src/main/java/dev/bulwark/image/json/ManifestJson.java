package dev.bulwark.image.json;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * Either an image manifest (config + layers) or an index / manifest list (manifests); OCI and Docker schema 2 share
 * this shape, so one DTO reads both and the caller tells them apart.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ManifestJson(Integer schemaVersion, String mediaType, DescriptorJson config, List<DescriptorJson> layers,
                           List<DescriptorJson> manifests) {
}
