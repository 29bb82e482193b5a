package dev.bulwark.policy.docker;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPathsTest {
    @Test
    void aSwappedLinkIsSeenOnTheNextRequest(@TempDir Path dir) throws IOException {
        // no cache between requests: a primed "safe" answer must not outlive the link it came from
        Path safe = Files.createDirectory(dir.toRealPath().resolve("safe"));
        Path link = Files.createSymbolicLink(dir.toRealPath().resolve("x"), safe);
        assertThat(HostPaths.resolve(link.toString())).isEqualTo(safe.toString());
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of("/etc"));
        assertThat(HostPaths.resolve(link.toString())).isEqualTo("/etc");
    }

    @Test
    void normalisesLexically() {
        assertThat(HostPaths.normalise("/etc/../etc//x")).isEqualTo("/etc/x");
        assertThat(HostPaths.normalise("/../../..")).isEqualTo("/");
        assertThat(HostPaths.normalise("/a/./b/")).isEqualTo("/a/b");
        assertThat(HostPaths.normalise("//")).isEqualTo("/");
        assertThat(HostPaths.normalise("relative/x")).isNull();
        assertThat(HostPaths.normalise("/a\0b")).isNull();
        assertThat(HostPaths.normalise("/" + "a".repeat(5000))).isNull();
    }

    @Test
    void resolvesLinksAndStopsWhereThePathEnds(@TempDir Path tmp) throws Exception {
        Path real = tmp.toRealPath();
        Files.createDirectories(real.resolve("data/sub"));
        Files.createSymbolicLink(real.resolve("abs"), Path.of("/etc"));
        Files.createSymbolicLink(real.resolve("rel"), Path.of("data/sub"));
        Files.createSymbolicLink(real.resolve("up"), Path.of("../../../../../../../../"));
        assertThat(HostPaths.resolve(real + "/abs")).isEqualTo("/etc");
        assertThat(HostPaths.resolve(real + "/abs/ssl/certs")).isEqualTo("/etc/ssl/certs");
        assertThat(HostPaths.resolve(real + "/rel/../x")).isEqualTo(real + "/data/x");
        assertThat(HostPaths.resolve(real + "/up")).isEqualTo("/");
        assertThat(HostPaths.resolve(real + "/missing/../abs")).isEqualTo("/etc");
        assertThat(HostPaths.resolve(real + "/missing/more")).isEqualTo(real + "/missing/more");
        assertThat(HostPaths.resolve("/")).isEqualTo("/");
    }

    @Test
    void aLoopOrAChainTooLongIsAnError(@TempDir Path tmp) throws Exception {
        Path real = tmp.toRealPath();
        Files.createSymbolicLink(real.resolve("self"), real.resolve("self"));
        assertThatThrownBy(() -> HostPaths.resolve(real + "/self")).isInstanceOf(IOException.class).hasMessageContaining("a loop");
        for (int i = 0; i < 45; i++) Files.createSymbolicLink(real.resolve("l" + i), real.resolve("l" + (i + 1)));
        Files.createDirectory(real.resolve("l45"));
        assertThatThrownBy(() -> HostPaths.resolve(real + "/l0")).isInstanceOf(IOException.class);
        assertThat(HostPaths.resolve(real + "/l10")).isEqualTo(real + "/l45");
        assertThatThrownBy(() -> HostPaths.resolve("not/absolute")).isInstanceOf(IOException.class);
    }

    @Property(tries = 500)
    void normalisedPathsAreCleanAndStable(@ForAll @StringLength(max = 80) String tail) {
        String n = HostPaths.normalise("/" + tail);
        if (n == null) {
            assertThat(tail).contains("\0");
            return;
        }
        assertThat(n).startsWith("/").doesNotContain("//").doesNotContain("/./").doesNotContain("/../").doesNotEndWith("/..");
        if (!n.equals("/")) assertThat(n).doesNotEndWith("/");
        assertThat(HostPaths.normalise(n)).isEqualTo(n);
    }

    @Test
    void aMissingDirectoryIsNotStatBelowButDotDotClimbsBackToALink(@TempDir Path tmp) throws Exception {
        Path real = tmp.toRealPath();
        Files.createDirectories(real.resolve("d"));
        Files.createSymbolicLink(real.resolve("d/l"), Path.of("/etc"));
        // below "gone" nothing exists; ".." back into d, then its link is followed again
        assertThat(HostPaths.resolveNow(real + "/gone/x/y/../../../d/l/ssl")).isEqualTo("/etc/ssl");
        assertThat(HostPaths.resolveNow(real + "/d/gone/../l")).isEqualTo("/etc");
        assertThat(HostPaths.resolveNow(real + "/d/gone/l")).isEqualTo(real + "/d/gone/l");
        // a regular file is not a directory and not a link: taken as it is
        Files.writeString(real.resolve("d/f"), "x");
        assertThat(HostPaths.resolveNow(real + "/d/f/../l")).isEqualTo("/etc");
    }

    @Test
    void aLinkCreatedAfterAnEarlierResolutionIsSeenAtOnce(@TempDir Path tmp) throws Exception {
        // resolutions are never cached: the answer follows the file system from one call to the next
        Path real = tmp.toRealPath();
        String p = real + "/later";
        assertThat(HostPaths.resolve(p)).isEqualTo(p);
        Files.createSymbolicLink(real.resolve("later"), Path.of("/etc"));
        assertThat(HostPaths.resolveNow(p)).isEqualTo("/etc");
        assertThat(HostPaths.resolve(p)).isEqualTo("/etc");
    }
}
