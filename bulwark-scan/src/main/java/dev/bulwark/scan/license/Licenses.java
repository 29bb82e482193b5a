package dev.bulwark.scan.license;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalises licence strings found in package metadata into SPDX identifiers or expressions
 * ("Apache License, Version 2.0" → "Apache-2.0", "GPL-2+" → "GPL-2.0-or-later"); texts that match no SPDX id
 * become LicenseRef-… so reports stay valid. The id list is SPDX's own, as CycloneDX ships it.
 */
public final class Licenses {
    private static final Map<String, String> IDS = loadIds();
    private static final Map<String, String> ALIASES = aliases();
    /** Debian and many packages write "GPL-2+", "LGPL-2.1+": family, version, optional "+". */
    private static final Pattern GNU = Pattern.compile("(?i)^(A?GPL|LGPL|GFDL)[- ]?v?(\\d(?:\\.\\d)?)(\\+| or later|-or-later|-only)?$");
    private static final Pattern OPERATOR = Pattern.compile("(?i)\\s+(and|or|with)\\s+|\\s*([()])\\s*");

    private Licenses() {
    }

    /** Normalises one declared licence (a name, an id, a list or an expression). Empty for blank input. */
    public static List<String> normalize(String raw) {
        if (raw == null || raw.isBlank()) return List.of();
        String s = raw.strip();
        if (s.length() > 500) s = s.substring(0, 500);
        String one = atom(s);
        if (one != null) return List.of(one);
        if (s.contains(",") || s.contains(";")) {
            Set<String> out = new LinkedHashSet<>();
            for (String part : s.split("[,;]")) out.addAll(normalize(part));
            return List.copyOf(out);
        }
        return List.of(expression(s));
    }

    /** An SPDX id, a known alias, or a GNU-style versioned name; null when the text is none of those. */
    private static String atom(String s) {
        String key = s.toLowerCase(Locale.ROOT).strip();
        if (key.startsWith("(") && key.endsWith(")") && key.indexOf('(', 1) < 0) key = key.substring(1, key.length() - 1).strip();
        // GNU names first: SPDX's deprecated ids ("GPL-2.0+", "LGPL-2.1") are mapped to the current ones.
        Matcher m = GNU.matcher(key);
        if (m.matches()) {
            String family = m.group(1).toUpperCase(Locale.ROOT);
            String version = m.group(2).contains(".") ? m.group(2) : m.group(2) + ".0";
            String suffix = m.group(3) == null || m.group(3).equals("-only") ? "-only" : "-or-later";
            String candidate = family + "-" + version + suffix;
            String canonical = IDS.get(candidate.toLowerCase(Locale.ROOT));
            if (canonical != null) return canonical;
        }
        String id = IDS.get(key);
        if (id != null) return id;
        String alias = ALIASES.get(key.replaceAll("[\\s,]+", " ").replace("the ", "").strip());
        if (alias != null) return alias;
        return key.startsWith("http://") || key.startsWith("https://") ? fromUrl(key) : null;
    }

    /** Licence URLs that manifests and poms give instead of names. */
    private static String fromUrl(String url) {
        String u = url.replaceFirst("^https?://(www\\.)?", "").replaceFirst("\\.(txt|html|php)$", "");
        if (u.startsWith("apache.org/licenses/license-2.0") || u.startsWith("opensource.org/licenses/apache-2.0")) return "Apache-2.0";
        if (u.startsWith("opensource.org/licenses/mit")) return "MIT";
        if (u.startsWith("opensource.org/licenses/bsd-3-clause")) return "BSD-3-Clause";
        if (u.startsWith("opensource.org/licenses/bsd-2-clause")) return "BSD-2-Clause";
        if (u.startsWith("eclipse.org/legal/epl-2.0") || u.startsWith("eclipse.org/legal/epl-v20")) return "EPL-2.0";
        if (u.startsWith("eclipse.org/legal/epl-v10")) return "EPL-1.0";
        if (u.startsWith("mozilla.org/mpl/2.0")) return "MPL-2.0";
        if (u.startsWith("gnu.org/licenses/lgpl-2.1")) return "LGPL-2.1-only";
        if (u.startsWith("gnu.org/licenses/gpl-2.0")) return "GPL-2.0-only";
        if (u.startsWith("gnu.org/licenses/gpl-3.0")) return "GPL-3.0-only";
        return null;
    }

    /** "GPL-2+ or Artistic", "(MIT AND BSD-3-Clause)": each operand normalised, operators kept. */
    private static String expression(String s) {
        StringBuilder out = new StringBuilder();
        Matcher m = OPERATOR.matcher(s);
        int last = 0;
        boolean afterWith = false;
        while (m.find()) {
            appendOperand(out, s.substring(last, m.start()), afterWith);
            if (m.group(1) != null) {
                String op = m.group(1).toUpperCase(Locale.ROOT);
                out.append(' ').append(op).append(' ');
                afterWith = op.equals("WITH");
            } else {
                out.append(m.group(2));
                afterWith = false;
            }
            last = m.end();
        }
        appendOperand(out, s.substring(last), afterWith);
        return out.toString().strip();
    }

    private static void appendOperand(StringBuilder out, String operand, boolean exception) {
        String o = operand.strip();
        if (o.isEmpty()) return;
        String id = exception ? IDS.get(o.toLowerCase(Locale.ROOT)) : atom(o);
        out.append(id != null ? id : licenseRef(o));
    }

    /** A LicenseRef for text that is no SPDX id: only the characters SPDX allows. */
    public static String licenseRef(String text) {
        String cleaned = text.strip().replaceAll("[^A-Za-z0-9.]+", "-").replaceAll("^-+|-+$", "");
        if (cleaned.length() > 64) cleaned = cleaned.substring(0, 64).replaceAll("-+$", "");
        return "LicenseRef-" + (cleaned.isEmpty() ? "unknown" : cleaned);
    }

    private static Map<String, String> loadIds() {
        try (InputStream in = Licenses.class.getResourceAsStream("spdx.schema.json")) {
            if (in == null) throw new IllegalStateException("SPDX licence list missing from the build (spdx.schema.json)");
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, String> out = new HashMap<>();
            for (JsonNode id : root.path("enum")) out.put(id.asText().toLowerCase(Locale.ROOT), id.asText());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Common ways packages name licences, lower-cased, "the " and commas removed. */
    private static Map<String, String> aliases() {
        Map<String, String> a = new HashMap<>();
        for (String k : List.of("apache 2", "apache 2.0", "apache-2", "apache2", "asl 2.0", "asl2", "apache license 2.0",
                "apache license version 2.0", "apache software license version 2.0", "apache license, version 2.0",
                "apache software license 2.0", "apache software license", "apache license", "apache"))
            a.put(k.replace(",", ""), "Apache-2.0");
        for (String k : List.of("mit license", "mit/x11", "expat", "mit-style", "x11"))
            a.put(k, k.equals("x11") ? "X11" : "MIT");
        for (String k : List.of("bsd", "bsd license", "bsd-style", "new bsd license", "bsd 3-clause", "bsd-3", "3-clause bsd license", "revised bsd license", "modified bsd license"))
            a.put(k, "BSD-3-Clause");
        a.put("bsd 2-clause", "BSD-2-Clause");
        a.put("simplified bsd license", "BSD-2-Clause");
        a.put("isc license", "ISC");
        a.put("mozilla public license 2.0", "MPL-2.0");
        a.put("mpl 2.0", "MPL-2.0");
        a.put("mpl2", "MPL-2.0");
        a.put("eclipse public license 1.0", "EPL-1.0");
        a.put("eclipse public license 2.0", "EPL-2.0");
        a.put("eclipse public license - v 2.0", "EPL-2.0");
        a.put("eclipse public license - v 1.0", "EPL-1.0");
        a.put("cddl", "CDDL-1.0");
        a.put("cddl 1.1", "CDDL-1.1");
        a.put("python software foundation license", "PSF-2.0");
        a.put("psf", "PSF-2.0");
        a.put("zlib/libpng", "Zlib");
        a.put("gnu general public license v2 (gplv2)", "GPL-2.0-only");
        a.put("gnu general public license v3 (gplv3)", "GPL-3.0-only");
        a.put("gnu general public license v2 or later (gplv2+)", "GPL-2.0-or-later");
        a.put("gnu general public license v3 or later (gplv3+)", "GPL-3.0-or-later");
        a.put("gnu lesser general public license v2 or later (lgplv2+)", "LGPL-2.0-or-later");
        a.put("gnu lesser general public license v3 (lgplv3)", "LGPL-3.0-only");
        a.put("gnu lesser general public license v2.1", "LGPL-2.1-only");
        a.put("gnu library or lesser general public license (lgpl)", "LGPL-2.0-or-later");
        a.put("gnu affero general public license v3", "AGPL-3.0-only");
        a.put("public domain", "LicenseRef-Public-Domain");
        a.put("public-domain", "LicenseRef-Public-Domain");
        a.put("artistic", "Artistic-1.0-Perl");
        a.put("perl", "Artistic-1.0-Perl");
        a.put("unlicense", "Unlicense");
        a.put("wtfpl", "WTFPL");
        return a;
    }

    /** For tests: whether a string is a canonical SPDX id. */
    static boolean isSpdxId(String s) {
        return s != null && s.equals(IDS.get(s.toLowerCase(Locale.ROOT)));
    }

    /** For tests: the operands of a normalised expression. */
    static List<String> operands(String expression) {
        List<String> out = new ArrayList<>();
        for (String t : expression.replace("(", " ").replace(")", " ").split("\\s+")) {
            if (!t.isEmpty() && !t.equals("AND") && !t.equals("OR") && !t.equals("WITH")) out.add(t);
        }
        return out;
    }
}
