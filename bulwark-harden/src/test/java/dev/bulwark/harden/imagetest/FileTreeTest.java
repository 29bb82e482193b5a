package dev.bulwark.harden.imagetest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.image.EntryType;
import dev.bulwark.image.Fixtures;
import dev.bulwark.image.Fixtures.E;
import dev.bulwark.image.ImageSource;
import dev.bulwark.image.ImageSources;
import dev.bulwark.image.SourceOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The final filesystem of a hand-made three-layer image, read through the real docker-archive source. */
class FileTreeTest {
    @Test
    void upperLayersHideAndReplaceWhatLowerLayersWrote(@TempDir Path dir) throws Exception {
        List<Fixtures.Layer> layers = List.of(
                Fixtures.gzLayer(List.of(E.dir("a/"), E.file("a/x", "x"), E.file("a/y", "old y"), E.dir("d/"), E.file("d/keep", "k"),
                        E.dir("t/"), E.file("t/child", "c"), E.dir("etc/"), E.file("etc/passwd", "root:x:0:0::/:/bin/sh\n"))),
                Fixtures.gzLayer(List.of(E.file("a/.wh.x", ""), E.dir("d/"), E.file("d/.wh..wh..opq", ""), E.file("d/new", "n"),
                        E.file("a/y", "new y"), E.hardlink("h", "a/y"))),
                Fixtures.gzLayer(List.of(E.file("t", "now a file"), E.symlink("etc/group", "../../../../etc/passwd"))));
        Path archive = dir.resolve("img.tar");
        Fixtures.dockerArchive(archive, "t/tree:1", layers);
        FileTree t;
        try (ImageSource src = ImageSources.open("docker-archive:" + archive, SourceOptions.defaults())) {
            t = FileTree.read(src, Set.of("/h", "/etc/group"));
        }
        assertThat(t.get("/a/x")).as("whiteout").isNull();
        assertThat(t.get("/d/keep")).as("opaque directory").isNull();
        assertThat(t.get("/d/new")).isNotNull();
        assertThat(t.get("/t/child")).as("a directory replaced by a file loses its children").isNull();
        assertThat(t.get("/t").type()).isEqualTo(EntryType.FILE);
        FileTree.Entry h = t.resolve("/h");
        assertThat(h.type()).isEqualTo(EntryType.FILE);
        assertThat(new String(h.content(), StandardCharsets.UTF_8)).as("a hard link's target read in a second pass").isEqualTo("new y");
        assertThat(t.text("/etc/group")).as("a link climbing out resolves inside the image").isEqualTo("root:x:0:0::/:/bin/sh\n");
        assertThat(t.ids("/etc/group")).containsEntry("root", 0L);
        assertThat(t.resolve("/d/new").content()).as("content kept only for paths asked for (and hard link targets)").isNull();
    }
}
