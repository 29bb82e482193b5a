package dev.bulwark.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The real advisory feeds of ../shared/vulndata that the benchmarks import. */
final class VulnData {
    /** Every advisory feed of shared/vulndata (moby-profiles is not one). */
    static final List<String> FEEDS = List.of("golang-vulndb", "pypa-advisory-database", "nodejs-security-wg",
            "rustsec-advisory-db", "alpine-secdb", "cisa-kev");

    private VulnData() {
    }

    /** {@code -Dbulwark.vulndata=DIR}, else the first shared/vulndata (or ../shared/vulndata) above the working directory. */
    static Path root() {
        String prop = System.getProperty("bulwark.vulndata");
        if (prop != null && !prop.isBlank()) return Path.of(prop).toAbsolutePath().normalize();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            for (Path c : List.of(p.resolve("shared/vulndata"), p.resolve("../shared/vulndata"))) {
                if (Files.isDirectory(c.resolve("golang-vulndb"))) return c.normalize();
            }
        }
        throw new IllegalStateException("shared/vulndata not found above " + Path.of("").toAbsolutePath()
                + " (pass -Dbulwark.vulndata=DIR)");
    }

    static List<Path> feeds() {
        Path root = root();
        return FEEDS.stream().map(root::resolve).toList();
    }
}
