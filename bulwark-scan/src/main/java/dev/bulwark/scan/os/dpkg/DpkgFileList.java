package dev.bulwark.scan.os.dpkg;

import dev.bulwark.scan.os.BoundedLines;
import dev.bulwark.scan.os.Findings;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** /var/lib/dpkg/info/PKG[:ARCH].list: the files and directories a package installed, one absolute path a line. */
public final class DpkgFileList {
    private static final int MAX_LINE = 4096; // PATH_MAX

    private DpkgFileList() {
    }

    /** "libc6:amd64.list" → libc6: owned files are keyed by package name, without the architecture. */
    public static String packageName(String fileName) {
        String base = fileName.endsWith(".list") ? fileName.substring(0, fileName.length() - 5) : fileName;
        int colon = base.indexOf(':');
        return colon < 0 ? base : base.substring(0, colon);
    }

    /** The absolute paths, "/." (the root, listed by every package) left out. */
    public static List<String> paths(InputStream in) throws IOException {
        List<String> out = new ArrayList<>();
        BoundedLines lines = new BoundedLines(in, MAX_LINE);
        for (String line; (line = lines.next()) != null; ) {
            if (line.startsWith("/") && !line.equals("/.") && out.size() < Findings.MAX_OWNED_FILES) out.add(line);
        }
        return out;
    }
}
