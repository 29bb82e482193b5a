package dev.bulwark.image;

import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every source against real images made by scripts/testimages.sh (mmdebstrap, docker import/save, skopeo) and real
 * servers (the private dockerd, docker-registry with anonymous, basic and token auth): the same image read from
 * each place yields the same layers and files.
 */
class RealImagesIT {
    @BeforeAll
    static void components() {
        TestComponents.requireImages();
        TestComponents.requireDocker();
        TestComponents.requireRegistries();
    }

    private static SourceOptions opts(Platform p, RegistryCredentials c) {
        return new SourceOptions(p, c, false, null, Map.of("DOCKER_HOST", TestComponents.dockerHost()));
    }

    /** diffID → sorted entry lines (type, path, link), by walking every layer without reading content. */
    static Map<String, List<String>> files(ImageSource src) throws Exception {
        Map<Integer, List<String>> byIndex = Walks.all(src, () -> new Walks.Recorder() {
            @Override
            public void entry(LayerEntry e, InputStream content) {
                lines.add(e.type() + " " + e.path() + (e.linkTarget() == null ? "" : " -> " + e.linkTarget()));
            }
        });
        Map<String, List<String>> out = new TreeMap<>();
        byIndex.forEach((i, lines) -> out.put(src.info().layers().get(i).diffId().toString(), lines.stream().sorted().toList()));
        return out;
    }

    private static Map<String, List<String>> read(String target, SourceOptions o) throws Exception {
        try (ImageSource src = ImageSources.open(target, o)) {
            return files(src);
        }
    }

    private static ImageInfo info(String target, SourceOptions o) throws Exception {
        try (ImageSource src = ImageSources.open(target, o)) {
            return src.info();
        }
    }

    @Test
    void dockerArchiveAndDockerEngineAgree() throws Exception {
        String archive = "docker-archive:" + TestComponents.appDockerArchive();
        String engine = "docker:" + TestComponents.appImage();
        ImageInfo a = info(archive, opts(null, null));
        ImageInfo e = info(engine, opts(null, null));
        assertThat(e.imageId()).isEqualTo(a.imageId());
        assertThat(e.layers()).extracting(LayerInfo::diffId).isEqualTo(a.layers().stream().map(LayerInfo::diffId).toList());
        Map<String, List<String>> fromArchive = read(archive, opts(null, null));
        assertThat(fromArchive.values().stream().flatMap(List::stream)).contains("FILE /var/lib/dpkg/status");
        assertThat(read(engine, opts(null, null))).isEqualTo(fromArchive);
    }

    @Test
    void ociLayoutsGzipAndZstdCarryTheSameFiles() throws Exception {
        Map<String, List<String>> archive = read("docker-archive:" + TestComponents.appDockerArchive(), opts(null, null));
        Map<String, List<String>> ociTar = read("oci:" + TestComponents.appOciArchive() + ":" + TestComponents.appOciRef(), opts(null, null));
        Map<String, List<String>> zstd = read("oci:" + TestComponents.appOciZstdLayout(), opts(null, null));
        try (ImageSource src = ImageSources.open("oci:" + TestComponents.appOciZstdLayout(), opts(null, null))) {
            assertThat(src.info().layers()).allMatch(l -> l.mediaType().endsWith("+zstd"));
        }
        assertThat(ociTar).isEqualTo(archive);
        assertThat(zstd).isEqualTo(archive);
    }

    @Test
    void anonymousRegistryByTagAndByDigest() throws Exception {
        String ref = TestComponents.registryRef("ANON", "APP");
        ImageInfo byTag = info("registry:" + ref, opts(null, null));
        assertThat(byTag.manifestDigest()).isNotNull();
        String repo = ref.substring(0, ref.lastIndexOf(':'));
        ImageInfo byDigest = info("registry:" + repo + "@" + byTag.manifestDigest(), opts(null, null));
        assertThat(byDigest.imageId()).isEqualTo(byTag.imageId());
        assertThat(read("registry:" + ref, opts(null, null)))
                .isEqualTo(read("docker-archive:" + TestComponents.appDockerArchive(), opts(null, null)));
    }

    @Test
    void basicAuthRegistryWantsCredentials() throws Exception {
        String ref = "registry:" + TestComponents.registryRef("BASIC", "BOOKWORM");
        assertThatThrownBy(() -> info(ref, opts(null, null))).isInstanceOf(ImageException.class).hasMessageContaining("username and password");
        assertThatThrownBy(() -> info(ref, opts(null, new RegistryCredentials(TestComponents.registryUser(), "wrong"))))
                .isInstanceOf(ImageException.class).hasMessageContaining("access denied");
        RegistryCredentials good = new RegistryCredentials(TestComponents.registryUser(), TestComponents.registryPassword());
        assertThat(read(ref, opts(null, good))).isNotEmpty();
    }

    @Test
    void tokenAuthRegistryGetsABearerToken() throws Exception {
        TestComponents.tokenServer();
        String ref = "registry:" + TestComponents.registryRef("TOKEN", "BOOKWORM");
        assertThatThrownBy(() -> info(ref, opts(null, new RegistryCredentials(TestComponents.registryUser(), "wrong"))))
                .isInstanceOf(ImageException.class).hasMessageContaining("refused");
        RegistryCredentials good = new RegistryCredentials(TestComponents.registryUser(), TestComponents.registryPassword());
        assertThat(read(ref, opts(null, good)))
                .isEqualTo(read("docker-archive:" + TestComponents.bookwormDockerArchive(), opts(null, null)));
    }

    @Test
    void multiPlatformIndexPicksThePlatform() throws Exception {
        String ref = "registry:" + TestComponents.registryRef("ANON", "MULTI");
        assertThat(info(ref, opts(Platform.parse("linux/amd64"), null)).platform().architecture()).isEqualTo("amd64");
        assertThat(info(ref, opts(Platform.parse("linux/arm64"), null)).platform().architecture()).isEqualTo("arm64");
        assertThatThrownBy(() -> info(ref, opts(Platform.parse("linux/riscv64"), null)))
                .isInstanceOf(ImageException.class).hasMessageContaining("linux/amd64");
        assertThat(info("oci:" + TestComponents.multiOciLayout(), opts(Platform.parse("linux/arm64/v8"), null)).platform().architecture())
                .isEqualTo("arm64");
    }

    @Test
    void bareNamesGoToTheEngineWhenItHasTheImageElseToTheRegistry() throws Exception {
        assertThat(info(TestComponents.appImage(), opts(null, null)).kind()).isEqualTo("docker");
        assertThat(info(TestComponents.registryRef("ANON", "BOOKWORM"), opts(null, null)).kind()).isEqualTo("registry");
        assertThat(info(TestComponents.appDockerArchive().toString(), opts(null, null)).kind()).isEqualTo("docker-archive");
        assertThat(info(TestComponents.rootfsDir().toString(), opts(null, null)).kind()).isEqualTo("rootfs");
        assertThat(info(TestComponents.bookwormOciLayout().toString(), opts(null, null)).kind()).isEqualTo("oci");
    }

    @Test
    void unknownImageInTheEngineIsOneLine() {
        assertThatThrownBy(() -> info("docker:no-such/image:0", opts(null, null))).isInstanceOf(ImageException.class)
                .satisfies(e -> assertThat(((ImageException) e).oneLine()).contains("no such image").doesNotContain("\n"));
    }
}
