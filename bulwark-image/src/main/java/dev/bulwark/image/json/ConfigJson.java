package dev.bulwark.image.json;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** The image configuration (OCI image config / Docker image JSON), only the parts Bulwark reads. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConfigJson(String architecture, String os, String variant, String created, RunConfig config,
                         RootFs rootfs, List<History> history) {
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RunConfig(@JsonProperty("User") String user, @JsonProperty("Env") List<String> env,
                            @JsonProperty("Entrypoint") List<String> entrypoint, @JsonProperty("Cmd") List<String> cmd,
                            @JsonProperty("WorkingDir") String workingDir,
                            @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
                            @JsonProperty("Labels") Map<String, String> labels,
                            @JsonProperty("Healthcheck") Map<String, Object> healthcheck) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RootFs(String type, @JsonProperty("diff_ids") List<String> diffIds) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record History(String created, @JsonProperty("created_by") String createdBy,
                          @JsonProperty("empty_layer") Boolean emptyLayer, String comment) {
    }
}
