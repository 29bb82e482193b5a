package dev.bulwark.vulndb.fetch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a published SHA-256: a bare hex digest, {@code sha256sum} output ({@code HEX  NAME} or {@code HEX *NAME},
 * one or more lines) or BSD {@code SHA256 (NAME) = HEX}. With several lines, the one naming the downloaded file
 * (the last segment of its URL) is used.
 */
final class Checksums {
    private static final Pattern GNU = Pattern.compile("([0-9a-fA-F]{64})(?:\\s+\\*?(\\S.*))?");
    private static final Pattern BSD = Pattern.compile("SHA256\\s*\\((.+)\\)\\s*=\\s*([0-9a-fA-F]{64})");

    private Checksums() {
    }

    private record Entry(String hex, String name) {
    }

    /** The digest for {@code fileName}, lower-case hex; a failure saying what is wrong otherwise. */
    static String parse(String text, String fileName) throws FetchFailure {
        List<Entry> entries = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            Matcher gnu = GNU.matcher(line);
            Matcher bsd = BSD.matcher(line);
            if (gnu.matches()) entries.add(new Entry(gnu.group(1), baseName(gnu.group(2))));
            else if (bsd.matches()) entries.add(new Entry(bsd.group(2), baseName(bsd.group(1))));
            else throw FetchFailure.fatal("the checksum file is not a SHA-256 digest or sha256sum output");
        }
        for (Entry e : entries) {
            if (fileName.equals(e.name())) return e.hex().toLowerCase(Locale.ROOT);
        }
        if (entries.size() == 1 && entries.getFirst().name() == null) {
            return entries.getFirst().hex().toLowerCase(Locale.ROOT);
        }
        if (entries.isEmpty()) throw FetchFailure.fatal("the checksum file is empty");
        throw FetchFailure.fatal("the checksum file has no SHA-256 for " + fileName);
    }

    private static String baseName(String name) {
        if (name == null) return null;
        String n = name.strip();
        return n.substring(n.lastIndexOf('/') + 1);
    }
}
