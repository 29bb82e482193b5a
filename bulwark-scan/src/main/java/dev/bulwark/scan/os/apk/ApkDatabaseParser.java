package dev.bulwark.scan.os.apk;

import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.SourcePackage;
import dev.bulwark.scan.license.Licenses;
import dev.bulwark.scan.os.BoundedLines;
import dev.bulwark.scan.os.Findings;
import dev.bulwark.scan.os.OsPurls;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * apk's installed database (/lib/apk/db/installed): one stanza per package of "X:value" lines separated by blank
 * lines. P name, V version, A arch, o origin (the source package), L licence, T description, m maintainer; F starts
 * a directory and each following R names a file in it (a, M, Z lines describe those and are skipped here).
 */
public final class ApkDatabaseParser {
    private static final int MAX_LINE = 64 << 10;
    private static final int MAX_DESCRIPTION = 1024;

    private ApkDatabaseParser() {
    }

    public static void parse(InputStream in, Findings out) throws IOException {
        BoundedLines lines = new BoundedLines(in, MAX_LINE);
        Stanza s = new Stanza();
        long odd = 0;
        for (String line; (line = lines.next()) != null; ) {
            if (line.isEmpty()) {
                s.finish(out);
                s = new Stanza();
            } else if (line.length() >= 2 && line.charAt(1) == ':') {
                s.field(line.charAt(0), line.substring(2));
            } else {
                odd++;
            }
        }
        s.finish(out);
        if (odd > 0) out.warn(odd + " lines are not \"X:value\" fields; ignored");
        if (lines.cutLines() > 0) out.warn(lines.cutLines() + " lines longer than " + MAX_LINE + " bytes were cut");
    }

    /**
     * apk's L: is an SPDX expression on current Alpine ("MIT AND BSD-2-Clause") but a space-separated list on older
     * releases ("MIT BSD GPL2+"): read as a list when every word is a licence name of its own.
     */
    static List<String> licenses(String field) {
        if (field == null || field.isBlank()) return List.of();
        String s = field.strip();
        boolean expression = s.matches("(?i).*(\\sAND\\s|\\sOR\\s|\\sWITH\\s|[()]).*");
        if (!expression && s.contains(" ")) {
            Set<String> each = new LinkedHashSet<>();
            for (String word : s.split("\\s+")) {
                List<String> n = Licenses.normalize(word);
                if (n.isEmpty() || n.stream().anyMatch(id -> id.startsWith("LicenseRef-"))) {
                    each = null;
                    break;
                }
                each.addAll(n);
            }
            if (each != null) return List.copyOf(each);
        }
        return Licenses.normalize(s);
    }

    /** One package's fields as they are read. */
    private static final class Stanza {
        String name, version, arch, origin, license, maintainer, description;
        String dir = "";
        final List<String> files = new ArrayList<>();
        boolean any;

        void field(char key, String value) {
            any = true;
            switch (key) {
                case 'P' -> name = value;
                case 'V' -> version = value;
                case 'A' -> arch = value;
                case 'o' -> origin = value;
                case 'L' -> license = value;
                case 'm' -> maintainer = value;
                case 'T' -> description = value.length() > MAX_DESCRIPTION ? value.substring(0, MAX_DESCRIPTION) : value;
                case 'F' -> dir = value;
                case 'R' -> {
                    if (files.size() < Findings.MAX_OWNED_FILES) files.add("/" + (dir.isEmpty() ? "" : dir + "/") + value);
                }
                default -> { } // checksums, sizes, dependencies, permissions
            }
        }

        void finish(Findings out) {
            if (!any) return;
            if (name == null || name.isEmpty() || version == null || version.isEmpty()) {
                out.warn("a package without " + (name == null || name.isEmpty() ? "P:" : "V: (" + name + ")") + "; skipped");
                return;
            }
            Map<String, String> props = new TreeMap<>();
            if (arch != null && !arch.isEmpty()) props.put("arch", arch);
            if (maintainer != null && !maintainer.isEmpty()) props.put("maintainer", maintainer);
            if (description != null && !description.isEmpty()) props.put("description", description);
            String source = origin == null || origin.isEmpty() ? name : origin;
            out.add(new Package(PackageType.APK, name, version, OsPurls.of("apk", "alpine", name, version, "arch", arch),
                    new SourcePackage(source, version), licenses(license), null, List.of(out.path()), props));
            out.own(name, files);
        }
    }
}
