package dev.bulwark.scan.os.rpm;

import dev.bulwark.scan.os.Fixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The rpm fixtures of src/test/resources/os/rpm (see make-fixtures.sh there) and what rpm itself said about them. */
final class RpmFixtures {
    private RpmFixtures() {
    }

    /** expected.tsv as "name version arch source", gpg-pubkey left out (rpm lists it; it is no package). */
    static Set<String> expectedPackages() {
        Set<String> out = new TreeSet<>();
        for (String line : Fixtures.text("rpm/expected.tsv").split("\n")) {
            String[] f = line.split("\t");
            if (f[0].equals("gpg-pubkey")) continue;
            out.add(f[0] + " " + f[1].replace("(none):", "") + " " + f[2] + " " + f[3].replaceAll("-[^-]+-[^-]+\\.src\\.rpm$", ""));
        }
        return out;
    }

    /** expected-files.tsv: package → files. */
    static Map<String, Set<String>> expectedFiles() {
        Map<String, Set<String>> out = new TreeMap<>();
        for (String line : Fixtures.text("rpm/expected-files.tsv").split("\n")) {
            String[] f = line.split("\t");
            out.computeIfAbsent(f[0], k -> new TreeSet<>()).add(f[1]);
        }
        return out;
    }

    /** The header blobs of the sqlite fixture, as rpm stored them (gpg-pubkey's included). */
    static List<byte[]> blobs() {
        try {
            Path tmp = Files.createTempFile("rpmdb", ".sqlite");
            try {
                Files.write(tmp, Fixtures.bytes("rpm/rpmdb.sqlite"));
                List<byte[]> out = new ArrayList<>();
                List<String> problems = new ArrayList<>();
                SqliteRpmDb.read(tmp, RpmAnalyzer.MAX_HEADER, (where, blob) -> out.add(blob), problems::add);
                if (!problems.isEmpty()) throw new IllegalStateException(problems.toString());
                return out;
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
