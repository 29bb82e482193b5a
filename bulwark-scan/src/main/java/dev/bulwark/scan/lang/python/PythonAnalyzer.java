package dev.bulwark.scan.lang.python;

import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.lang.Purls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Installed Python distributions: *.dist-info/METADATA (wheels), *.egg-info/PKG-INFO and *.egg/EGG-INFO/PKG-INFO
 * (setuptools), and *.egg-info files (distutils, as Debian's python3-* packages install some). The declared name
 * is kept; the purl uses the PEP 503 normalised one.
 */
public final class PythonAnalyzer implements Analyzer {
    private static final int MAX = 4 << 20;

    @Override
    public String type() {
        return "python";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        return size > 0 && size <= MAX && (path.endsWith(".dist-info/METADATA") || path.endsWith(".egg-info/PKG-INFO")
                || path.endsWith(".egg/EGG-INFO/PKG-INFO") || path.endsWith(".egg-info"));
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        CoreMetadata m = CoreMetadata.parse(new String(in.readAllBytes(MAX), StandardCharsets.UTF_8));
        if (m.name() == null || m.version() == null) return FileResult.warning(type(), in.path(), "no Name or Version header");
        String purl = Purls.of("pypi", null, CoreMetadata.normalizedName(m.name()), m.version());
        return FileResult.ofPackages(type(), in.path(), List.of(new Package(PackageType.PYPI, m.name(), m.version(), purl, null,
                m.licenses(), null, List.of(in.path()), Map.of())));
    }
}
