package dev.bulwark.vulndb.fetch;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds {@code ../shared/vulndata} beside the repository: from the system property {@code bulwark.root} when set,
 * else from the nearest directory above the working directory that holds {@code mvnw}. Missing data fails the test.
 */
final class SharedData {
    private SharedData() {
    }

    static Path vulndata() {
        String prop = System.getProperty("bulwark.root");
        Path repo = null;
        if (prop != null && !prop.isBlank()) {
            repo = Path.of(prop).toAbsolutePath();
        } else {
            for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("mvnw"))) {
                    repo = p;
                    break;
                }
            }
        }
        if (repo == null) throw new AssertionError("no directory with mvnw above " + Path.of("").toAbsolutePath());
        Path data = repo.resolve("../shared/vulndata").normalize();
        if (!Files.isDirectory(data)) throw new AssertionError("real advisory feeds missing: " + data);
        return data;
    }

    static Path file(String relative) {
        Path p = vulndata().resolve(relative);
        if (!Files.isRegularFile(p)) throw new AssertionError("feed file missing: " + p);
        return p;
    }
}
