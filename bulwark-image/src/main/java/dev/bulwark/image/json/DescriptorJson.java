package dev.bulwark.image.json;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.Map;

/** An OCI content descriptor as it appears on the wire. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DescriptorJson(String mediaType, String digest, Long size, PlatformJson platform, Map<String, String> annotations) {
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PlatformJson(String architecture, String os, String variant) {
    }
}
