package dev.bulwark.match.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a reference tool (dpkg, rpm) once for a whole batch of comparisons. */
final class OracleProcess {
    private OracleProcess() {
    }

    /**
     * Output of {@code command} given {@code stdin}; fails the test when the tool is missing, exits non-zero or
     * prints anything on stderr (dpkg warns there about versions it finds malformed).
     */
    static String run(List<String> command, String stdin) {
        Path errFile = null;
        try {
            // stderr goes to a file and stdin is small, so reading stdout in this thread cannot deadlock
            errFile = Files.createTempFile("bulwark-oracle", ".err");
            Process p = new ProcessBuilder(command).redirectError(errFile.toFile()).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(command.get(0) + " did not finish within 60 s");
            }
            String stderr = Files.readString(errFile);
            assertThat(p.exitValue()).as("exit status of %s; stderr: %s", command.get(0), stderr).isZero();
            assertThat(stderr).as("%s printed warnings (it finds a generated version invalid)", command.get(0))
                    .isEmpty();
            return stdout;
        } catch (IOException e) {
            return fail(command.get(0) + " cannot be run (is it installed? scripts/install.sh installs it): " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        } finally {
            if (errFile != null) {
                try {
                    Files.deleteIfExists(errFile);
                } catch (IOException ignored) {
                    // a leftover empty temp file is harmless
                }
            }
        }
    }

    /** Fails unless the tool runs and exits 0: the comparison must not be skipped silently. */
    static void requireTool(String... versionCommand) {
        run(List.of(versionCommand), "");
    }
}
