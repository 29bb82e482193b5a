package dev.bulwark.audit.host;

import dev.bulwark.image.testenv.TestComponents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real tools of the integration tests: the docker CLI against a given daemon, the project's scripts. */
final class Cli {
    private Cli() {
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(Map<String, String> env, Path dir, long timeoutSeconds, List<String> command) {
        try {
            Path out = Files.createTempFile("bwh-cli", ".out");
            Path err = Files.createTempFile("bwh-cli", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
                if (dir != null) pb.directory(dir.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + String.join(" ", command), e);
        }
    }

    /** The docker CLI against {@code dockerHost}; fails unless it exits 0; returns stdout, stripped. */
    static String docker(String dockerHost, String... args) {
        Result r = dockerResult(dockerHost, args);
        if (r.exit() != 0) {
            throw new AssertionError("docker " + String.join(" ", args) + " failed (" + r.exit() + "): " + r.err());
        }
        return r.out().strip();
    }

    static Result dockerResult(String dockerHost, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(TestComponents.requireTool("docker").toString());
        cmd.addAll(List.of(args));
        return run(Map.of("DOCKER_HOST", dockerHost), null, 120, cmd);
    }

    /** A script of the repository ({@code scripts/NAME}); fails unless it exits 0; returns stdout, stripped. */
    static String script(String name, String... args) {
        Path s = TestComponents.root().resolve("scripts").resolve(name);
        TestComponents.require(s, name);
        List<String> cmd = new ArrayList<>(List.of("bash", s.toString()));
        cmd.addAll(List.of(args));
        Result r = run(Map.of(), TestComponents.root(), 600, cmd);
        if (r.exit() != 0) {
            throw new AssertionError("scripts/" + name + " " + String.join(" ", args) + " failed (" + r.exit() + "): "
                + r.err() + r.out());
        }
        return r.out().strip();
    }
}
