package dev.bulwark.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * `bulwark authz serve` (or `admission serve`) as its own process, as an operator runs it: started with the test JVM's
 * classpath, stopped with real signals (SIGTERM, SIGHUP through kill(1)), its stderr kept in a file.
 */
final class AuthzPluginProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private AuthzPluginProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static AuthzPluginProcess start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        // A test run under nohup would pass SIGHUP on as ignored, and the JVM cannot handle a signal ignored at its
        // start: restore the default first (perl is Essential in Debian), as an operator's shell would have it.
        cmd.addAll(List.of("perl", "-e", "$SIG{HUP} = 'DEFAULT'; exec @ARGV or die \"exec: $!\\n\"", "--"));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AuthzPluginProcess(p, log);
    }

    /** Waits until the log has a line containing {@code text}; fails with the log when the process ends first. */
    void awaitLog(String text, long seconds) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (log().contains(text)) return;
            if (!process.isAlive()) throw new AssertionError("the server exited (" + process.exitValue() + ") before '" + text + "':\n" + log());
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' within " + seconds + " s:\n" + log());
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    long pid() {
        return process.pid();
    }

    void signal(String sig) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start();
        if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) throw new AssertionError("kill -" + sig + " failed");
    }

    /** SIGTERM, then the exit code (fails if it does not exit within 20 s). */
    int stop() throws IOException, InterruptedException {
        if (!process.isAlive()) return process.exitValue();
        signal("TERM");
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the server did not stop on SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }
}
