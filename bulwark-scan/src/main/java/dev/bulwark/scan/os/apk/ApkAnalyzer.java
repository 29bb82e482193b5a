package dev.bulwark.scan.os.apk;

import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.os.Findings;

import java.io.IOException;
import java.io.InputStream;

/** Alpine packages from apk's installed database, with the files each package owns. */
public final class ApkAnalyzer implements Analyzer {
    static final String DB = "/lib/apk/db/installed";
    /** The database of a large Alpine system is a few MiB; 256 MiB is refused as hostile. */
    static final long MAX = 256L << 20;

    @Override
    public String type() {
        return "apk";
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
        return path.equals(DB);
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        if (in.size() > MAX) return FileResult.warning(type(), in.path(), in.size() + " bytes, over the " + MAX + "-byte limit; not read");
        Findings out = new Findings(type(), in.path());
        try (InputStream s = in.open()) {
            ApkDatabaseParser.parse(s, out);
        }
        return out.toResult();
    }
}
