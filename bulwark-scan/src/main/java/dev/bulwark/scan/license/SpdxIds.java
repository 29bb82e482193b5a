package dev.bulwark.scan.license;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * SPDX's licence and exception identifiers, from the {@code spdx.schema.json} that CycloneDX publishes (the build
 * unpacks it from cyclonedx-core-java into this package, see the pom): the list CycloneDX validators check
 * {@code license.id} against. That list mixes licences and exceptions without saying which is which, so exceptions
 * are told apart by name.
 */
final class SpdxIds {
    /** lower case → canonical case; SPDX ids are case-insensitive. */
    private static final Map<String, String> BY_LOWER = load();
    /** Exceptions whose ids do not say "exception". */
    private static final Set<String> OTHER_EXCEPTIONS = Set.of("gpl-cc-1.0", "llgpl", "shl-2.0", "shl-2.1", "linux-syscall-note",
            "gcc-exception-2.0-note");
    /** Deprecated licence ids that do say "exception" (they fold licence and exception into one id). */
    private static final Set<String> NOT_EXCEPTIONS = new HashSet<>();

    static {
        java.util.regex.Matcher folded = java.util.regex.Pattern.compile("(gpl|lgpl|agpl)-\\d\\.\\d-with-.*").matcher("");
        for (String id : BY_LOWER.keySet()) {
            if (folded.reset(id).matches() || id.equals("cal-1.0-combined-work-exception")
                    || id.equals("mpl-2.0-no-copyleft-exception")) NOT_EXCEPTIONS.add(id);
        }
    }

    private SpdxIds() {
    }

    /** The listed id in its canonical case, or null. */
    static String canonical(String s) {
        return s == null ? null : BY_LOWER.get(s.toLowerCase(Locale.ROOT));
    }

    /** Every listed id (licences and exceptions), canonical case. */
    static java.util.Collection<String> all() {
        return BY_LOWER.values();
    }

    /** A listed licence exception (what may follow WITH). */
    static boolean isException(String id) {
        String l = id.toLowerCase(Locale.ROOT);
        return BY_LOWER.containsKey(l) && !NOT_EXCEPTIONS.contains(l)
                && (l.contains("exception") || OTHER_EXCEPTIONS.contains(l));
    }

    /** A listed licence (not an exception). */
    static boolean isLicense(String id) {
        return BY_LOWER.containsKey(id.toLowerCase(Locale.ROOT)) && !isException(id);
    }

    /**
     * The ids of the schema's {@code "enum"} array: a plain scan of the strings between its brackets. The file comes
     * with the build and SPDX ids are letters, digits, '.', '-' and '+'; a JSON parser's first use costs more than the
     * list (on JDK 25 Jackson's parser alone triggers {@code BigDecimal}'s slow class initialiser), and a scan that
     * finds licences pays for this once, on an analyser thread.
     */
    private static Map<String, String> load() {
        String text;
        try (InputStream in = SpdxIds.class.getResourceAsStream("spdx.schema.json")) {
            if (in == null) throw new IllegalStateException("SPDX licence list missing from the build (spdx.schema.json)");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new HashMap<>();
        int at = text.indexOf("\"enum\"");
        int open = at < 0 ? -1 : text.indexOf('[', at);
        int close = open < 0 ? -1 : text.indexOf(']', open);
        if (close < 0) throw new IllegalStateException("spdx.schema.json has no \"enum\" list");
        for (int i = text.indexOf('"', open); i >= 0 && i < close; i = text.indexOf('"', i + 1)) {
            int end = text.indexOf('"', i + 1);
            String id = text.substring(i + 1, end);
            if (id.indexOf('\\') >= 0 || id.isBlank()) throw new IllegalStateException("spdx.schema.json: unexpected id " + id);
            out.put(id.toLowerCase(Locale.ROOT), id);
            i = end;
        }
        if (out.size() < 400) throw new IllegalStateException("spdx.schema.json lists only " + out.size() + " ids");
        return Map.copyOf(out);
    }
}
