package dev.bulwark.scan.os.dpkg;

import dev.bulwark.scan.os.BoundedLines;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads deb822 control data (dpkg's status file, status.d entries) one stanza at a time: stanzas separated by blank
 * lines, "Field: value" lines, continuation lines starting with a space or tab. Field names are case-insensitive and
 * returned lower-cased; continuation lines are joined with "\n" (their leading blank removed, " ." kept as written).
 * Bounded: a value stops growing at {@link #MAX_VALUE} characters and a stanza at {@link #MAX_FIELDS} fields, so
 * Conffiles lists and descriptions of any length cost little.
 */
final class Deb822 {
    static final int MAX_VALUE = 64 << 10;
    static final int MAX_FIELDS = 512;

    private final BoundedLines lines;
    private long oddLines;

    Deb822(BoundedLines lines) {
        this.lines = lines;
    }

    /** The next stanza, or null at the end of the input. */
    Map<String, String> next() throws IOException {
        Map<String, String> stanza = new LinkedHashMap<>();
        StringBuilder value = null;
        String field = null;
        boolean dropping = false; // inside a field past the MAX_FIELDS limit
        for (String line; (line = lines.next()) != null; ) {
            if (line.isBlank()) {
                if (field != null) stanza.put(field, value.toString());
                if (!stanza.isEmpty()) return stanza;
                field = null;
                dropping = false;
                continue;
            }
            char c = line.charAt(0);
            if (c == ' ' || c == '\t') {
                if (field == null) {
                    if (!dropping) oddLines++; // a continuation with nothing to continue
                } else if (value.length() < MAX_VALUE) {
                    value.append('\n').append(line, 1, Math.min(line.length(), 1 + MAX_VALUE - value.length()));
                }
                continue;
            }
            if (c == '#') continue; // deb822 allows comments; dpkg never writes them
            int colon = line.indexOf(':');
            if (field != null) stanza.put(field, value.toString());
            dropping = colon > 0 && stanza.size() >= MAX_FIELDS;
            if (colon <= 0 || dropping) {
                if (colon <= 0) oddLines++;
                field = null;
                continue;
            }
            field = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String first = line.substring(colon + 1).strip();
            value = new StringBuilder(first.length() > MAX_VALUE ? first.substring(0, MAX_VALUE) : first);
        }
        if (field != null) stanza.put(field, value.toString());
        return stanza.isEmpty() ? null : stanza;
    }

    /** Lines that were neither fields nor continuations (garbage, or a continuation at a stanza's start). */
    long oddLines() {
        return oddLines;
    }
}
