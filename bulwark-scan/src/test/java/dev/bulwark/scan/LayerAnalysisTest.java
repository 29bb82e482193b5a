package dev.bulwark.scan;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import static org.assertj.core.api.Assertions.assertThat;

class LayerAnalysisTest {
    @Test
    void aFileThatCannotBeAnalysedGetsAReasonNotJustItsPath() {
        assertThat(LayerAnalysis.reason(new NoSuchFileException("/tmp/x.log"))).isEqualTo("the file went away while it was read");
        assertThat(LayerAnalysis.reason(new AccessDeniedException("/root/x"))).isEqualTo("permission denied");
        assertThat(LayerAnalysis.reason(new FileSystemException("/x", null, "Input/output error"))).isEqualTo("Input/output error");
        assertThat(LayerAnalysis.reason(new IOException("short read"))).isEqualTo("short read");
        assertThat(LayerAnalysis.reason(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
