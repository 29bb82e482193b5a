package dev.bulwark.scan.lang.python;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.license.Licenses;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Installed Python distributions: *.dist-info/METADATA and *.egg-info/PKG-INFO (core metadata, RFC 822 headers). */
public final class PythonAnalyzer implements Analyzer {
    private static final int MAX = 4 << 20;
    private static final String CLASSIFIER = "License :: ";

    @Override
    public String type() {
        return "python";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        return size <= MAX && (path.endsWith(".dist-info/METADATA") || path.endsWith(".egg-info/PKG-INFO")
                || (path.endsWith(".egg-info") && size > 0));
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        String text = new String(in.readAllBytes(MAX), StandardCharsets.UTF_8);
        String name = null, version = null, license = null, expression = null;
        Set<String> classifiers = new LinkedHashSet<>();
        for (String line : text.split("\r?\n")) {
            if (line.isEmpty()) break; // headers end at the first blank line; the description follows
            int colon = line.indexOf(": ");
            if (colon <= 0 || line.startsWith(" ") || line.startsWith("\t")) continue;
            String key = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 2).strip();
            switch (key) {
                case "name" -> name = value;
                case "version" -> version = value;
                case "license" -> license = value;
                case "license-expression" -> expression = value;
                case "classifier" -> {
                    if (value.startsWith(CLASSIFIER)) classifiers.add(value.substring(value.lastIndexOf("::") + 2).strip());
                }
                default -> { }
            }
        }
        if (name == null || version == null) return FileResult.warning(type(), in.path(), "no Name or Version header");
        Set<String> licenses = new LinkedHashSet<>();
        if (expression != null) licenses.addAll(Licenses.normalize(expression));
        else if (license != null && !license.equalsIgnoreCase("UNKNOWN") && license.length() < 200) licenses.addAll(Licenses.normalize(license));
        if (licenses.isEmpty()) classifiers.forEach(c -> licenses.addAll(Licenses.normalize(c)));
        return FileResult.ofPackages(type(), in.path(), List.of(new Package(PackageType.PYPI, name, version,
                purl(name, version), null, List.copyOf(licenses), null, List.of(in.path()), Map.of())));
    }

    /** PEP 503: lower case, runs of "-", "_" and "." become one "-". */
    static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    private static String purl(String name, String version) {
        try {
            return PackageURLBuilder.aPackageURL().withType("pypi").withName(normalize(name)).withVersion(version).build().canonicalize();
        } catch (MalformedPackageURLException e) {
            return null;
        }
    }
}
