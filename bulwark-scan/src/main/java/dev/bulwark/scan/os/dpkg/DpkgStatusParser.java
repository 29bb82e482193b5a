package dev.bulwark.scan.os.dpkg;

import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.SourcePackage;
import dev.bulwark.scan.os.BoundedLines;
import dev.bulwark.scan.os.Findings;
import dev.bulwark.scan.os.OsPurls;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Installed packages from dpkg's status file or from one of distroless' status.d entries (the same stanzas, without a
 * Status field). The purl names Debian; the scanner replaces the namespace with the image's distribution (Ubuntu...)
 * because of the {@code purlNamespaceFromOs} property.
 */
public final class DpkgStatusParser {
    /** "glibc" or "zlib (1:1.2.13.dfsg-1)": the source's version is given when it differs from the binary's. */
    private static final Pattern SOURCE = Pattern.compile("^(\\S+)(?:\\s*\\(\\s*([^)\\s]+)\\s*\\))?$");
    private static final int MAX_LINE = 1 << 20;

    private DpkgStatusParser() {
    }

    /**
     * @param statusRequired true for /var/lib/dpkg/status, where a stanza without a Status field is damaged; false
     *                       for status.d entries, which never have one
     */
    public static void parse(InputStream in, boolean statusRequired, Findings out) throws IOException {
        BoundedLines lines = new BoundedLines(in, MAX_LINE);
        Deb822 reader = new Deb822(lines);
        for (Map<String, String> s; (s = reader.next()) != null; ) {
            String name = s.get("package");
            String status = s.get("status");
            if (status == null && statusRequired) {
                out.warn("package " + (name == null ? "without a name" : name) + " has no Status field; skipped");
                continue;
            }
            if (status != null && !installed(status)) continue;
            String version = s.get("version");
            if (name == null || name.isEmpty() || version == null || version.isEmpty()) {
                out.warn("an installed package without " + (name == null || name.isEmpty() ? "Package" : "Version (" + name + ")") + "; skipped");
                continue;
            }
            out.add(toPackage(s, name, version, out.path()));
        }
        if (reader.oddLines() > 0) out.warn(reader.oddLines() + " lines are neither fields nor continuations; ignored");
        if (lines.cutLines() > 0) out.warn(lines.cutLines() + " lines longer than " + MAX_LINE + " bytes were cut");
    }

    /** "install ok installed", "hold ok installed": the third word is the state; half-installed, config-files etc. are not installed. */
    static boolean installed(String status) {
        String[] words = status.strip().split("\\s+");
        return words.length == 3 && words[2].equals("installed");
    }

    private static Package toPackage(Map<String, String> s, String name, String version, String path) {
        String arch = s.getOrDefault("architecture", "");
        Map<String, String> props = new TreeMap<>();
        if (!arch.isEmpty()) props.put("arch", arch);
        int colon = version.indexOf(':');
        if (colon > 0) props.put("epoch", version.substring(0, colon));
        String maintainer = s.get("maintainer");
        if (maintainer != null && !maintainer.isEmpty()) props.put("maintainer", maintainer);
        String description = s.get("description");
        if (description != null && !description.isEmpty()) props.put("description", description.lines().findFirst().orElse(""));
        props.put("purlNamespaceFromOs", "true");
        return new Package(PackageType.DEB, name, version, OsPurls.of("deb", "debian", name, version, "arch", arch),
                source(s.get("source"), name, version), List.of(), null, List.of(path), props);
    }

    /** The source package; without a Source field the binary package is its own source, at the binary's version. */
    static SourcePackage source(String field, String name, String version) {
        if (field == null || field.isBlank()) return new SourcePackage(name, version);
        Matcher m = SOURCE.matcher(field.strip());
        if (!m.matches()) return new SourcePackage(field.strip().split("\\s+")[0], version);
        return new SourcePackage(m.group(1), m.group(2) != null ? m.group(2) : version);
    }
}
