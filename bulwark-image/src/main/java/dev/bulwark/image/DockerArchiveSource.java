package dev.bulwark.image;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.bulwark.image.json.ConfigJson;
import dev.bulwark.image.json.DockerArchiveManifestJson;
import dev.bulwark.model.Digest;
import dev.bulwark.model.LayerInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A `docker save` archive (legacy layout with manifest.json; Docker 25+ archives are also OCI layouts). */
final class DockerArchiveSource extends BlobImageSource {
    private static final Pattern HEX_NAME = Pattern.compile("(?:.*/)?(?:sha256:)?([a-f0-9]{64})(?:\\.json)?");
    private final ArchiveFiles files;
    private final String where;
    private final List<String> layerFiles = new ArrayList<>();

    DockerArchiveSource(Path path, String tag, Limits limits) throws ImageException {
        super(limits);
        this.where = path.toString();
        this.files = ArchiveFiles.open(path, where);
        try {
            byte[] manifestBytes = files.read("manifest.json", limits.maxMetadataBytes(), where);
            List<DockerArchiveManifestJson> manifests;
            try {
                manifests = ImageDocuments.json().readValue(manifestBytes, new TypeReference<>() { });
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new ImageException(where, "malformed manifest.json: " + e.getOriginalMessage());
            }
            if (manifests == null || manifests.isEmpty()) throw new ImageException(where, "manifest.json lists no images");
            DockerArchiveManifestJson m = choose(manifests, tag);
            if (m.config() == null || m.layers() == null) throw new ImageException(where, "manifest.json entry without Config or Layers");
            byte[] configBytes = files.read(m.config(), limits.maxMetadataBytes(), where);
            Digest configDigest = Digest.sha256(configBytes);
            Matcher hm = HEX_NAME.matcher(m.config());
            if (hm.matches() && !hm.group(1).equals(configDigest.hex()))
                throw new ImageException(where, "config " + m.config() + " digest mismatch: content hashes to " + configDigest);
            ConfigJson config = ImageDocuments.parse(configBytes, ConfigJson.class, where + " " + m.config(), "image config");
            List<String> diffIds = ImageDocuments.diffIds(config, where);
            if (diffIds.size() != m.layers().size())
                throw new ImageException(where, "manifest.json lists " + m.layers().size() + " layers but the config has " + diffIds.size() + " diff_ids");
            List<String> createdBy = ImageDocuments.createdBy(config, diffIds.size());
            List<LayerInfo> layers = new ArrayList<>();
            for (int i = 0; i < diffIds.size(); i++) {
                String file = m.layers().get(i);
                long size = files.size(file);
                if (size < 0) throw new ImageException(where, "missing layer file " + file);
                Digest diffId = ImageDocuments.parseDigest(diffIds.get(i), where);
                layers.add(new LayerInfo(i, diffId, diffId, size, LayerStreams.DOCKER_LAYER_TAR, createdBy.get(i)));
                layerFiles.add(file);
            }
            List<String> tags = m.repoTags() == null ? List.of() : m.repoTags();
            setInfo(ImageDocuments.info("docker-archive:" + where + (tag == null ? "" : ":" + tag), "docker-archive",
                    configDigest, null, tags, List.of(), config, layers), configBytes);
        } catch (IOException e) {
            close();
            throw new ImageException(where, "cannot read docker archive: " + describe(e), e);
        } catch (ImageException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private DockerArchiveManifestJson choose(List<DockerArchiveManifestJson> ms, String tag) throws ImageException {
        if (tag == null) {
            if (ms.size() == 1) return ms.get(0);
            throw new ImageException(where, "the archive holds " + ms.size() + " images; name one as docker-archive:FILE:REPO:TAG");
        }
        for (DockerArchiveManifestJson m : ms) {
            if (m.repoTags() == null) continue;
            for (String t : m.repoTags()) if (t.equals(tag) || t.endsWith("/" + tag) || t.endsWith(":" + tag)) return m;
        }
        throw new ImageException(where, "no image tagged '" + tag + "' in the archive");
    }

    @Override
    protected boolean blobDigestKnown() {
        return false; // legacy archives name layers by v1 ids; only the diffID in the config can be checked
    }

    @Override
    protected InputStream openBlob(LayerInfo layer) throws IOException {
        return files.open(layerFiles.get(layer.index()));
    }

    @Override
    public void close() {
        try {
            files.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }
}
