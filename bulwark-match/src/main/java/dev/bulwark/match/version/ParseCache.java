package dev.bulwark.match.version;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers parsed versions. Matching compares the same few thousand version strings (an advisory's events, a
 * package's version) over and over, and parsing — a regular expression for PEP 440 — costs far more than comparing.
 * Parsing is a pure function, so a cache changes nothing but time; invalid strings are remembered as such. Bounded:
 * when full it starts again empty, which keeps the memory bounded and the common case fast.
 *
 * @param <T> the parsed form
 */
final class ParseCache<T> {
    private static final int MAX_ENTRIES = 1 << 16;

    private final Function<String, T> parser;
    private final Map<String, Object> cache = new ConcurrentHashMap<>();

    ParseCache(Function<String, T> parser) {
        this.parser = parser;
    }

    /** Parsed, or the parser's IllegalArgumentException (the same message each time). */
    @SuppressWarnings("unchecked")
    T parse(String version) {
        Object hit = cache.get(version);
        if (hit == null) {
            try {
                hit = parser.apply(version);
            } catch (IllegalArgumentException e) {
                hit = e;
            }
            if (cache.size() >= MAX_ENTRIES) cache.clear();
            cache.put(version, hit);
        }
        // the remembered exception itself: building a new one (and its stack trace) per comparison costs more than parsing
        if (hit instanceof IllegalArgumentException e) throw e;
        return (T) hit;
    }

    boolean isValid(String version) {
        try {
            parse(version);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
