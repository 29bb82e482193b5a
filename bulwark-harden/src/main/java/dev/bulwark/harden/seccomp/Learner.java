package dev.bulwark.harden.seccomp;

import dev.bulwark.harden.HardenException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a workload under {@code strace -f -qq -o LOG} and reads the log. strace follows every thread and child, and
 * its exit status is the workload's.
 */
final class Learner {
    record Run(Set<String> syscalls, int exitCode) {}

    private Learner() {}

    static Run run(List<String> command, OutputStream workloadOut, Duration timeout) throws HardenException, InterruptedException {
        if (command.isEmpty()) throw new IllegalArgumentException("no command to learn from");
        Path strace = findOnPath("strace");
        if (strace == null) throw new HardenException("strace", "not installed: learn mode runs the workload under strace (apt-get install strace)");
        Path log = null;
        try {
            log = Files.createTempFile("bulwark-strace-", ".log");
            List<String> argv = new ArrayList<>(List.of(strace.toString(), "-f", "-qq", "-o", log.toString(), "--"));
            argv.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            Process proc;
            try {
                proc = pb.start();
            } catch (IOException e) {
                throw new HardenException(strace.toString(), "cannot start: " + e.getMessage(), e);
            }
            Thread pump = Thread.ofVirtual().start(() -> copy(proc.getInputStream(), workloadOut));
            if (!proc.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                proc.descendants().forEach(ProcessHandle::destroyForcibly);
                proc.destroyForcibly();
                proc.waitFor();
                throw new HardenException(String.join(" ", command), "still running after " + timeout.toSeconds() + " s: stopped");
            }
            pump.join(5000);
            int exit = proc.exitValue();
            try (Reader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
                Set<String> names = StraceLog.syscalls(r, "strace log of " + command.get(0));
                if (names.isEmpty()) {
                    throw new HardenException(String.join(" ", command), "strace recorded no syscalls (exit status " + exit + ")");
                }
                return new Run(names, exit);
            }
        } catch (IOException e) {
            throw new HardenException("strace", e.getMessage(), e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    private static void copy(InputStream in, OutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (out != null) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException ignored) {
            // the workload's output is a courtesy; its loss does not change the profile
        }
    }

    static Path findOnPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }
}
