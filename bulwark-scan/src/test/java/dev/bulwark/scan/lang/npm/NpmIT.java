package dev.bulwark.scan.lang.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A real node_modules tree (npm install express@4.17.1), read file by file as the layer walker offers it. */
class NpmIT {
    private static Path app;

    /** Installs once into target/; fails (never skips) without npm or the registry. */
    @BeforeAll
    static void install() throws Exception {
        Path npm = TestComponents.requireTool("npm");
        app = TestComponents.root().resolve("bulwark-scan/target/npm-it/express");
        if (Files.isDirectory(app.resolve("node_modules/express"))) return;
        Files.createDirectories(app);
        run(npm.toString(), "install", "--prefix", app.toString(), "--no-audit", "--no-fund", "--loglevel=error", "express@4.17.1");
    }

    /** Standard output; standard error (npm's warnings) only in the failure message. */
    private static String run(String... cmd) throws Exception {
        Path err = Files.createTempFile("npm-it", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
            assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out + Files.readString(err)).isZero();
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    @Test
    void installedPackagesEqualNpmLsAndTheLockfile() throws Exception {
        NpmAnalyzer npm = new NpmAnalyzer();
        Set<String> installed = new TreeSet<>();
        try (Stream<Path> files = Files.walk(app)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String imagePath = "/srv/app/" + app.relativize(f);
                if (!npm.required(imagePath, Files.size(f), 0644) || imagePath.endsWith("package-lock.json")) continue;
                FileResult r = npm.analyze(TestFiles.real(imagePath, f));
                if (r == null) continue;
                assertThat(r.warnings()).as(imagePath).isEmpty();
                for (Package p : r.packages()) {
                    installed.add(p.name() + "@" + p.version());
                    assertThat(p.purl()).startsWith("pkg:npm/");
                }
            }
        }
        assertThat(installed).contains("express@4.17.1", "body-parser@1.19.0", "debug@2.6.9", "ms@2.0.0", "ms@2.1.1");

        // npm's own view of the tree
        JsonNode ls = new ObjectMapper().readTree(run(TestComponents.requireTool("npm").toString(), "ls", "--all", "--json", "--prefix", app.toString()));
        Set<String> fromNpm = new TreeSet<>();
        collect(ls.path("dependencies"), fromNpm);
        assertThat(installed).isEqualTo(fromNpm);

        FileResult lock = npm.analyze(TestFiles.real("/srv/app/package-lock.json", app.resolve("package-lock.json")));
        Set<String> locked = new TreeSet<>();
        lock.packages().forEach(p -> locked.add(p.name() + "@" + p.version()));
        assertThat(locked).isEqualTo(installed);
        Package express = lock.packages().stream().filter(p -> p.name().equals("express")).findFirst().orElseThrow();
        assertThat(express.licenses()).containsExactly("MIT");
    }

    private static void collect(JsonNode deps, Set<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = deps.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().has("version")) out.add(e.getKey() + "@" + e.getValue().path("version").asText());
            collect(e.getValue().path("dependencies"), out);
        }
    }
}
