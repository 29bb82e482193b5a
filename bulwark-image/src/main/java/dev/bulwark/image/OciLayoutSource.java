package dev.bulwark.image;

import dev.bulwark.image.json.ConfigJson;
import dev.bulwark.image.json.DescriptorJson;
import dev.bulwark.image.json.ManifestJson;
import dev.bulwark.model.Digest;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.Platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An OCI image layout, as a directory or a tar of one (skopeo, buildah, `docker buildx --output type=oci`). */
final class OciLayoutSource extends BlobImageSource {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    private final ArchiveFiles files;
    private final String where;

    OciLayoutSource(Path path, String tag, Platform platform, Limits limits) throws ImageException {
        super(limits);
        this.where = path.toString();
        this.files = ArchiveFiles.open(path, where);
        try {
            ManifestJson index = ImageDocuments.parse(files.read("index.json", limits.maxMetadataBytes(), where), ManifestJson.class, where, "index.json");
            if (index.manifests() == null || index.manifests().isEmpty())
                throw new ImageException(where, "index.json lists no manifests");
            DescriptorJson chosen = chooseByTag(index.manifests(), tag);
            List<String> tags = new ArrayList<>();
            if (chosen.annotations() != null && chosen.annotations().get(REF_NAME) != null) tags.add(chosen.annotations().get(REF_NAME));
            Digest manifestDigest = null;
            ManifestJson m = null;
            for (int depth = 0; depth < 4; depth++) {
                manifestDigest = ImageDocuments.digestOf(chosen, where);
                m = ImageDocuments.parse(readBlob(manifestDigest, chosen.size()), ManifestJson.class, where + " manifest " + manifestDigest, "manifest");
                if (!ImageDocuments.isIndex(m)) break;
                chosen = ImageDocuments.selectPlatform(m, platform, where + " index " + manifestDigest);
                m = null;
            }
            if (m == null) throw new ImageException(where, "indexes nested too deeply");
            ImageDocuments.checkManifest(m, where + " manifest " + manifestDigest);
            Digest configDigest = ImageDocuments.digestOf(m.config(), where + " manifest " + manifestDigest);
            byte[] configBytes = readBlob(configDigest, m.config().size());
            ConfigJson config = ImageDocuments.parse(configBytes, ConfigJson.class, where + " config " + configDigest, "image config");
            List<LayerInfo> layers = ImageDocuments.layers(m, config, where + " manifest " + manifestDigest);
            setInfo(ImageDocuments.info("oci:" + where + (tag == null ? "" : ":" + tag), "oci", configDigest, manifestDigest,
                    tags, List.of(), config, layers), configBytes);
        } catch (IOException e) {
            close();
            throw new ImageException(where, "cannot read OCI layout: " + describe(e), e);
        } catch (ImageException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private DescriptorJson chooseByTag(List<DescriptorJson> manifests, String tag) throws ImageException {
        if (tag == null) {
            if (manifests.size() == 1) return manifests.get(0);
            throw new ImageException(where, "the layout holds " + manifests.size() + " images; name one as oci:DIR:TAG (tags: "
                    + String.join(", ", refNames(manifests)) + ")");
        }
        for (DescriptorJson d : manifests) {
            String ref = d.annotations() == null ? null : d.annotations().get(REF_NAME);
            if (tag.equals(ref) || (ref != null && ref.endsWith(":" + tag))) return d;
        }
        throw new ImageException(where, "no image tagged '" + tag + "' in the layout (tags: " + String.join(", ", refNames(manifests)) + ")");
    }

    private static List<String> refNames(List<DescriptorJson> ms) {
        List<String> out = new ArrayList<>();
        for (DescriptorJson d : ms) {
            String r = d.annotations() == null ? null : d.annotations().get(REF_NAME);
            out.add(r == null ? "(untagged " + d.digest() + ")" : r);
        }
        return out;
    }

    private static String blobName(Digest d) {
        return "blobs/" + d.algorithm() + "/" + d.hex();
    }

    private byte[] readBlob(Digest d, Long size) throws IOException, ImageException {
        byte[] data = files.read(blobName(d), limits.maxMetadataBytes(), where);
        ImageDocuments.verify(data, d, size, where);
        return data;
    }

    @Override
    protected InputStream openBlob(LayerInfo layer) throws IOException, ImageException {
        if (files.size(blobName(layer.digest())) < 0) throw new ImageException(where, "missing blob " + layer.digest());
        return files.open(blobName(layer.digest()));
    }

    @Override
    public void close() {
        try {
            files.close();
        } catch (IOException ignored) {
            // nothing was written; a failed close of a read-only archive loses nothing
        }
    }
}
