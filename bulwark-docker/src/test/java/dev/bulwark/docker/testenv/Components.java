package dev.bulwark.docker.testenv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real components of bulwark-docker's integration tests: the repository's scripts and the tools they need.
 * bulwark-docker sits below bulwark-image, so it cannot use bulwark-image's {@code TestComponents}; this is the same
 * contract in small: a missing component FAILS the test (an {@link AssertionError}), it never skips, with or without
 * {@code CI=true}.
 */
public final class Components {
    public static final String RUN_HINT = "run scripts/install.sh (or scripts/test-all.sh)";

    private Components() {
    }

    public record Result(int exit, String out, String err) {
        public String both() {
            return (out + "\n" + err).strip();
        }
    }

    /** The repository root: system property {@code bulwark.root}, else the nearest ancestor holding {@code mvnw}. */
    public static Path root() {
        String prop = System.getProperty("bulwark.root");
        if (prop != null && !prop.isBlank() && Files.isRegularFile(Path.of(prop).resolve("mvnw"))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw"))) return p;
        }
        throw new AssertionError("cannot find the repository root (no mvnw above " + Path.of("").toAbsolutePath() + " and no -Dbulwark.root)");
    }

    public static AssertionError missing(String component, String detail) {
        return new AssertionError("component " + component + " is missing: " + RUN_HINT + " (" + detail + ")");
    }

    /** An executable on PATH (plus /usr/sbin and /sbin). */
    public static Path requireTool(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
        }
        throw missing(name, "no executable '" + name + "' on PATH");
    }

    /** Runs {@code command} with {@code env} added to a copy of this environment from which every DOCKER_* is removed. */
    public static Result run(Map<String, String> env, Path dir, long timeoutSeconds, List<String> command) {
        try {
            Path out = Files.createTempFile("bwd-cli", ".out");
            Path err = Files.createTempFile("bwd-cli", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                if (dir != null) pb.directory(dir.toFile());
                pb.environment().keySet().removeIf(k -> k.startsWith("DOCKER_"));
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
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

    /** A script of the repository ({@code scripts/NAME}); fails unless it exits 0; returns stdout, stripped. */
    public static String script(String name, String... args) {
        Path s = root().resolve("scripts").resolve(name);
        if (!Files.isRegularFile(s)) throw missing(name, s + " does not exist");
        List<String> cmd = new ArrayList<>(List.of(requireTool("bash").toString(), s.toString()));
        cmd.addAll(List.of(args));
        Result r = run(Map.of(), root(), 600, cmd);
        if (r.exit() != 0) {
            throw new AssertionError("scripts/" + name + " " + String.join(" ", args) + " failed (" + r.exit() + "): " + r.both());
        }
        return r.out().strip();
    }

    /** {@code openssl ARGS} in {@code dir}; fails unless it exits 0. */
    public static void openssl(Path dir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(requireTool("openssl").toString());
        cmd.addAll(List.of(args));
        Result r = run(Map.of(), dir, 120, cmd);
        if (r.exit() != 0) throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + r.both());
    }
}
