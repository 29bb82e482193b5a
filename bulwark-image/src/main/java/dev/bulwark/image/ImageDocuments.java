package dev.bulwark.image;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.image.json.ConfigJson;
import dev.bulwark.image.json.DescriptorJson;
import dev.bulwark.image.json.ManifestJson;
import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.Platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Parsing and checking of manifests, indexes and configs, shared by every source. */
final class ImageDocuments {
    /** For the documents {@link WireJson} does not read; made on first use (a warm re-scan of a layout never does). */
    static ObjectMapper json() {
        return Binder.JSON;
    }

    private static final class Binder {
        static final ObjectMapper JSON = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
    }

    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final Set<String> INDEX_TYPES = Set.of(OCI_INDEX, DOCKER_LIST);
    static final Set<String> MANIFEST_TYPES = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);

    private ImageDocuments() {
    }

    static <T> T parse(byte[] bytes, Class<T> type, String where, String what) throws ImageException {
        if (type == ManifestJson.class || type == ConfigJson.class) {
            try {
                Object tree = WireJson.parse(bytes);
                if (tree == null) throw new ImageException(where, what + " is empty (null)");
                return type.cast(type == ManifestJson.class ? WireJson.manifest(tree) : WireJson.config(tree));
            } catch (WireJson.Malformed e) {
                throw new ImageException(where, "malformed " + what + ": " + e.getMessage());
            }
        }
        try {
            T v = json().readValue(bytes, type);
            if (v == null) throw new ImageException(where, what + " is empty (null)");
            return v;
        } catch (JacksonException e) {
            throw new ImageException(where, "malformed " + what + ": " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new ImageException(where, "cannot read " + what + ": " + e.getMessage());
        }
    }

    /** Checks a small blob read whole against its descriptor's digest and size. */
    static void verify(byte[] data, Digest d, Long size, String where) throws ImageException {
        if (size != null && size != data.length)
            throw new ImageException(where, "blob " + d + " is " + data.length + " bytes, its descriptor says " + size);
        java.security.MessageDigest md = d.newMessageDigest();
        md.update(data);
        Digest actual = Digest.of(md);
        if (!actual.equals(d)) throw new ImageException(where, "blob " + d + " digest mismatch: content hashes to " + actual);
    }

    static boolean isIndex(ManifestJson m) {
        return (m.mediaType() != null && INDEX_TYPES.contains(m.mediaType()))
                || (m.mediaType() == null && m.manifests() != null && m.layers() == null);
    }

    static Digest digestOf(DescriptorJson d, String where) throws ImageException {
        if (d == null || d.digest() == null) throw new ImageException(where, "descriptor without a digest");
        try {
            return Digest.parse(d.digest());
        } catch (IllegalArgumentException e) {
            throw new ImageException(where, e.getMessage());
        }
    }

    /** Picks the manifest for {@code wanted} (the host's platform by default) from an index. */
    static DescriptorJson selectPlatform(ManifestJson index, Platform wanted, String where) throws ImageException {
        List<DescriptorJson> ms = index.manifests() == null ? List.of() : index.manifests();
        Set<String> offered = new TreeSet<>();
        DescriptorJson fallback = null;
        for (DescriptorJson d : ms) {
            if (d.platform() == null || d.platform().architecture() == null) {
                // Attestation manifests (buildkit) carry platform unknown/unknown or none at all.
                if (ms.size() == 1) fallback = d;
                continue;
            }
            if ("unknown".equals(d.platform().architecture())) continue;
            Platform p = new Platform(d.platform().os(), d.platform().architecture(), d.platform().variant());
            offered.add(p.toString());
            if (wanted.accepts(p)) return d;
        }
        if (fallback != null) return fallback;
        throw new ImageException(where, "no manifest for platform " + wanted + " in the index; it offers "
                + (offered.isEmpty() ? "none" : String.join(", ", offered)) + " (choose one with --platform)");
    }

    static void checkManifest(ManifestJson m, String where) throws ImageException {
        if (m.schemaVersion() == null || m.schemaVersion() != 2)
            throw new ImageException(where, "unsupported manifest schemaVersion " + m.schemaVersion() + " (only 2 is read)");
        if (m.mediaType() != null && !MANIFEST_TYPES.contains(m.mediaType()))
            throw new ImageException(where, "unsupported manifest media type '" + m.mediaType() + "'");
        if (m.config() == null) throw new ImageException(where, "manifest has no config descriptor");
        if (m.layers() == null) throw new ImageException(where, "manifest has no layers list");
    }

    /** Layers of a manifest, checked against the config's diff_ids. */
    static List<LayerInfo> layers(ManifestJson m, ConfigJson config, String where) throws ImageException {
        List<String> diffIds = diffIds(config, where);
        if (diffIds.size() != m.layers().size())
            throw new ImageException(where, "manifest lists " + m.layers().size() + " layers but the config has "
                    + diffIds.size() + " diff_ids");
        List<String> createdBy = createdBy(config, diffIds.size());
        List<LayerInfo> out = new ArrayList<>();
        for (int i = 0; i < diffIds.size(); i++) {
            DescriptorJson d = m.layers().get(i);
            Digest blob = digestOf(d, where + " layer " + i);
            if (!LayerStreams.isKnownLayerType(d.mediaType()))
                throw new ImageException(where + " layer " + blob, "unsupported layer media type '" + d.mediaType() + "'");
            if (d.size() == null || d.size() < 0)
                throw new ImageException(where + " layer " + blob, "descriptor without a valid size");
            out.add(new LayerInfo(i, parseDigest(diffIds.get(i), where), blob, d.size(), d.mediaType(), createdBy.get(i)));
        }
        return out;
    }

    static List<String> diffIds(ConfigJson config, String where) throws ImageException {
        if (config.rootfs() == null || config.rootfs().diffIds() == null)
            throw new ImageException(where, "image config has no rootfs.diff_ids");
        return config.rootfs().diffIds();
    }

    static Digest parseDigest(String s, String where) throws ImageException {
        try {
            return Digest.parse(s);
        } catch (IllegalArgumentException e) {
            throw new ImageException(where, e.getMessage());
        }
    }

    /** The history entries that made a layer, in layer order ("empty_layer" entries skipped). */
    static List<String> createdBy(ConfigJson config, int layers) {
        List<String> out = new ArrayList<>();
        if (config.history() != null) {
            for (ConfigJson.History h : config.history()) {
                if (h == null || Boolean.TRUE.equals(h.emptyLayer())) continue;
                out.add(h.createdBy() == null ? h.comment() : h.createdBy());
            }
        }
        // History is optional and sometimes incomplete: pad so every layer has an entry.
        while (out.size() < layers) out.add(null);
        return out.subList(0, layers);
    }

    static Platform platformOf(ConfigJson c) {
        return c.architecture() == null || c.architecture().isBlank() ? null : new Platform(c.os(), c.architecture(), c.variant());
    }

    static ImageInfo info(String target, String kind, Digest configDigest, Digest manifestDigest, List<String> tags,
                          List<String> repoDigests, ConfigJson config, List<LayerInfo> layers) {
        Map<String, String> facts = new LinkedHashMap<>();
        ConfigJson.RunConfig rc = config.config();
        if (rc != null) {
            if (rc.user() != null) facts.put("user", rc.user());
            if (rc.workingDir() != null && !rc.workingDir().isEmpty()) facts.put("workingDir", rc.workingDir());
            if (rc.entrypoint() != null) facts.put("entrypoint", String.join(" ", rc.entrypoint()));
            if (rc.cmd() != null) facts.put("cmd", String.join(" ", rc.cmd()));
            if (rc.exposedPorts() != null && !rc.exposedPorts().isEmpty())
                facts.put("exposedPorts", String.join(",", new TreeSet<>(rc.exposedPorts().keySet())));
            facts.put("healthcheck", String.valueOf(rc.healthcheck() != null && !rc.healthcheck().isEmpty()));
            if (rc.env() != null) {
                // Names only: values may be secrets and do not belong in an inventory.
                List<String> names = rc.env().stream().filter(java.util.Objects::nonNull)
                        .map(e -> e.contains("=") ? e.substring(0, e.indexOf('=')) : e).toList();
                facts.put("envNames", String.join(",", names));
            }
        }
        return new ImageInfo(target, kind, configDigest, manifestDigest, tags, repoDigests, platformOf(config),
                config.created(), layers, facts);
    }
}
