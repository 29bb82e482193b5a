package dev.bulwark.image;

import dev.bulwark.image.json.ConfigJson;
import dev.bulwark.image.json.DescriptorJson;
import dev.bulwark.image.json.ManifestJson;
import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageRef;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.Platform;

import java.io.InputStream;
import java.util.List;

/** An image in a registry, pulled by tag or digest; index entries chosen by platform. */
final class RegistrySource extends BlobImageSource {
    private final RegistryClient client;

    RegistrySource(ImageRef ref, RegistryCredentials credentials, boolean plainHttp, Platform platform, Limits limits) throws ImageException {
        super(limits);
        this.client = new RegistryClient(ref, credentials, plainHttp, limits);
        String where = client.where();
        RegistryClient.Manifest mf = client.manifest(ref.reference());
        ManifestJson m = ImageDocuments.parse(mf.body(), ManifestJson.class, where, "manifest");
        Digest manifestDigest = mf.digest();
        Digest topDigest = mf.digest(); // what `docker pull` records as the repo digest, index or manifest
        for (int depth = 0; ImageDocuments.isIndex(m); depth++) {
            if (depth >= 3) throw new ImageException(where, "indexes nested too deeply");
            DescriptorJson d = ImageDocuments.selectPlatform(m, platform, where);
            Digest want = ImageDocuments.digestOf(d, where);
            mf = client.manifest(want.toString());
            if (d.size() != null && d.size() != mf.body().length)
                throw new ImageException(where, "manifest " + want + " is " + mf.body().length + " bytes, the index says " + d.size());
            m = ImageDocuments.parse(mf.body(), ManifestJson.class, where, "manifest");
            manifestDigest = mf.digest();
        }
        if ("application/vnd.docker.distribution.manifest.v1+prettyjws".equals(mf.mediaType())
                || "application/vnd.docker.distribution.manifest.v1+json".equals(mf.mediaType()))
            throw new ImageException(where, "Docker schema 1 manifests are not supported (deprecated since 2017)");
        ImageDocuments.checkManifest(m, where + " manifest " + manifestDigest);
        Digest configDigest = ImageDocuments.digestOf(m.config(), where);
        byte[] configBytes = client.smallBlob(configDigest, m.config().size());
        ConfigJson config = ImageDocuments.parse(configBytes, ConfigJson.class,
                where + " config " + configDigest, "image config");
        List<LayerInfo> layers = ImageDocuments.layers(m, config, where + " manifest " + manifestDigest);
        String repo = ref.registry() + "/" + ref.repository();
        setInfo(ImageDocuments.info("registry:" + ref.familiar(), "registry", configDigest, manifestDigest,
                ref.tag() == null ? List.of() : List.of(repo + ":" + ref.tag()), List.of(repo + "@" + topDigest), config, layers), configBytes);
    }

    @Override
    protected InputStream openBlob(LayerInfo layer) throws ImageException {
        return client.blob(layer.digest());
    }

    @Override
    public void close() {
        // HttpClient holds no resources that outlive their responses here
    }
}
