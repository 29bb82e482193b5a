package dev.bulwark.scan.os.dpkg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deb822 control-file syntax of /var/lib/dpkg/status: stanzas separated by blank lines, "Field: value" lines,
 * continuation lines starting with a space or tab. Field names are case-insensitive.
 */
final class DpkgStatus {
    private DpkgStatus() {
    }

    /** Stanzas as maps from lower-cased field name to value (continuations joined with newlines). */
    static List<Map<String, String>> stanzas(String text) {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> cur = new LinkedHashMap<>();
        String last = null;
        for (String line : text.split("\n", -1)) {
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.isBlank()) {
                if (!cur.isEmpty()) out.add(cur);
                cur = new LinkedHashMap<>();
                last = null;
                continue;
            }
            char c = line.charAt(0);
            if (c == ' ' || c == '\t') {
                if (last != null) cur.merge(last, "\n" + line.substring(1), String::concat);
                continue;
            }
            if (c == '#') continue;
            int colon = line.indexOf(':');
            if (colon <= 0) continue; // malformed: the caller counts missing mandatory fields instead
            last = line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT);
            cur.put(last, line.substring(colon + 1).strip());
        }
        if (!cur.isEmpty()) out.add(cur);
        return out;
    }

    /** "install ok installed" and "hold ok installed" are installed; half-installed, config-files etc. are not. */
    static boolean installed(Map<String, String> stanza) {
        String status = stanza.get("status");
        if (status == null) return true; // status.d stanzas (distroless) carry no Status field
        String[] words = status.trim().split("\\s+");
        return words.length == 3 && words[2].equals("installed");
    }
}
