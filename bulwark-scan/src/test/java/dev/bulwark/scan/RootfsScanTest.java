package dev.bulwark.scan;

import dev.bulwark.image.ImageSource;
import dev.bulwark.image.ImageSources;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.model.Inventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RootfsScanTest {
    @TempDir
    Path root;

    private Inventory scan() throws Exception {
        try (ImageSource src = ImageSources.open("rootfs:" + root, SourceOptions.defaults())) {
            return new Scanner(new ScanOptions(KeyValueAnalyzer.all(), null, 0, 2, 4096)).scan(src, ScanListener.NONE);
        }
    }

    @Test
    void symlinksPointingOutOfTheRootAreResolvedInsideIt() throws Exception {
        assertThat(Path.of("/usr/lib/os-release")).as("the host has an os-release this test must not read").exists();
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/os-release"), Path.of("/usr/lib/os-release"));
        Files.createDirectories(root.resolve("app"));
        Files.createSymbolicLink(root.resolve("app/host.pkg"), Path.of("/etc/hostname"));
        Files.writeString(root.resolve("app/real.pkg"), "real=1");
        Inventory inv = scan();
        assertThat(inv.os()).as("/usr/lib/os-release does not exist inside the root").isNull();
        assertThat(inv.packages()).extracting(p -> p.name()).containsExactly("real");
        assertThat(inv.image().kind()).isEqualTo("rootfs");
        assertThat(inv.packages().get(0).layer()).isNull();
    }

    @Test
    void theRootsOwnOsReleaseIsFoundThroughItsLink() throws Exception {
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("usr/lib/os-release"), "ID=alpine\nVERSION_ID=3.20.3\n");
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/os-release"), Path.of("../usr/lib/os-release"));
        Inventory inv = scan();
        assertThat(inv.os().id()).isEqualTo("alpine");
        assertThat(inv.os().versionId()).isEqualTo("3.20.3");
    }
}
