package dev.bulwark.match.suppress;

import dev.bulwark.model.Finding;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/** Vulnerability ids: how they are recognised and compared. */
final class Ids {
    /** CVE-2024-0727, GHSA-jfh8-c2jp-5v3q, GO-2021-0113, DSA-5678-1, RUSTSEC-2023-0001, PYSEC-2021-1 ... */
    private static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9][A-Za-z0-9._:-]*");

    private Ids() {
    }

    /** Ids are compared case-insensitively: "cve-2024-0727" in a hand-written file means CVE-2024-0727. */
    static String key(String id) {
        return id.strip().toUpperCase(Locale.ROOT);
    }

    static boolean knownAs(Finding f, String id) {
        String k = key(id);
        if (key(f.id()).equals(k)) return true;
        for (String a : f.aliases()) {
            if (key(a).equals(k)) return true;
        }
        return false;
    }

    static boolean looksLikeId(String s) {
        return s != null && s.length() <= 200 && ID.matcher(s).matches();
    }

    /**
     * The vulnerability id an IRI names, if it names one: the IRI itself when it is a bare id, else its last path
     * segment ("https://nvd.nist.gov/vuln/detail/CVE-2021-44228"); null otherwise.
     */
    static String fromIri(String iri) {
        if (iri == null) return null;
        String s = iri.strip();
        if (looksLikeId(s)) return s;
        try {
            URI u = new URI(s);
            String path = u.getPath();
            if (path == null) return null;
            while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
            String last = path.substring(path.lastIndexOf('/') + 1);
            return looksLikeId(last) ? last : null;
        } catch (Exception e) {
            return null;
        }
    }
}
