package dev.bulwark.image;

import dev.bulwark.image.Fixtures.E;
import dev.bulwark.image.Fixtures.Layer;
import dev.bulwark.model.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageSourcesTest {
    @TempDir
    Path tmp;

    static List<Layer> twoLayers() throws Exception {
        Layer base = Fixtures.gzLayer(List.of(
                E.dir("./etc/"), E.file("./etc/os-release", "ID=debian\n"), E.file("./etc/issue.net", "Debian\n"),
                E.dir("./usr/"), E.dir("./usr/lib/"), E.file("./usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
                E.dir("./opt/"), E.dir("./opt/app/"), E.file("./opt/app/old.txt", "old")));
        Layer top = Fixtures.zstdLayer(List.of(
                E.file("etc/.wh.issue.net", ""), E.dir("opt/app/"), E.file("opt/app/.wh..wh..opq", ""),
                E.file("opt/app/new.txt", "new"), E.symlink("etc/alt", "../usr/lib/os-release"),
                E.hardlink("opt/app/again.txt", "opt/app/new.txt"), E.file("usr//lib/./x/../y", "y")));
        return List.of(base, top);
    }

    @Test
    void ociLayoutDirectoryWalksEveryLayerWithWhiteoutsAndLinks() throws Exception {
        Fixtures.ociLayout(tmp, "1.0", twoLayers());
        try (ImageSource src = ImageSources.open("oci:" + tmp + ":1.0", SourceOptions.defaults())) {
            assertThat(src.info().kind()).isEqualTo("oci");
            assertThat(src.info().layers()).hasSize(2);
            assertThat(src.info().layers().get(1).createdBy()).isEqualTo("RUN step 1");
            assertThat(src.info().config()).containsEntry("user", "app").containsEntry("envNames", "PATH,SECRET");
            assertThat(src.info().config().values()).noneMatch(v -> v.contains("SECRET=x"));
            Map<Integer, List<String>> seen = Walks.all(src);
            assertThat(seen.get(0)).contains("FILE /etc/os-release = ID=debian\n", "DIRECTORY /opt/app");
            assertThat(seen.get(1)).containsExactly(
                    "WHITEOUT /etc/issue.net", "DIRECTORY /opt/app", "OPAQUE /opt/app", "FILE /opt/app/new.txt = new",
                    "SYMLINK /etc/alt -> ../usr/lib/os-release", "HARDLINK /opt/app/again.txt -> /opt/app/new.txt",
                    "FILE /usr/lib/y = y");
        }
    }

    @Test
    void ociLayoutTarAndBareGuessWork() throws Exception {
        Path tar = tmp.resolve("image.tar");
        Fixtures.tarFiles(tar, Fixtures.ociFiles("latest", twoLayers(), "amd64"));
        try (ImageSource src = ImageSources.open(tar.toString(), SourceOptions.defaults())) {
            assertThat(src.info().kind()).isEqualTo("oci");
            assertThat(Walks.all(src)).hasSize(2);
        }
    }

    @Test
    void dockerArchiveIsReadAndTagged() throws Exception {
        Path file = tmp.resolve("save.tar");
        List<Layer> layers = twoLayers().stream().map(l -> new Layer(l.tar(), l.tar(), l.mediaType())).toList();
        Fixtures.dockerArchive(file, "example/app:1", layers);
        try (ImageSource src = ImageSources.open("docker-archive:" + file, SourceOptions.defaults())) {
            assertThat(src.info().kind()).isEqualTo("docker-archive");
            assertThat(src.info().repoTags()).containsExactly("example/app:1");
            assertThat(src.info().imageId()).isNotNull();
            assertThat(Walks.all(src).get(1)).contains("WHITEOUT /etc/issue.net");
        }
        try (ImageSource src = ImageSources.open("docker-archive:" + file + ":example/app:1", SourceOptions.defaults())) {
            assertThat(src.info().layers()).hasSize(2);
        }
        assertThatThrownBy(() -> ImageSources.open("docker-archive:" + file + ":other:2", SourceOptions.defaults()))
                .isInstanceOf(ImageException.class).hasMessageContaining("no image tagged 'other:2'");
    }

    @Test
    void layersOfOneArchiveAreReadConcurrentlyWithoutMixingUp() throws Exception {
        java.util.Random rnd = new java.util.Random(42);
        List<Layer> layers = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] noise = new byte[3 << 20];
            rnd.nextBytes(noise);
            layers.add(Fixtures.plainLayer(List.of(E.file("layer" + i, java.util.Base64.getEncoder().encodeToString(noise)))));
        }
        Path file = tmp.resolve("big.tar");
        Fixtures.dockerArchive(file, "big:1", layers);
        try (ImageSource src = ImageSources.open(file.toString(), SourceOptions.defaults())) {
            Map<Integer, List<String>> seen = Walks.all(src);
            for (int i = 0; i < 4; i++) assertThat(seen.get(i).get(0)).startsWith("FILE /layer" + i + " = ");
        }
    }

    @Test
    void tamperedLayerIsADigestMismatch() throws Exception {
        // one set of layers: tar entries carry the clock, so two calls across a second boundary differ
        List<Layer> layers = twoLayers();
        Map<String, byte[]> files = Fixtures.ociLayout(tmp, "t", layers);
        Layer top = layers.get(1);
        Path blob = tmp.resolve("blobs/sha256/" + top.digest().hex());
        byte[] bad = Files.readAllBytes(blob);
        bad[bad.length / 2] ^= 0x55;
        Files.write(blob, bad);
        assertThat(files).isNotEmpty();
        try (ImageSource src = ImageSources.open("oci:" + tmp, SourceOptions.defaults())) {
            assertThatThrownBy(() -> Walks.all(src)).isInstanceOf(ImageException.class)
                    .satisfies(e -> assertThat(((ImageException) e).oneLine()).contains(top.digest().toString()));
        }
    }

    @Test
    void truncatedLayerIsReportedAsSuch() throws Exception {
        List<Layer> layers = twoLayers();
        Fixtures.ociLayout(tmp, "t", layers);
        Layer base = layers.get(0);
        Path blob = tmp.resolve("blobs/sha256/" + base.digest().hex());
        byte[] all = Files.readAllBytes(blob);
        Files.write(blob, java.util.Arrays.copyOf(all, all.length / 2));
        try (ImageSource src = ImageSources.open("oci:" + tmp, SourceOptions.defaults())) {
            assertThatThrownBy(() -> Walks.all(src)).isInstanceOf(ImageException.class)
                    .hasMessageMatching(".*(truncated|unexpected end).*");
        }
    }

    @Test
    void pathTraversalEntriesAreRefused() throws Exception {
        Fixtures.ociLayout(tmp, "t", List.of(Fixtures.gzLayer(List.of(E.file("a/../../etc/passwd", "root:x:0:0")))));
        try (ImageSource src = ImageSources.open("oci:" + tmp, SourceOptions.defaults())) {
            assertThatThrownBy(() -> Walks.all(src)).isInstanceOf(ImageException.class).hasMessageContaining("escapes the image root");
        }
    }

    @Test
    void absoluteEntriesAreRefused() throws Exception {
        byte[] t;
        var bos = new java.io.ByteArrayOutputStream();
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bos)) {
            var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("/etc/shadow", true);
            e.setSize(1);
            out.putArchiveEntry(e);
            out.write('x');
            out.closeArchiveEntry();
        }
        t = bos.toByteArray();
        Fixtures.ociLayout(tmp, "t", List.of(new Layer(t, Fixtures.gzip(t), "application/vnd.oci.image.layer.v1.tar+gzip")));
        try (ImageSource src = ImageSources.open("oci:" + tmp, SourceOptions.defaults())) {
            assertThatThrownBy(() -> Walks.all(src)).isInstanceOf(ImageException.class).hasMessageContaining("absolute path");
        }
    }

    @Test
    void decompressionBombStopsAtTheLimit() throws Exception {
        String big = "\0".repeat(4 << 20);
        Layer bomb = Fixtures.gzLayer(List.of(E.file("zeros", big)));
        assertThat(bomb.blob().length).isLessThan(64 << 10);
        Fixtures.ociLayout(tmp, "t", List.of(bomb));
        SourceOptions small = new SourceOptions(null, null, false, new Limits(1 << 20, 1000, 1 << 20), Map.of());
        try (ImageSource src = ImageSources.open("oci:" + tmp, small)) {
            assertThatThrownBy(() -> Walks.all(src)).isInstanceOf(ImageException.class).hasMessageContaining("decompression bomb");
        }
    }

    @Test
    void unknownLayerMediaTypeIsNamed() throws Exception {
        Layer l = Fixtures.gzLayer(List.of(E.file("a", "b")));
        Fixtures.ociLayout(tmp, "t", List.of(new Layer(l.tar(), l.blob(), "application/vnd.example.strange")));
        assertThatThrownBy(() -> ImageSources.open("oci:" + tmp, SourceOptions.defaults()))
                .isInstanceOf(ImageException.class).hasMessageContaining("unsupported layer media type 'application/vnd.example.strange'");
    }

    @Test
    void malformedIndexIsOneClearLine() throws Exception {
        Fixtures.ociLayout(tmp, "t", twoLayers());
        Files.writeString(tmp.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"digest\":");
        assertThatThrownBy(() -> ImageSources.open("oci:" + tmp, SourceOptions.defaults()))
                .isInstanceOf(ImageException.class)
                .satisfies(e -> assertThat(((ImageException) e).oneLine()).startsWith(tmp.toString()).contains("malformed index.json").doesNotContain("\n"));
    }

    @Test
    void configWithWrongLayerCountIsRefused() throws Exception {
        List<Layer> layers = twoLayers();
        Map<String, byte[]> files = Fixtures.ociFiles("t", layers, "amd64");
        // Rebuild with a config that names only the first layer.
        byte[] config = Fixtures.config(layers.subList(0, 1), "amd64").getBytes(StandardCharsets.UTF_8);
        var cd = dev.bulwark.model.Digest.sha256(config);
        byte[] manifest = Fixtures.manifest(cd.toString(), config.length, layers).getBytes(StandardCharsets.UTF_8);
        var md = dev.bulwark.model.Digest.sha256(manifest);
        files.put("blobs/sha256/" + cd.hex(), config);
        files.put("blobs/sha256/" + md.hex(), manifest);
        files.put("index.json", ("{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"" + md + "\",\"size\":" + manifest.length + "}]}").getBytes(StandardCharsets.UTF_8));
        Path tar = tmp.resolve("x.tar");
        Fixtures.tarFiles(tar, files);
        assertThatThrownBy(() -> ImageSources.open("oci:" + tar, SourceOptions.defaults()))
                .isInstanceOf(ImageException.class).hasMessageContaining("manifest lists 2 layers but the config has 1 diff_ids");
    }

    @Test
    void symlinkedBlobInADirectoryLayoutIsNotFollowed() throws Exception {
        List<Layer> layers = twoLayers();
        Fixtures.ociLayout(tmp, "t", layers);
        Layer base = layers.get(0);
        Path blob = tmp.resolve("blobs/sha256/" + base.digest().hex());
        Path outside = Files.createTempFile("outside", ".bin");
        Files.move(blob, outside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.createSymbolicLink(blob, outside);
        try (ImageSource src = ImageSources.open("oci:" + tmp, SourceOptions.defaults())) {
            assertThatThrownBy(() -> Walks.all(src)).isInstanceOf(ImageException.class);
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void indexPicksThePlatformAndListsWhatItOffers() throws Exception {
        List<Layer> layers = twoLayers();
        Map<String, byte[]> amd = Fixtures.ociFiles("t", layers, "amd64");
        Map<String, byte[]> arm = Fixtures.ociFiles("t", layers, "arm64");
        Map<String, byte[]> files = new java.util.LinkedHashMap<>(amd);
        files.putAll(arm);
        StringBuilder ms = new StringBuilder();
        for (Map<String, byte[]> f : List.of(amd, arm)) {
            String arch = f == amd ? "amd64" : "arm64";
            for (var e : f.entrySet()) {
                String s = new String(e.getValue(), StandardCharsets.UTF_8);
                if (e.getKey().startsWith("blobs/") && s.contains("image.manifest.v1+json\",\"config\"")) {
                    if (!ms.isEmpty()) ms.append(',');
                    ms.append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:")
                            .append(e.getKey().substring(13)).append("\",\"size\":").append(e.getValue().length)
                            .append(",\"platform\":{\"os\":\"linux\",\"architecture\":\"").append(arch).append("\"}}");
                }
            }
        }
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[" + ms + "]}").getBytes(StandardCharsets.UTF_8);
        var id = dev.bulwark.model.Digest.sha256(index);
        files.put("blobs/sha256/" + id.hex(), index);
        files.put("index.json", ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\""
                + id + "\",\"size\":" + index.length + "}]}").getBytes(StandardCharsets.UTF_8));
        Path tar = tmp.resolve("multi.tar");
        Fixtures.tarFiles(tar, files);
        SourceOptions arm64 = new SourceOptions(Platform.parse("linux/arm64"), null, false, null, Map.of());
        try (ImageSource src = ImageSources.open("oci:" + tar, arm64)) {
            assertThat(src.info().platform().architecture()).isEqualTo("arm64");
        }
        SourceOptions s390 = new SourceOptions(Platform.parse("linux/s390x"), null, false, null, Map.of());
        assertThatThrownBy(() -> ImageSources.open("oci:" + tar, s390)).isInstanceOf(ImageException.class)
                .hasMessageContaining("linux/amd64, linux/arm64");
    }

    @Test
    void deviceNodesAndFifosAreNotFiles() throws Exception {
        Fixtures.ociLayout(tmp, "1", List.of(Fixtures.gzLayer(List.of(
                new E("dev/null", org.apache.commons.compress.archivers.tar.TarConstants.LF_CHR, null, null, 0666),
                new E("dev/sda", org.apache.commons.compress.archivers.tar.TarConstants.LF_BLK, null, null, 0660),
                new E("run/fifo", org.apache.commons.compress.archivers.tar.TarConstants.LF_FIFO, null, null, 0600),
                E.file("etc/hostname", "h")))));
        try (ImageSource src = ImageSources.open("oci:" + tmp + ":1", SourceOptions.defaults())) {
            List<String> seen = Walks.all(src).get(0);
            assertThat(seen).contains("FILE /etc/hostname = h");
            assertThat(seen).noneMatch(l -> l.startsWith("FILE /dev/") || l.startsWith("FILE /run/fifo"));
        }
    }

    @Test
    void missingTargetsAreNamed() {
        assertThatThrownBy(() -> ImageSources.open("docker-archive:/nonexistent/x.tar", SourceOptions.defaults()))
                .isInstanceOf(ImageException.class).hasMessageContaining("no such file or directory");
        assertThatThrownBy(() -> ImageSources.open("./nope.tar", SourceOptions.defaults()))
                .isInstanceOf(ImageException.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> ImageSources.open("registry:UPPER/Case", SourceOptions.defaults()))
                .isInstanceOf(ImageException.class).hasMessageContaining("invalid");
    }

    @Test
    void aBrokenDockerHostIsNamedWhenTheRegistryFailsToo(@TempDir Path none) {
        // the engine's TLS settings point at missing files; the registry (loopback, nothing listening) refuses too:
        // the error must say both, not only the registry's
        Map<String, String> env = Map.of("DOCKER_HOST", "tcp://127.0.0.1:9", "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", none.resolve("certs").toString());
        SourceOptions o = new SourceOptions(null, null, true, null, env);
        assertThatThrownBy(() -> ImageSources.open("127.0.0.1:9/team/app:1", o)).isInstanceOf(ImageException.class)
                .hasMessageContaining("127.0.0.1:9")
                .hasMessageContaining("Docker Engine at tcp://127.0.0.1:9 not used")
                .hasMessageContaining(none.resolve("certs").toString());
    }
}
