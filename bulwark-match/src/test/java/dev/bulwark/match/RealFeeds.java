package dev.bulwark.match;

import dev.bulwark.vulndb.DbLocation;
import dev.bulwark.vulndb.VulnDb;
import dev.bulwark.vulndb.VulnDbException;
import dev.bulwark.vulndb.feed.Limits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One embedded DB per test JVM holding every feed of ../shared/vulndata (the real advisory sets), imported once.
 * Missing data fails the test.
 */
final class RealFeeds {
    private static DbLocation.Embedded db;

    private RealFeeds() {
    }

    static Path vulndata() {
        String prop = System.getProperty("bulwark.root");
        Path start = prop != null && !prop.isBlank() ? Path.of(prop).toAbsolutePath() : Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/vulndata");
            if (Files.isDirectory(candidate)) return candidate;
            Path sibling = p.resolve("../shared/vulndata").normalize();
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(sibling)) return sibling;
        }
        throw new AssertionError("real advisory feeds (shared/vulndata) not found above " + start);
    }

    static synchronized DbLocation.Embedded db() throws VulnDbException {
        if (db == null) {
            try {
                Path dir = Files.createTempDirectory("bulwark-match-db");
                dir.toFile().deleteOnExit();
                DbLocation.Embedded loc = new DbLocation.Embedded(dir);
                Path data = vulndata();
                List<Path> feeds = List.of("golang-vulndb", "pypa-advisory-database", "nodejs-security-wg",
                        "rustsec-advisory-db", "alpine-secdb", "cisa-kev").stream().map(data::resolve).toList();
                VulnDb.importPaths(loc, feeds, Limits.DEFAULT, null);
                db = loc;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return db;
    }
}
