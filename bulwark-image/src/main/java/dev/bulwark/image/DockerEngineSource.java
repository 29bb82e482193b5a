package dev.bulwark.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.docker.DockerClient;
import dev.bulwark.docker.DockerException;
import dev.bulwark.image.json.ConfigJson;
import dev.bulwark.model.Digest;
import dev.bulwark.model.LayerInfo;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * An image held by a Docker Engine, read through its export endpoint (the stream `docker save` writes), without
 * writing it to disk. The export orders layers by legacy id, not by position, so each layer is identified by
 * the digest of its content once read.
 */
final class DockerEngineSource implements ImageSource {
    private final DockerClient docker;
    private final String name;
    private final Limits limits;
    /** Replaced once a walk has read the exact config (the layers' history lines); otherwise fixed at open. */
    private volatile dev.bulwark.model.ImageInfo info;
    private final byte[] configDocument;
    private volatile byte[] exportedConfig;

    DockerEngineSource(DockerClient docker, String name, Limits limits) throws ImageException {
        this.docker = docker;
        this.name = name;
        this.limits = limits;
        String where = "docker:" + name;
        try {
            JsonNode img = docker.getJson("/images/" + enc(name) + "/json");
            Digest id = ImageDocuments.parseDigest(img.path("Id").asText(), where);
            List<String> diffIds = new ArrayList<>();
            img.path("RootFS").path("Layers").forEach(n -> diffIds.add(n.asText()));
            ConfigJson.RunConfig rc = ImageDocuments.json().treeToValue(img.path("Config"), ConfigJson.RunConfig.class);
            List<ConfigJson.History> history = history(docker.getJson("/images/" + enc(name) + "/history"), diffIds.size());
            ConfigJson config = new ConfigJson(img.path("Architecture").asText(null), img.path("Os").asText(null),
                    img.path("Variant").asText(null), img.path("Created").asText(null), rc,
                    new ConfigJson.RootFs("layers", diffIds), history);
            this.configDocument = configDocument(img.path("Config"), history);
            List<LayerInfo> layers = new ArrayList<>();
            for (int i = 0; i < diffIds.size(); i++) {
                Digest d = ImageDocuments.parseDigest(diffIds.get(i), where);
                layers.add(new LayerInfo(i, d, d, -1, LayerStreams.DOCKER_LAYER_TAR, null));
            }
            List<String> tags = new ArrayList<>();
            img.path("RepoTags").forEach(n -> tags.add(n.asText()));
            List<String> digests = new ArrayList<>();
            img.path("RepoDigests").forEach(n -> digests.add(n.asText()));
            this.info = ImageDocuments.info(where, "docker", id, null, tags, digests, config, layers);
        } catch (DockerException e) {
            docker.close();
            throw new ImageException(where, e.status() == 404 ? "no such image in the Docker daemon (" + e.getMessage() + ")" : e.oneLine(), e);
        } catch (IOException e) {
            docker.close();
            throw new ImageException(where, "malformed image inspect answer: " + e.getMessage(), e);
        }
    }

    /**
     * The daemon's history (newest first) as a config's history (oldest first). The Engine API does not say which
     * steps made no layer, and size 0 does not tell (a RUN that only deletes makes a layer of size 0): a step made
     * none when it has size 0 and is a metadata instruction (ENV, LABEL, ARG, CMD..., "#(nop)" but for ADD and COPY).
     * If that does not give as many steps with a layer as the image has layers, which step made which layer cannot be
     * told, and the history is left out.
     */
    private static List<ConfigJson.History> history(JsonNode steps, int layers) {
        List<ConfigJson.History> out = new ArrayList<>();
        int withLayer = 0;
        for (int i = steps.size() - 1; i >= 0; i--) {
            JsonNode h = steps.get(i);
            String createdBy = h.path("CreatedBy").asText(null);
            boolean empty = h.path("Size").asLong(-1) == 0 && metadataStep(createdBy);
            if (!empty) withLayer++;
            long created = h.path("Created").asLong(0);
            out.add(new ConfigJson.History(created == 0 ? null : java.time.Instant.ofEpochSecond(created).toString(),
                    createdBy, empty, h.path("Comment").asText(null)));
        }
        return withLayer == layers ? out : List.of();
    }

    private static final java.util.regex.Pattern METADATA_STEP = java.util.regex.Pattern.compile(
            "(?:.*#\\(nop\\)\\s+|)(ENV|LABEL|ARG|CMD|ENTRYPOINT|EXPOSE|USER|WORKDIR|VOLUME|STOPSIGNAL|HEALTHCHECK|SHELL"
                    + "|ONBUILD|MAINTAINER)\\b.*", java.util.regex.Pattern.DOTALL);

    /** Classic builder: "/bin/sh -c #(nop)  ENV A=b"; BuildKit: "ENV A=b". */
    private static boolean metadataStep(String createdBy) {
        return createdBy != null && METADATA_STEP.matcher(createdBy.strip()).matches();
    }

    /** An image config document from what the daemon gives: its Config object (with values) and the history. */
    private static byte[] configDocument(JsonNode runConfig, List<ConfigJson.History> history) {
        var doc = ImageDocuments.json().createObjectNode();
        doc.set("config", runConfig);
        doc.set("history", ImageDocuments.json().valueToTree(history));
        try {
            return ImageDocuments.json().writeValueAsBytes(doc);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    /**
     * The exact config, from the export: kept for {@link #configDocument()}, and its history gives each layer the step
     * that made it (the daemon's history, read at open, cannot always tell).
     */
    private void exported(byte[] config, String where) throws ImageException {
        exportedConfig = config;
        ConfigJson c = ImageDocuments.parse(config, ConfigJson.class, where + " config", "image config");
        dev.bulwark.model.ImageInfo i = info;
        List<String> createdBy = ImageDocuments.createdBy(c, i.layers().size());
        List<LayerInfo> layers = new ArrayList<>();
        for (LayerInfo l : i.layers())
            layers.add(new LayerInfo(l.index(), l.diffId(), l.digest(), l.size(), l.mediaType(), createdBy.get(l.index())));
        info = new dev.bulwark.model.ImageInfo(i.target(), i.kind(), i.imageId(), i.manifestDigest(), i.repoTags(),
                i.repoDigests(), i.platform(), i.created(), layers, i.config());
    }

    /**
     * The config blob from the export stream once a walk has passed it (exact, checked against the image id); until
     * then, or when no walk was needed (every layer cached), one made of the daemon's inspect Config and history.
     */
    @Override
    public byte[] configDocument() {
        byte[] exported = exportedConfig;
        return exported != null ? exported : configDocument;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public dev.bulwark.model.ImageInfo info() {
        return info;
    }

    @Override
    public void walkLayers(List<Integer> indexes, LayerHandler handler, ExecutorService executor) throws ImageException {
        String where = info.target();
        Map<Digest, LayerInfo> byDiffId = new HashMap<>();
        for (LayerInfo l : info.layers()) byDiffId.putIfAbsent(l.diffId(), l);
        Set<Digest> seen = new HashSet<>();
        try (InputStream export = docker.stream("/images/" + enc(name) + "/get");
             TarArchiveInputStream outer = new TarArchiveInputStream(new BufferedInputStream(export, 1 << 16), true)) {
            TarArchiveEntry e;
            while ((e = outer.getNextEntry()) != null) {
                String n = e.getName();
                Digest id = info.imageId();
                if (e.isFile() && id != null && (n.equals(id.hex() + ".json") || n.equals("blobs/sha256/" + id.hex()))) {
                    // the config blob itself, exact (docker 20.10 names it <id>.json, 25+ puts it in blobs/)
                    byte[] config = new NonClosingInput(outer).readNBytes(Math.min(limits.maxMetadataBytes(), Integer.MAX_VALUE - 16) + 1);
                    if (config.length <= limits.maxMetadataBytes() && Digest.sha256(config).equals(id)) exported(config, where);
                    continue;
                }
                if (!e.isFile() || !(n.endsWith("/layer.tar") || n.startsWith("blobs/sha256/"))) continue;
                BufferedInputStream buf = new BufferedInputStream(new NonClosingInput(outer), 1 << 16);
                if (n.startsWith("blobs/") && !looksLikeTar(buf)) continue;
                DigestInputStream content = new DigestInputStream(buf, Digest.newSha256());
                LayerVisitor v = handler.start(null);
                try {
                    TarLayerWalker.walk(content, v, limits);
                    content.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (BlobIntegrityException ex) {
                    throw new ImageException(where + " " + n, ex.getMessage());
                }
                Digest d = Digest.of(content.getMessageDigest());
                LayerInfo layer = byDiffId.get(d);
                if (layer == null) continue; // not a layer of this image (a config blob that looked like a tar)
                seen.add(d);
                handler.finished(v, layer);
            }
        } catch (DockerException ex) {
            throw new ImageException(where, ex.oneLine(), ex);
        } catch (IOException ex) {
            throw new ImageException(where, "reading the export stream: " + BlobImageSource.describe(ex), ex);
        }
        for (int i : indexes) {
            if (!seen.contains(info.layers().get(i).diffId()))
                throw new ImageException(where, "the export lacks layer " + info.layers().get(i).diffId());
        }
    }

    /** Docker 25+ exports put layers, configs and manifests side by side in blobs/: a tar has "ustar" at 257. */
    private static boolean looksLikeTar(BufferedInputStream in) throws IOException {
        in.mark(512);
        byte[] head = in.readNBytes(512);
        in.reset();
        return head.length == 512 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    }

    @Override
    public void close() {
        docker.close();
    }

    private static final class NonClosingInput extends java.io.FilterInputStream {
        NonClosingInput(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
