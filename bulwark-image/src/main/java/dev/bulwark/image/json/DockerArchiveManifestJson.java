package dev.bulwark.image.json;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** One element of manifest.json in a `docker save` archive. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerArchiveManifestJson(@JsonProperty("Config") String config, @JsonProperty("RepoTags") List<String> repoTags,
                                        @JsonProperty("Layers") List<String> layers) {
}
