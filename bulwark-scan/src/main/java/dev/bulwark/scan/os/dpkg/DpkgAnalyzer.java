package dev.bulwark.scan.os.dpkg;

import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.os.Findings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Debian packages: /var/lib/dpkg/status (and distroless' /var/lib/dpkg/status.d/*) for what is installed,
 * info/*.list for the files each package owns, /usr/share/doc/PKG/copyright for licences.
 */
public final class DpkgAnalyzer implements Analyzer {
    private static final String STATUS = "/var/lib/dpkg/status";
    private static final String STATUS_D = "/var/lib/dpkg/status.d/";
    private static final String INFO = "/var/lib/dpkg/info/";
    private static final String DOC = "/usr/share/doc/";
    /** A status file of 256 MiB would describe hundreds of thousands of packages: refused as hostile. */
    static final long MAX_STATUS = 256L << 20;
    private static final long MAX_STATUS_D = 16L << 20;
    private static final long MAX_LIST = 64L << 20;
    /** Copyright files can be megabytes of pasted texts: only their beginning is read. */
    private static final int MAX_COPYRIGHT = 2 << 20;

    @Override
    public String type() {
        return "dpkg";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public boolean packageDatabase() {
        return true;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        if (path.equals(STATUS)) return true;
        if (path.startsWith(STATUS_D)) return directChild(path, STATUS_D) && !path.endsWith(".md5sums");
        if (path.startsWith(INFO)) return path.endsWith(".list") && directChild(path, INFO);
        if (path.startsWith(DOC) && path.endsWith("/copyright")) {
            int slash = path.indexOf('/', DOC.length());
            return slash > DOC.length() && slash == path.length() - "/copyright".length();
        }
        return false;
    }

    private static boolean directChild(String path, String dir) {
        return path.length() > dir.length() && path.indexOf('/', dir.length()) < 0;
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        String p = in.path();
        Findings out = new Findings(type(), p);
        if (p.startsWith(INFO)) {
            if (in.size() > MAX_LIST) return tooBig(in, MAX_LIST);
            try (InputStream s = in.open()) {
                out.own(DpkgFileList.packageName(p.substring(INFO.length())), DpkgFileList.paths(s));
            }
        } else if (p.startsWith(DOC)) {
            byte[] head;
            try (InputStream s = in.open()) {
                head = s.readNBytes(MAX_COPYRIGHT);
            }
            String pkg = p.substring(DOC.length(), p.length() - "/copyright".length());
            out.licenses(pkg, CopyrightParser.licenses(new String(head, StandardCharsets.UTF_8)));
        } else {
            boolean main = p.equals(STATUS);
            long max = main ? MAX_STATUS : MAX_STATUS_D;
            if (in.size() > max) return tooBig(in, max);
            try (InputStream s = in.open()) {
                DpkgStatusParser.parse(s, main, out);
            }
        }
        return out.toResult();
    }

    private FileResult tooBig(FileInput in, long max) {
        return FileResult.warning(type(), in.path(), in.size() + " bytes, over the " + max + "-byte limit for this file; not read");
    }
}
