package dev.bulwark.scan.os.release;

import dev.bulwark.model.OsRelease;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure functions from the text of a release file to the distribution it names, or null when the text names none.
 * IDs are os-release's own ("debian", "ubuntu", "alpine", "rhel", "centos", "rocky", "almalinux", "ol", "fedora",
 * "amzn", "sles", "opensuse-leap", "opensuse-tumbleweed"), whichever file they come from.
 */
public final class OsReleaseParser {
    /** "CentOS Linux release 7.9.2009 (Core)", "Amazon Linux AMI release 2018.03", "Fedora release 39 (Thirty Nine)". */
    private static final Pattern RELEASE_LINE = Pattern.compile("(?i)^\\s*(.*?)\\s+release\\s+(\\d[\\w.]*)\\s*(?:\\((.*?)\\))?");
    private static final Pattern NUMERIC_VERSION = Pattern.compile("\\d+(?:\\.\\d+)*");
    private static final Pattern TESTING_VERSION = Pattern.compile("([a-z]+)/sid");
    private static final Pattern ALPINE_VERSION = Pattern.compile("\\d+\\.\\d+[0-9A-Za-z._-]*");

    private OsReleaseParser() {
    }

    /** Dispatches on the file name: os-release, lsb-release, alpine-release, debian_version, or a Red Hat-style release line. */
    public static OsRelease parse(String path, String text) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return switch (name) {
            case "os-release" -> osRelease(text);
            case "lsb-release" -> lsbRelease(text);
            case "alpine-release" -> alpineRelease(text);
            case "debian_version" -> debianVersion(text);
            default -> redHatRelease(text);
        };
    }

    /** freedesktop.org os-release(5). */
    public static OsRelease osRelease(String text) {
        Map<String, String> kv = KeyValues.parse(text);
        String id = lower(kv.get("ID"));
        String pretty = blankToNull(kv.get("PRETTY_NAME"));
        // Google's distroless images keep Debian's ID and VERSION_ID (their packages are Debian's) but say so here.
        boolean distroless = contains(pretty, "distroless") || contains(kv.get("HOME_URL"), "/distroless");
        if (id == null) return null;
        // openSUSE Leap 42 called itself plain "opensuse"; Leap 15 and later say "opensuse-leap".
        if (id.equals("opensuse")) id = "opensuse-leap";
        String version = blankToNull(kv.get("VERSION"));
        String codename = blankToNull(kv.get("VERSION_CODENAME"));
        if (codename == null) codename = blankToNull(kv.get("UBUNTU_CODENAME"));
        if (codename == null && (id.equals("debian") || id.equals("ubuntu"))) codename = codenameFromVersion(version);
        if (pretty == null) {
            String name = blankToNull(kv.get("NAME"));
            pretty = name == null ? id : version == null ? name : name + " " + version;
        }
        return new OsRelease(id, blankToNull(kv.get("VERSION_ID")), codename, pretty, lower(kv.get("ID_LIKE")), distroless);
    }

    /** /etc/lsb-release as Ubuntu writes it: DISTRIB_ID, DISTRIB_RELEASE, DISTRIB_CODENAME, DISTRIB_DESCRIPTION. */
    public static OsRelease lsbRelease(String text) {
        Map<String, String> kv = KeyValues.parse(text);
        String id = lower(kv.get("DISTRIB_ID"));
        if (id == null) return null;
        String release = blankToNull(kv.get("DISTRIB_RELEASE"));
        String pretty = blankToNull(kv.get("DISTRIB_DESCRIPTION"));
        if (pretty == null) pretty = kv.get("DISTRIB_ID") + (release == null ? "" : " " + release);
        return new OsRelease(id, release, lower(kv.get("DISTRIB_CODENAME")), pretty, id.equals("ubuntu") ? "debian" : null, false);
    }

    /** "3.20.3": the whole version is Alpine's VERSION_ID. */
    public static OsRelease alpineRelease(String text) {
        String v = firstLine(text);
        if (v == null || v.length() > 40 || !ALPINE_VERSION.matcher(v).matches()) return null;
        String[] parts = v.split("\\.");
        return new OsRelease("alpine", v, null, "Alpine Linux v" + parts[0] + "." + parts[1], null, false);
    }

    /** "12.7" on a release (VERSION_ID is the major number), "trixie/sid" on testing and unstable (no number). */
    public static OsRelease debianVersion(String text) {
        String v = firstLine(text);
        if (v == null) return null;
        if (NUMERIC_VERSION.matcher(v).matches()) {
            String major = v.split("\\.")[0];
            return new OsRelease("debian", major, null, "Debian GNU/Linux " + major, null, false);
        }
        Matcher testing = TESTING_VERSION.matcher(v);
        if (testing.matches()) return new OsRelease("debian", null, testing.group(1), "Debian GNU/Linux " + v, null, false);
        return null;
    }

    /**
     * /etc/redhat-release, /etc/centos-release, /etc/system-release: "Red Hat Enterprise Linux release 8.9 (Ootpa)",
     * "Rocky Linux release 9.3 (Blue Onyx)", "Amazon Linux release 2 (Karoo)". VERSION_ID as the distribution's own
     * os-release would give it: CentOS and Amazon Linux give the major number only.
     */
    public static OsRelease redHatRelease(String text) {
        String line = firstLine(text);
        if (line == null) return null;
        Matcher m = RELEASE_LINE.matcher(line);
        if (!m.find() || m.group(1).isBlank()) return null;
        String name = m.group(1).toLowerCase(Locale.ROOT);
        String version = m.group(2);
        String major = version.split("\\.")[0];
        String id, like = "rhel centos fedora";
        if (name.contains("red hat")) {
            id = "rhel";
            like = "fedora";
        } else if (name.contains("centos")) {
            id = "centos";
            version = major;
            like = "rhel fedora";
        } else if (name.contains("rocky")) {
            id = "rocky";
        } else if (name.contains("almalinux")) {
            id = "almalinux";
        } else if (name.contains("oracle")) {
            id = "ol";
            like = "fedora";
        } else if (name.contains("fedora")) {
            id = "fedora";
            like = null;
        } else if (name.contains("amazon")) {
            id = "amzn";
            // "Amazon Linux AMI release 2018.03" keeps its date-like version; Amazon Linux 2 and 2023 use the major.
            if (!name.contains("ami")) version = major;
            like = major.equals("2") ? "centos rhel fedora" : "fedora";
        } else {
            id = name.split("\\s+")[0].replaceAll("[^a-z0-9._-]", "");
            if (id.isEmpty()) return null;
            like = null;
        }
        String codename = m.group(3) == null || m.group(3).isBlank() ? null : m.group(3).strip();
        return new OsRelease(id, version, codename, line, like, false);
    }

    /** "8 (jessie)" → jessie; Ubuntu 14.04's "14.04.6 LTS, Trusty Tahr" → trusty. */
    private static String codenameFromVersion(String version) {
        if (version == null) return null;
        Matcher paren = Pattern.compile("\\(([A-Za-z]+)\\)").matcher(version);
        if (paren.find()) return paren.group(1).toLowerCase(Locale.ROOT);
        Matcher comma = Pattern.compile(",\\s*([A-Za-z]+)").matcher(version);
        return comma.find() ? comma.group(1).toLowerCase(Locale.ROOT) : null;
    }

    private static String firstLine(String text) {
        for (String line : text.split("\n", 4)) {
            String s = line.strip();
            if (!s.isEmpty()) return s;
        }
        return null;
    }

    private static boolean contains(String s, String part) {
        return s != null && s.toLowerCase(Locale.ROOT).contains(part);
    }

    private static String lower(String s) {
        return s == null || s.isBlank() ? null : s.strip().toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
