package dev.bulwark.scan.license;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Normalises licence strings found in package metadata into SPDX identifiers or expressions
 * ("Apache License, Version 2.0" → "Apache-2.0", "GPL-2+" → "GPL-2.0-or-later", "MIT or GPL-2" →
 * "MIT OR GPL-2.0-only"). Text that names no SPDX licence becomes a LicenseRef-… so every output is valid SPDX
 * (annex D of the 2.3 specification) and SBOM writers can carry it as it is.
 *
 * <p>Never throws; input is bounded (long texts are read for a few well-known licence texts, then cut).
 */
public final class Licenses {
    /** Beyond this, or over several lines, a declared "licence" is the licence's text, not its name. */
    private static final int MAX_NAME = 300;
    private static final Pattern LICENSE_REF = Pattern.compile("LicenseRef-[A-Za-z0-9.-]+");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("\\s*[,;]\\s*");

    private Licenses() {
    }

    /**
     * Normalises one declared licence: a name, an id, a list ("MIT, Apache 2.0") or an expression ("GPL-2+ or
     * Artistic"). Lists give one element per licence; an expression stays one element. Empty for blank input.
     */
    public static List<String> normalize(String raw) {
        if (raw == null || raw.isBlank()) return List.of();
        String s = raw.strip();
        if (s.indexOf('\n') >= 0 || s.length() > MAX_NAME) return List.of(LicenseTexts.identify(s));
        String whole = one(s);
        if (whole != null) return List.of(whole);
        List<String> parts = splitList(s);
        Set<String> out = new LinkedHashSet<>();
        for (String part : parts) {
            String p = one(part);
            out.add(p != null ? p : SpdxExpression.tolerant(part));
        }
        return List.copyOf(out);
    }

    /** A name, id or valid expression as a whole; null when the text is none of these. */
    private static String one(String s) {
        String name = LicenseNames.lookup(s);
        if (name != null) return name;
        if (LICENSE_REF.matcher(s).matches()) return s;
        return SpdxExpression.strict(s);
    }

    /**
     * "MIT, Apache License, Version 2.0; BSD" splits at commas and semicolons, but neighbouring pieces that together
     * make a known name ("Apache License", "Version 2.0") are kept together.
     */
    private static List<String> splitList(String s) {
        String[] pieces = LIST_SEPARATOR.split(s);
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < pieces.length) {
            int taken = 1;
            for (int j = Math.min(pieces.length, i + 4); j > i + 1; j--) {
                if (LicenseNames.lookup(String.join(", ", Arrays.copyOfRange(pieces, i, j))) != null) {
                    taken = j - i;
                    break;
                }
            }
            String piece = String.join(", ", Arrays.copyOfRange(pieces, i, i + taken)).strip();
            if (!piece.isEmpty()) out.add(piece);
            i += taken;
        }
        return out;
    }

    /** A LicenseRef for text that is no SPDX id: only the characters SPDX allows, bounded. */
    public static String licenseRef(String text) {
        String cleaned = text.strip().replaceAll("[^A-Za-z0-9.]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        if (cleaned.length() > 64) cleaned = cleaned.substring(0, 64).replaceAll("[-.]+$", "");
        return "LicenseRef-" + (cleaned.isEmpty() ? "unknown" : cleaned);
    }

    /** Whether a string is a listed SPDX licence id in its canonical case. */
    public static boolean isSpdxId(String s) {
        return s != null && s.equals(SpdxIds.canonical(s)) && SpdxIds.isLicense(s);
    }

    /** Whether a string is a listed SPDX exception id in its canonical case. */
    public static boolean isSpdxException(String s) {
        return s != null && s.equals(SpdxIds.canonical(s)) && SpdxIds.isException(s);
    }

}
