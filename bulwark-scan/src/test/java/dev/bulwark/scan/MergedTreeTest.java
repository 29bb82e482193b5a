package dev.bulwark.scan;

import dev.bulwark.image.EntryType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MergedTreeTest {
    private static LayerRecord layer(List<LayerRecord.Entry> entries, List<String> whiteouts, List<String> opaques) {
        return new LayerRecord(entries, whiteouts, opaques, List.of(), List.of());
    }

    private static LayerRecord.Entry f(String p) {
        return new LayerRecord.Entry(p, EntryType.FILE, null);
    }

    private static LayerRecord.Entry d(String p) {
        return new LayerRecord.Entry(p, EntryType.DIRECTORY, null);
    }

    private static LayerRecord.Entry l(String p, String target) {
        return new LayerRecord.Entry(p, EntryType.SYMLINK, target);
    }

    @Test
    void whiteoutsAndOpaqueDirectoriesHideLowerLayersOnly() {
        MergedTree t = MergedTree.of(List.of(
                layer(List.of(d("/a"), f("/a/1"), f("/a/2"), d("/b"), f("/b/1"), f("/c")), List.of(), List.of()),
                layer(List.of(f("/a/3"), f("/b/2")), List.of("/c", "/a/1"), List.of("/b"))));
        assertThat(t.visibleLayer("/a/1")).isEqualTo(-1);
        assertThat(t.visibleLayer("/a/2")).isZero();
        assertThat(t.visibleLayer("/b/1")).as("opaque /b").isEqualTo(-1);
        assertThat(t.visibleLayer("/b/2")).as("the opaque layer's own entries stay").isEqualTo(1);
        assertThat(t.visibleLayer("/c")).isEqualTo(-1);
    }

    @Test
    void aFileReplacingADirectoryTakesItsContents() {
        MergedTree t = MergedTree.of(List.of(
                layer(List.of(d("/x"), f("/x/inner")), List.of(), List.of()),
                layer(List.of(f("/x")), List.of(), List.of())));
        assertThat(t.visibleLayer("/x/inner")).isEqualTo(-1);
        assertThat(t.visibleLayer("/x")).isEqualTo(1);
    }

    @Test
    void symlinksResolveInsideTheImageAndLoopsStop() {
        MergedTree t = MergedTree.of(List.of(layer(List.of(
                d("/usr"), d("/usr/lib"), f("/usr/lib/os-release"), l("/lib", "usr/lib"),
                l("/etc/os-release", "../usr/lib/os-release"), l("/escape", "../../../../etc/shadow"),
                l("/loop1", "loop2"), l("/loop2", "/loop1"), l("/abs", "/lib/os-release")), List.of(), List.of())));
        assertThat(t.resolve("/etc/os-release")).isEqualTo("/usr/lib/os-release");
        assertThat(t.resolve("/lib/os-release")).isEqualTo("/usr/lib/os-release");
        assertThat(t.resolve("/abs")).isEqualTo("/usr/lib/os-release");
        assertThat(t.resolve("/escape")).as("'..' clamps at the image root").isEqualTo("/etc/shadow");
        assertThat(t.resolve("/loop1/x")).isNull();
        assertThat(t.resolve("/no/such")).isEqualTo("/no/such");
    }
}
