package dev.bulwark.image;

import dev.bulwark.docker.DockerClient;
import dev.bulwark.docker.DockerException;
import dev.bulwark.model.ImageRef;

import java.io.IOException;
import java.nio.file.Files;

/** Opens an {@link ImageSource} for a target. The module's facade. */
public final class ImageSources {
    private ImageSources() {
    }

    /** Parses and opens; a malformed target is an ImageException naming it. */
    public static ImageSource open(String target, SourceOptions options) throws ImageException {
        Target t;
        try {
            t = Target.parse(target);
        } catch (IllegalArgumentException e) {
            throw new ImageException(target, e.getMessage());
        }
        return open(t, options);
    }

    public static ImageSource open(Target target, SourceOptions options) throws ImageException {
        return switch (target) {
            case Target.DockerArchive a -> openArchive(a, options);
            case Target.OciLayout o -> new OciLayoutSource(o.path(), o.tag(), options.platform(), options.limits());
            case Target.Registry r -> new RegistrySource(r.ref(), credentials(r.ref(), options), options.plainHttp(),
                    options.platform(), options.limits());
            case Target.DockerEngine d -> new DockerEngineSource(docker(options, d.name()), d.name(), options.limits());
            case Target.Rootfs r -> new RootfsSource(r.dir());
            case Target.ImageName n -> openByName(n, options);
        };
    }

    /** A file given as docker-archive may be an OCI layout tar (skopeo oci-archive); index.json without manifest.json tells. */
    private static ImageSource openArchive(Target.DockerArchive a, SourceOptions options) throws ImageException {
        try (ArchiveFiles files = ArchiveFiles.open(a.file(), a.file().toString())) {
            if (files.size("manifest.json") < 0 && files.size("index.json") >= 0)
                return new OciLayoutSource(a.file(), a.tag(), options.platform(), options.limits());
        } catch (IOException e) {
            throw new ImageException(a.file().toString(), "cannot read: " + BlobImageSource.describe(e), e);
        }
        return new DockerArchiveSource(a.file(), a.tag(), options.limits());
    }

    /**
     * Like `docker run`: the local engine first, when it is there and has the image; the registry otherwise. When
     * the registry fails too, the error also says why the engine was passed over: a DOCKER_HOST with broken TLS
     * settings must not hide behind a registry's "not found".
     */
    private static ImageSource openByName(Target.ImageName n, SourceOptions options) throws ImageException {
        String host = options.env().getOrDefault("DOCKER_HOST", "unix://" + DockerClient.DEFAULT_SOCKET);
        boolean engine = !host.startsWith("unix://") || Files.exists(java.nio.file.Path.of(host.substring(7)));
        String engineError = null;
        if (engine) {
            try {
                DockerClient c = DockerClient.connect(host, options.env());
                try {
                    c.getJson("/images/" + java.net.URLEncoder.encode(n.raw(), java.nio.charset.StandardCharsets.UTF_8) + "/json");
                } catch (DockerException e) {
                    c.close();
                    throw e;
                }
                return new DockerEngineSource(c, n.raw(), options.limits());
            } catch (DockerException e) {
                // 404: the engine does not have the image, the usual case; anything else is worth telling
                if (e.status() != 404) engineError = e.oneLine();
            }
        }
        try {
            return new RegistrySource(n.ref(), credentials(n.ref(), options), options.plainHttp(), options.platform(), options.limits());
        } catch (ImageException e) {
            if (engineError == null) throw e;
            throw new ImageException(e.where(), e.getMessage() + " (Docker Engine at " + host + " not used: " + engineError + ")", e);
        }
    }

    private static DockerClient docker(SourceOptions options, String name) throws ImageException {
        try {
            return DockerClient.fromEnvironment(options.env());
        } catch (DockerException e) {
            throw new ImageException("docker:" + name, e.oneLine(), e);
        }
    }

    private static RegistryCredentials credentials(ImageRef ref, SourceOptions options) {
        if (options.credentials() != null) return options.credentials();
        return RegistryCredentials.fromDockerConfig(ref.registry(), options.env());
    }
}
