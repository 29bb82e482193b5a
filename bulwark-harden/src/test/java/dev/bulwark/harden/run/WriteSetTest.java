package dev.bulwark.harden.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directories a learn run wrote, from an overlay upper layer laid out as the kernel leaves it. */
class WriteSetTest {
    @TempDir
    Path upper;

    @Test
    void filesCreatedDirsAndDeletionsNameTheirDirectoriesNoneNested() throws Exception {
        Files.createDirectories(upper.resolve("var/log/app"));
        Files.writeString(upper.resolve("var/log/app/a.log"), "x");
        Files.createDirectories(upper.resolve("var/log/app/rotated"));
        Files.writeString(upper.resolve("var/log/app/rotated/old"), "x");
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/issue"), ""); // stands for the whiteout of a deleted file
        Files.createDirectories(upper.resolve("srv/new-empty"));
        assertThat(WriteSet.directories(upper)).containsExactly("/etc", "/srv", "/var/log/app");
    }

    @Test
    void nothingWrittenIsNothingAndTheRootSwallowsTheRest() throws Exception {
        assertThat(WriteSet.directories(upper)).isEmpty();
        Files.writeString(upper.resolve("top"), "x");
        Files.createDirectories(upper.resolve("a/b"));
        Files.writeString(upper.resolve("a/b/c"), "x");
        assertThat(WriteSet.directories(upper)).containsExactly("/");
        assertThat(WriteSet.minimal(List.of("/a/b", "/a", "/a-b", "/a/bc", "/c/d"))).containsExactly("/a", "/a-b", "/c/d");
    }
}
