package dev.bulwark.match.suppress;

import java.util.List;

/** Warnings of one file, capped so that a hostile file with a million bad entries cannot flood a report. */
final class Warnings {
    static final int MAX_PER_FILE = 50;
    private final String file;
    private final List<String> out;
    private int count;

    Warnings(String file, List<String> out) {
        this.file = file;
        this.out = out;
    }

    String file() {
        return file;
    }

    /** Adds "file{location}: message", where location is ":12" or ": statement 3" (or "" for the whole file). */
    void add(String location, String message) {
        if (count++ < MAX_PER_FILE) out.add(file + location + ": " + message);
    }

    /** Adds the summary of what the cap dropped, if anything. */
    void close() {
        if (count > MAX_PER_FILE) out.add(file + ": " + (count - MAX_PER_FILE) + " more warnings not shown");
    }
}
