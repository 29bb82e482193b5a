package dev.bulwark.report.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * The wire shape of Bulwark JSON, schema version 1 (docs/report-json.md). Field names and order here are the
 * published format: renaming a component is a breaking change and needs a new schema version. Absent values are
 * left out rather than written as null; lists and maps are always written. Numbers and booleans are boxed so
 * that a missing one is told apart from 0 or false.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schemaVersion", "tool", "scannedAt", "image", "os", "packages", "warnings", "secrets", "hygiene", "efficiency"})
record InventoryDocument(Integer schemaVersion, String tool, String scannedAt, Image image, Os os,
                         List<Pkg> packages, List<String> warnings, String kind, List<Secret> secrets,
                         List<Hygiene> hygiene, Efficiency efficiency) {

    InventoryDocument(Integer schemaVersion, String tool, String scannedAt, Image image, Os os, List<Pkg> packages,
                      List<String> warnings, String kind) {
        this(schemaVersion, tool, scannedAt, image, os, packages, warnings, kind, null, null, null);
    }

    /**
     * An inventory as written: inventories and scan reports carry no {@code kind} (it is null, so left out); other
     * Bulwark documents do ({@code "audit"}), and reading one of those as an inventory is refused, not misread as an
     * image with no packages.
     */
    InventoryDocument(Integer schemaVersion, String tool, String scannedAt, Image image, Os os, List<Pkg> packages,
                      List<String> warnings) {
        this(schemaVersion, tool, scannedAt, image, os, packages, warnings, null);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"target", "kind", "imageId", "manifestDigest", "repoTags", "repoDigests", "platform", "created",
            "layers", "config"})
    record Image(String target, String kind, String imageId, String manifestDigest, List<String> repoTags,
                 List<String> repoDigests, Platform platform, String created, List<Layer> layers,
                 Map<String, String> config) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"os", "architecture", "variant"})
    record Platform(String os, String architecture, String variant) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"index", "diffId", "digest", "size", "mediaType", "createdBy"})
    record Layer(Integer index, String diffId, String digest, Long size, String mediaType, String createdBy) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "versionId", "codename", "prettyName", "idLike", "distroless"})
    record Os(String id, String versionId, String codename, String prettyName, String idLike, Boolean distroless) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"type", "name", "version", "purl", "source", "licenses", "layer", "paths", "properties"})
    record Pkg(String type, String name, String version, String purl, Source source, List<String> licenses,
               String layer, List<String> paths, Map<String, String> properties) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "version"})
    record Source(String name, String version) {
    }

    /** A secret, always redacted ({@code match}): additive in schema version 1, written when secrets were found. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"rule", "severity", "title", "match", "path", "layer", "deletedLater", "line"})
    record Secret(String rule, String severity, String title, String match, String path, String layer, Boolean deletedLater, Integer line) {
    }

    /** A hygiene problem: additive, written (with efficiency) when the hygiene checks ran. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"check", "severity", "title", "subject", "layer", "evidence", "fix"})
    record Hygiene(String check, String severity, String title, String subject, String layer, String evidence, String fix) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"totalBytes", "wastedBytes", "cacheBytes", "score"})
    record Efficiency(Long totalBytes, Long wastedBytes, Long cacheBytes, Double score) {
    }
}
