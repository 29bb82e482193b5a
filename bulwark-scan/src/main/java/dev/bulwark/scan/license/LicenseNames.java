package dev.bulwark.scan.license;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ways packages name licences, mapped to SPDX: a comparison key that forgets what names vary in ("The", "License",
 * "Version", "v", commas, hyphens), SPDX ids under that key ("Apache 2.0" is "Apache-2.0"), GNU licences with their
 * version and "or later" spelled any way, PyPI's trove classifiers, and licence URLs.
 */
final class LicenseNames {
    /** key → SPDX id or expression. */
    private static final Map<String, String> BY_KEY = new HashMap<>();
    /** key → exception id, for the text after "with". */
    private static final Map<String, String> EXCEPTIONS = new HashMap<>();

    /**
     * GNU licences on the key: family, version, "or later" ("gpl 2+", "gnu lesser general public 2.1 or later",
     * "gnu general public 3 (gpl3)" from a classifier). An unversioned GNU licence lets the recipient pick any
     * version ever published (GPLv2 section 9, GPLv3 section 14), so it is the first version "or later", as ScanCode
     * reads it too.
     */
    private static final Pattern GNU = Pattern.compile("^(?:gnu )?(affero general public|agpl|lesser general public|library general public|"
            + "library gpl|lgpl|general public|gpl|free documentation|gfdl|fdl) ?(\\d(?:\\.\\d)?)?(?:\\.0)? ?"
            + "(\\+|or later|or any later|or any later version|or newer|later|only)?(?: \\([a-z]+ ?\\d?(?:\\.\\d)?\\+?\\))?$");

    // key() runs in the static initialiser below: its patterns come first
    private static final Pattern PUNCTUATION = Pattern.compile("[\"'`,;:]");
    private static final Pattern DASHES = Pattern.compile("[-_]");
    private static final Pattern NOISE = Pattern.compile("\\b(the|licen[cs]e[sd]?|version)\\b");
    private static final Pattern GLUED_VERSION = Pattern.compile("\\b(gpl|lgpl|agpl|fdl|gfdl|mpl|epl|asl|cddl)v(?=\\d)");
    private static final Pattern V_VERSION = Pattern.compile("\\bv\\.? ?(?=\\d)");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern ABBREVIATED = Pattern.compile("^(.*?) ?\\(([^()]+)\\)$");

    static {
        // SPDX ids under their key: "BSD 3-Clause" and "Apache 2.0" are found without aliases.
        // sorted: where two ids share a key ("GPL-2.0" and "GPL-2.0-"), the same one wins every run
        for (String id : new java.util.TreeSet<>(SpdxIds.all())) {
            if (SpdxIds.isException(id)) EXCEPTIONS.putIfAbsent(key(id), id);
            else BY_KEY.putIfAbsent(key(id), id);
        }
        alias("Apache-2.0", "Apache", "Apache 2", "Apache2", "ASL", "ASL 2", "ASL 2.0", "ASL2", "Apache Software License",
                "Apache Software License 2.0", "Apache Software", "Apache License Version 2", "Apache Public License 2.0", "AL2");
        alias("Apache-1.1", "Apache Software License 1.1");
        alias("MIT", "MIT/X11", "MIT/Expat", "Expat", "MIT-style", "MIT style", "MIT Licence", "Bouncy Castle Licence", "MIT X11");
        alias("MIT-0", "MIT No Attribution", "MIT No Attribution License (MIT-0)");
        alias("BSD-3-Clause", "BSD", "New BSD", "Revised BSD", "Modified BSD", "BSD 3", "3-clause BSD", "BSD-3", "BSD style",
                "BSD-style", "BSD-like", "Eclipse Distribution License 1.0", "EDL 1.0", "BSD New", "BSD (3 clause)", "3-Clause BSD License");
        alias("BSD-2-Clause", "Simplified BSD", "FreeBSD", "BSD 2", "2-clause BSD", "BSD-2", "BSD (2 clause)");
        alias("BSD-4-Clause", "Original BSD", "BSD 4", "4-clause BSD");
        alias("ISC", "ISCL", "ISC License (ISCL)");
        alias("MPL-1.0", "Mozilla Public License 1.0", "Mozilla Public License 1.0 (MPL)");
        alias("MPL-1.1", "Mozilla Public License 1.1", "MPL 1.1");
        alias("MPL-2.0", "Mozilla Public License 2.0", "MPL 2", "MPL2", "MPLv2", "Mozilla Public License Version 2.0");
        alias("EPL-1.0", "Eclipse Public License 1.0", "Eclipse Public License - v 1.0", "EPL 1", "EPL", "Eclipse Public License");
        alias("EPL-2.0", "Eclipse Public License 2.0", "Eclipse Public License - v 2.0", "EPL 2", "EPL2");
        alias("CDDL-1.0", "CDDL", "Common Development and Distribution License", "Common Development and Distribution License 1.0",
                "CDDL 1", "Common Development and Distribution License (CDDL) v1.0");
        alias("CDDL-1.1", "Common Development and Distribution License 1.1", "CDDL 1.1");
        alias("CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0", "CDDL + GPLv2 with classpath exception",
                "CDDL/GPLv2+CE", "CDDL+GPL", "CDDL + GPLv2 with classpath exception 1.1", "CDDL+GPL License");
        alias("EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0", "EPL 2.0 OR GPL 2.0 with Classpath Exception");
        alias("LicenseRef-Public-Domain", "Public Domain", "Public-Domain", "PD", "Public domain dedication");
        alias("CC0-1.0", "CC0", "CC0 1.0 Universal", "CC0 1.0 Universal (CC0 1.0) Public Domain Dedication", "Creative Commons Zero");
        alias("Unlicense", "The Unlicense (Unlicense)");
        alias("PSF-2.0", "PSF", "PSFL", "Python Software Foundation", "Python Software Foundation License", "PSF 2");
        alias("Python-2.0", "Python", "Python License");
        alias("CNRI-Python", "Python License (CNRI Python License)", "CNRI Python");
        alias("Artistic-1.0-Perl", "Artistic", "Perl", "Artistic 1", "Artistic License", "Perl Artistic");
        alias("Artistic-2.0", "Artistic 2", "Artistic License 2.0");
        alias("Artistic-1.0-Perl OR GPL-1.0-or-later", "Perl 5", "same as Perl", "same terms as Perl itself", "Perl5");
        alias("Zlib", "zlib/libpng", "zlib/libpng License", "zlib License");
        alias("BSL-1.0", "Boost", "Boost Software License", "Boost Software License 1.0 (BSL-1.0)");
        alias("WTFPL", "Do What The F*ck You Want To Public License");
        alias("Ruby", "Ruby License");
        alias("OFL-1.1", "SIL Open Font License 1.1", "SIL OFL 1.1", "Open Font License 1.1");
        alias("Unicode-DFS-2016", "Unicode License Agreement - Data Files and Software (2016)");
        alias("UPL-1.0", "Universal Permissive License", "Universal Permissive License (UPL)");
        alias("NCSA", "University of Illinois/NCSA Open Source License");
        alias("HPND", "Historical Permission Notice and Disclaimer", "Historical Permission Notice and Disclaimer (HPND)");
        alias("ZPL-2.1", "Zope Public License", "ZPL");
        alias("PostgreSQL", "PostgreSQL License");
        alias("AAL", "Attribution Assurance License");
        alias("CPL-1.0", "Common Public License", "Common Public License 1.0");
        alias("IPL-1.0", "IBM Public License");
        alias("Intel", "Intel Open Source License");
        alias("Sleepycat", "Sleepycat License");
        alias("W3C", "W3C License", "W3C Software Notice and License");
        alias("Xnet", "X.Net License");
        alias("NGPL", "Nethack General Public License");
        alias("OGTSL", "Open Group Test Suite License");
        alias("QPL-1.0", "Qt Public License (QPL)");
        alias("RSCPL", "Ricoh Source Code Public License");
        alias("SISSL", "Sun Industry Standards Source License (SISSL)");
        alias("SPL-1.0", "Sun Public License");
        alias("VSL-1.0", "Vovida Software License 1.0");
        alias("Motosoto", "Motosoto License");
        alias("Nokia", "Nokia Open Source License", "Nokia Open Source License (NOKOS)");
        alias("EFL-2.0", "Eiffel Forum License", "Eiffel Forum License (EFL)");
        alias("Aladdin", "Aladdin Free Public License (AFPL)");
        alias("CECILL-2.1", "CEA CNRS Inria Logiciel Libre License, version 2.1 (CeCILL-2.1)");
        alias("CECILL-B", "CeCILL-B Free Software License Agreement (CECILL-B)");
        alias("CECILL-C", "CeCILL-C Free Software License Agreement (CECILL-C)");
        alias("NPL-1.1", "Netscape Public License (NPL)");
        alias("MulanPSL-2.0", "Mulan Permissive Software License v2 (MulanPSL-2.0)");
        alias("JSON", "JSON License");
        alias("OpenSSL", "OpenSSL License");
        alias("EUPL-1.1", "European Union Public Licence 1.1 (EUPL 1.1)", "EUPL 1.1");
        alias("EUPL-1.2", "European Union Public Licence 1.2 (EUPL 1.2)", "EUPL 1.2", "EUPL");
        alias("BlueOak-1.0.0", "Blue Oak Model License 1.0.0");

        exception("Classpath-exception-2.0", "Classpath exception", "the Classpath exception", "CPE", "CE", "Classpath");
        exception("GCC-exception-3.1", "GCC runtime library exception", "GCC Runtime Library exception 3.1", "GCC exception");
        exception("Bison-exception-2.2", "Bison exception");
        exception("Font-exception-2.0", "font exception");
        exception("LLVM-exception", "LLVM exceptions");
        exception("Universal-FOSS-exception-1.0", "Universal FOSS exception");
        exception("Libtool-exception", "libtool exception");
        exception("OCaml-LGPL-linking-exception", "OCaml linking exception");
    }

    private LicenseNames() {
    }

    private static void alias(String spdx, String... names) {
        for (String n : names) BY_KEY.put(key(n), spdx);
    }

    private static void exception(String id, String... names) {
        for (String n : names) EXCEPTIONS.put(key(n), id);
    }

    /**
     * What licence names vary in, forgotten: case, quotes and commas, the words "the", "license", "licence",
     * "version", a "v" before a version number, hyphens, underscores and runs of spaces.
     */
    static String key(String s) {
        String k = s.toLowerCase(Locale.ROOT);
        k = PUNCTUATION.matcher(k).replaceAll(" ");
        k = DASHES.matcher(k).replaceAll(" ");
        k = NOISE.matcher(k).replaceAll(" ");
        k = GLUED_VERSION.matcher(k).replaceAll("$1 ");
        k = V_VERSION.matcher(k).replaceAll("");
        k = SPACES.matcher(k).replaceAll(" ").strip();
        return k.endsWith(" ()") ? k.substring(0, k.length() - 3) : k;
    }


    /** An SPDX id or expression for a licence name, or null when the name is not known. */
    /** Answers of {@link #lookup}, which is a pure function: licence names repeat across an image's files. */
    private static final Map<String, String> LOOKED_UP = new java.util.concurrent.ConcurrentHashMap<>();
    private static final String NOT_KNOWN = new String("(not known)");
    private static final int MAX_LOOKED_UP = 4096;

    static String lookup(String name) {
        String known = LOOKED_UP.get(name);
        if (known != null) return known == NOT_KNOWN ? null : known;
        known = lookupUncached(name);
        if (LOOKED_UP.size() < MAX_LOOKED_UP) LOOKED_UP.put(name, known == null ? NOT_KNOWN : known);
        return known;
    }

    private static String lookupUncached(String name) {
        String id = SpdxIds.canonical(name.strip());
        String k = key(name);
        String deprecated = DEPRECATED.get(k);
        if (deprecated != null) return deprecated;
        String gnu = gnu(k);
        if (gnu != null) return gnu;
        if (id != null && SpdxIds.isLicense(id)) return id;
        String known = BY_KEY.get(k);
        if (known != null) return known;
        // "Apache 2", "MPL 2": the same with ".0"
        if (k.matches(".* \\d")) {
            known = BY_KEY.get(k + ".0");
            if (known != null) return known;
        }
        // A classifier or a name with its abbreviation: "ISC License (ISCL)", "Eclipse Public License 2.0 (EPL-2.0)"
        Matcher abbrev = ABBREVIATED.matcher(k);
        if (abbrev.matches()) {
            known = BY_KEY.get(abbrev.group(1));
            if (known == null) known = gnu(abbrev.group(1));
            if (known == null) known = BY_KEY.get(abbrev.group(2));
            if (known == null) known = gnu(abbrev.group(2));
            if (known != null) return known;
        }
        if (k.startsWith("http ") || k.startsWith("https ")) return fromUrl(name.strip());
        return null;
    }

    /** The exception id for the words after "with", or null. */
    static String exception(String text) {
        String id = SpdxIds.canonical(text.strip());
        if (id != null && SpdxIds.isException(id)) return id;
        String k = key(text);
        String e = EXCEPTIONS.get(k);
        if (e == null && k.endsWith(" exception")) e = EXCEPTIONS.get(k.substring(0, k.length() - " exception".length()));
        if (e == null) e = EXCEPTIONS.get(k + " exception");
        return e;
    }

    /** SPDX's deprecated ids that fold an exception into the licence id, and Debian's spellings of them. */
    private static final Map<String, String> DEPRECATED = Map.of(
            key("GPL-2.0-with-classpath-exception"), "GPL-2.0-only WITH Classpath-exception-2.0",
            key("GPL-2.0-with-autoconf-exception"), "GPL-2.0-only WITH Autoconf-exception-2.0",
            key("GPL-2.0-with-bison-exception"), "GPL-2.0-or-later WITH Bison-exception-2.2",
            key("GPL-2.0-with-font-exception"), "GPL-2.0-only WITH Font-exception-2.0",
            key("GPL-2.0-with-GCC-exception"), "GPL-2.0-only WITH GCC-exception-2.0",
            key("GPL-3.0-with-autoconf-exception"), "GPL-3.0-only WITH Autoconf-exception-3.0",
            key("GPL-3.0-with-GCC-exception"), "GPL-3.0-only WITH GCC-exception-3.1",
            key("GPL-3+ with autoconf exception"), "GPL-3.0-or-later WITH Autoconf-exception-3.0",
            key("GPL-2+ with autoconf exception"), "GPL-2.0-or-later WITH Autoconf-exception-2.0",
            key("GPL-3+ with bison exception"), "GPL-3.0-or-later WITH Bison-exception-2.2");

    /** A GNU licence on a key, or null. */
    private static String gnu(String key) {
        Matcher m = GNU.matcher(key);
        if (!m.matches()) return null;
        String f = m.group(1);
        String family = f.startsWith("affero") || f.equals("agpl") ? "AGPL"
                : f.startsWith("lesser") || f.startsWith("library") || f.equals("lgpl") ? "LGPL"
                : f.startsWith("free") || f.endsWith("fdl") ? "GFDL" : "GPL";
        String version = m.group(2);
        String suffix = m.group(3) == null || m.group(3).equals("only") ? "-only" : "-or-later";
        if (version == null) {
            version = switch (family) {
                case "AGPL" -> "3";
                case "LGPL" -> "2";
                case "GFDL" -> "1.1";
                default -> "1";
            };
            suffix = "-or-later";
        }
        if (!version.contains(".")) version += ".0";
        return SpdxIds.canonical(family + "-" + version + suffix);
    }

    /** Licence URLs, which poms and manifests often give instead of a name. */
    static String fromUrl(String url) {
        String u = url.toLowerCase(Locale.ROOT).replaceFirst("^https?://(www\\.)?", "").replaceFirst("[#?].*$", "")
                .replaceFirst("/+$", "").replaceFirst("\\.(txt|html?|php|md)$", "");
        if (u.startsWith("apache.org/licenses/license-2.0") || u.equals("opensource.org/licenses/apache2.0")) return "Apache-2.0";
        if (u.startsWith("eclipse.org/legal/epl-v10") || u.startsWith("eclipse.org/org/documents/epl-v10")) return "EPL-1.0";
        if (u.startsWith("eclipse.org/legal/epl-2.0") || u.startsWith("eclipse.org/legal/epl-v20")) return "EPL-2.0";
        if (u.startsWith("eclipse.org/org/documents/edl-v10")) return "BSD-3-Clause";
        if (u.startsWith("mozilla.org/mpl/2.0")) return "MPL-2.0";
        if (u.startsWith("mozilla.org/mpl/mpl-1.1") || u.startsWith("mozilla.org/mpl/1.1")) return "MPL-1.1";
        if (u.startsWith("creativecommons.org/publicdomain/zero/1.0")) return "CC0-1.0";
        if (u.startsWith("unlicense.org")) return "Unlicense";
        if (u.startsWith("mit-license.org") || u.startsWith("bouncycastle.org/licence")) return "MIT";
        if (u.startsWith("json.org/license")) return "JSON";
        Matcher gnu = Pattern.compile("^gnu\\.org/(?:licenses/(?:old-licenses/)?|copyleft/)(a?gpl|lgpl|fdl)(?:-(\\d\\.\\d))?(\\+)?$").matcher(u);
        if (gnu.matches()) return gnu(gnu.group(1) + (gnu.group(2) == null ? "" : " " + gnu.group(2)) + (gnu.group(3) == null ? "" : "+"));
        if (u.matches("^gnu\\.org/copyleft/lesser$")) return gnu("lgpl");
        // opensource.org/licenses/MIT, spdx.org/licenses/BSD-3-Clause.html, choosealicense.com/licenses/mit
        Matcher last = Pattern.compile("^(?:opensource\\.org/licenses|spdx\\.org/licenses|choosealicense\\.com/licenses)/([^/]+)$").matcher(u);
        if (last.matches()) {
            String id = lookup(last.group(1).replaceFirst("-license$", ""));
            if (id != null) return id;
        }
        return null;
    }
}
