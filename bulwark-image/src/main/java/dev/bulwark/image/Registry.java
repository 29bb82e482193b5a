package dev.bulwark.image;

import dev.bulwark.image.json.DescriptorJson;
import dev.bulwark.image.json.ManifestJson;
import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageRef;
import dev.bulwark.model.Platform;

import java.util.List;

/**
 * One repository of a registry, for the callers that need more than reading an image: resolving a tag to the
 * digest `docker pull` records, and storing small artefacts (signatures) beside the image. Same authentication,
 * limits and digest checks as {@link ImageSources}' registry source.
 */
public final class Registry {
    private final ImageRef ref;
    private final RegistryClient client;
    private final Platform platform;

    private Registry(ImageRef ref, RegistryClient client, Platform platform) {
        this.ref = ref;
        this.client = client;
        this.platform = platform;
    }

    /** The repository of {@code ref}; credentials from the options, else the Docker client config, else none. */
    public static Registry open(ImageRef ref, SourceOptions options) {
        RegistryCredentials c = options.credentials() != null ? options.credentials()
                : RegistryCredentials.fromDockerConfig(ref.registry(), options.env());
        return new Registry(ref, new RegistryClient(ref, c, options.plainHttp(), options.limits()), options.platform());
    }

    public ImageRef ref() {
        return ref;
    }

    /** "registry NAME", the where of every error. */
    public String where() {
        return client.where();
    }

    /**
     * What a tag (or digest) names, as `docker pull` records it: the index digest for a multi-platform image, after
     * checking that the index holds a manifest for the wanted platform (so a pin never names an image that cannot
     * run here). A digest reference is fetched and its content checked against it.
     */
    public Resolved resolve(String reference) throws ImageException {
        RegistryManifest top = manifest(reference);
        Digest platformDigest = top.digest();
        if (top.isIndex()) {
            ManifestJson index = ImageDocuments.parse(top.body(), ManifestJson.class, where(), "index");
            DescriptorJson d = ImageDocuments.selectPlatform(index, platform, where());
            platformDigest = ImageDocuments.digestOf(d, where());
        }
        return new Resolved(top.digest(), top.mediaType(), platformDigest, top.isIndex());
    }

    /**
     * A resolved reference.
     *
     * @param digest         the digest the reference names (index or manifest)
     * @param platformDigest the platform's own manifest inside an index, else the same digest
     */
    public record Resolved(Digest digest, String mediaType, Digest platformDigest, boolean index) {
    }

    public RegistryManifest manifest(String reference) throws ImageException {
        RegistryClient.Manifest m = client.manifest(reference);
        return new RegistryManifest(m.body(), m.mediaType(), m.digest());
    }

    /** Null when the registry has no such tag or digest. */
    public RegistryManifest manifestIfPresent(String reference) throws ImageException {
        RegistryClient.Manifest m = client.manifestIfPresent(reference);
        return m == null ? null : new RegistryManifest(m.body(), m.mediaType(), m.digest());
    }

    /** A small blob, read whole and checked against its digest and size. */
    public byte[] blob(Digest digest, Long size) throws ImageException {
        return client.smallBlob(digest, size);
    }

    public Digest putBlob(byte[] data) throws ImageException {
        return client.putBlob(data);
    }

    public Digest putManifest(String tag, byte[] body, String mediaType) throws ImageException {
        return client.putManifest(tag, body, mediaType);
    }

    public List<String> tags() throws ImageException {
        return client.tags();
    }
}
