package dev.bulwark.scan.os.dpkg;

import dev.bulwark.scan.license.Licenses;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Licences from a Debian copyright file (/usr/share/doc/PKG/copyright). Machine-readable (DEP-5) files name them in
 * "License:" fields; older free-form files are searched near the top for references to /usr/share/common-licenses
 * and for the opening words of well-known licence texts.
 */
public final class CopyrightParser {
    private static final Pattern DEP5_FORMAT = Pattern.compile("(?im)^Format:\\s*\\S*(copyright-format|dep5|dep-5)");
    /** The first line of a License field is the short name; its continuation lines are the licence's text. */
    private static final Pattern LICENSE_FIELD = Pattern.compile("(?m)^License:[ \\t]*(\\S[^\\r\\n]*)$");
    /** DEP-5's precedence marker: "A or B, and C" is (A or B) and C. */
    private static final Pattern DEP5_COMMA = Pattern.compile("(?i),\\s*(and|or)\\s+");
    private static final Pattern HAS_OPERATOR = Pattern.compile("(?i)\\s(and|or)\\s");
    private static final Pattern COMMON_LICENSES = Pattern.compile("/usr/share/common-licenses/([A-Za-z][A-Za-z0-9+-]*(?:\\.[0-9]+)?)");
    private static final Pattern GNU_FILE = Pattern.compile("(?i)(A?GPL|LGPL|GFDL)(-\\d(?:\\.\\d)?)?");
    private static final Pattern GNU_TEXT = Pattern.compile(
            "(?i)GNU\\s+(General|Lesser|Library|Affero)\\s+(?:General\\s+)?Public\\s+License[^.]{0,120}?version\\s+(\\d(?:\\.\\d)?)");
    private static final Pattern VERSION = Pattern.compile("(?i)version\\s+(\\d(?:\\.\\d)?)");
    private static final Pattern LATER = Pattern.compile("(?i)any\\s+later\\s+version");
    /** How much of a free-form file is searched: licence statements come first, long texts of them later. */
    static final int TOP = 32 << 10;
    /** Opening words of licence texts that free-form files paste whole, lower-cased, and their SPDX ids. */
    private static final String[][] TEXTS = {
            {"apache license, version 2.0", "Apache-2.0"}, {"apache license version 2.0", "Apache-2.0"},
            {"apache.org/licenses/license-2.0", "Apache-2.0"},
            {"permission is hereby granted, free of charge", "MIT"},
            {"permission to use, copy, modify, and/or distribute this software for any purpose", "ISC"},
            {"permission to use, copy, modify, distribute, and sell this software and its documentation", "HPND-sell-variant"},
            {"mozilla public license version 2.0", "MPL-2.0"}, {"mozilla public license, v. 2.0", "MPL-2.0"},
            {"this software is provided 'as-is', without any express or implied warranty", "Zlib"},
            {"psf license agreement", "PSF-2.0"}, {"python software foundation license", "PSF-2.0"},
            {"info-zip license", "Info-ZIP"},
            {"regents of the university of california, sun microsystems", "TCL"}};

    private CopyrightParser() {
    }

    public static List<String> licenses(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (DEP5_FORMAT.matcher(text.substring(0, Math.min(text.length(), 4096))).find()) {
            Matcher m = LICENSE_FIELD.matcher(text);
            while (m.find()) out.addAll(Licenses.normalize(dep5Expression(m.group(1).strip())));
            if (!out.isEmpty()) return List.copyOf(out);
        }
        String top = text.substring(0, Math.min(text.length(), TOP));
        boolean gnu = false;
        Matcher c = COMMON_LICENSES.matcher(top);
        while (c.find()) {
            String name = commonLicense(c.group(1), top, c.start());
            gnu |= GNU_FILE.matcher(name.replace("+", "")).matches();
            out.addAll(Licenses.normalize(name));
        }
        out.addAll(wellKnownTexts(top, !gnu));
        return List.copyOf(out);
    }

    /** "A or B, and C" → "(A or B) and C", so that an SPDX reader gets DEP-5's grouping. */
    static String dep5Expression(String s) {
        String[] parts = DEP5_COMMA.split(s);
        if (parts.length == 1) return s;
        Matcher ops = DEP5_COMMA.matcher(s);
        String expr = group(parts[0]);
        for (int i = 1; i < parts.length && ops.find(); i++) expr = expr + " " + ops.group(1) + " " + group(parts[i]);
        return expr;
    }

    private static String group(String part) {
        String p = part.strip();
        return HAS_OPERATOR.matcher(p).find() ? "(" + p + ")" : p;
    }

    /**
     * A common-licenses file name as a licence name: "GPL-2" becomes "GPL-2+" when the statement before it says
     * "any later version", and the unversioned "GPL" and "LGPL" (links to the newest) take the version the
     * statement names.
     */
    private static String commonLicense(String file, String text, int at) {
        Matcher gnu = GNU_FILE.matcher(file);
        if (!gnu.matches()) return file;
        String before = text.substring(Math.max(0, at - 1200), at);
        String name = file;
        if (gnu.group(2) == null) {
            Matcher v = VERSION.matcher(before);
            String last = null;
            while (v.find()) last = v.group(1);
            if (last != null) name = file + "-" + last;
        }
        return LATER.matcher(before).find() ? name + "+" : name;
    }

    /** Licences recognised by the opening words of their texts; GNU licences only when {@code gnu}. */
    private static Set<String> wellKnownTexts(String top, boolean gnu) {
        Set<String> out = new LinkedHashSet<>();
        String flat = top.replaceAll("\\s+", " ");
        String lower = flat.toLowerCase(Locale.ROOT);
        Matcher m = GNU_TEXT.matcher(flat);
        while (gnu && m.find()) {
            String family = switch (m.group(1).toLowerCase(Locale.ROOT)) {
                case "lesser", "library" -> "LGPL";
                case "affero" -> "AGPL";
                default -> "GPL";
            };
            String tail = flat.substring(m.end(), Math.min(flat.length(), m.end() + 200));
            out.addAll(Licenses.normalize(family + "-" + m.group(2) + (LATER.matcher(tail).find() ? "+" : "")));
        }
        for (String[] t : TEXTS) if (lower.contains(t[0])) out.add(t[1]);
        if (lower.contains("redistribution and use in source and binary forms")) {
            out.add(lower.contains("neither the name") || lower.contains("endorse or promote") ? "BSD-3-Clause" : "BSD-2-Clause");
        }
        return out;
    }
}
