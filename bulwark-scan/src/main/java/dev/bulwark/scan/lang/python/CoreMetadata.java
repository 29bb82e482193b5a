package dev.bulwark.scan.lang.python;

import dev.bulwark.scan.license.Licenses;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Python's core metadata (METADATA, PKG-INFO): RFC 822 style headers up to the first blank line, a header
 * continued on lines that start with whitespace (old setuptools wrote whole licence texts into License that way).
 *
 * @param classifiers the licence part of "License :: ..." classifiers ("OSI Approved :: MIT License" → "MIT License")
 */
record CoreMetadata(String name, String version, String license, String licenseExpression, List<String> classifiers) {
    private static final int MAX_HEADERS = 10_000;

    static CoreMetadata parse(String text) {
        String name = null, version = null, license = null, expression = null;
        List<String> classifiers = new ArrayList<>();
        String key = null;
        StringBuilder value = new StringBuilder();
        int n = 0;
        for (String line : (text + "\n\n").split("\r?\n", MAX_HEADERS)) {
            if (!line.isEmpty() && Character.isWhitespace(line.charAt(0)) && key != null) {
                value.append('\n').append(line.strip()); // continuation
                continue;
            }
            if (key != null) {
                String v = value.toString().strip();
                switch (key) {
                    case "name" -> name = name == null ? v : name;
                    case "version" -> version = version == null ? v : version;
                    case "license" -> license = v;
                    case "license-expression" -> expression = v;
                    case "classifier" -> {
                        if (v.startsWith("License :: ")) classifiers.add(v.substring("License :: ".length()));
                    }
                    default -> { }
                }
                key = null;
            }
            if (line.isEmpty() || ++n > MAX_HEADERS) break; // the description follows the headers (a line of spaces continues one)
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            value.setLength(0);
            value.append(line.substring(colon + 1));
        }
        return new CoreMetadata(blankToNull(name), blankToNull(version), blankToNull(license), blankToNull(expression), List.copyOf(classifiers));
    }

    /**
     * SPDX licences: License-Expression (metadata 2.4) when present; else License when it names a licence; else
     * the classifiers; else License when it holds a licence's text.
     */
    List<String> licenses() {
        if (licenseExpression != null) return Licenses.normalize(licenseExpression);
        boolean named = license != null && !license.equalsIgnoreCase("UNKNOWN") && license.indexOf('\n') < 0 && license.length() <= 200;
        if (named) return Licenses.normalize(license);
        Set<String> out = new LinkedHashSet<>();
        for (String c : classifiers) {
            // "OSI Approved :: MIT License" → "MIT License"; "OSI Approved" alone names no licence
            String last = c.substring(c.lastIndexOf("::") + 1).replaceFirst("^:", "").strip();
            if (!last.equalsIgnoreCase("OSI Approved") && !last.equalsIgnoreCase("DFSG approved")) out.addAll(Licenses.normalize(last));
        }
        if (out.isEmpty() && license != null && !license.equalsIgnoreCase("UNKNOWN")) out.addAll(Licenses.normalize(license));
        return List.copyOf(out);
    }

    /** PEP 503: lower case, runs of "-", "_" and "." become one "-". */
    static String normalizedName(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
