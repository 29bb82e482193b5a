package dev.bulwark.scan.os.apk;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.SourcePackage;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.license.Licenses;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Alpine packages from apk's installed database (/lib/apk/db/installed): one stanza per package of "X:value"
 * lines — P name, V version, A arch, o origin (the source package), L licence, F directory and R file for owned
 * files — separated by blank lines.
 */
public final class ApkAnalyzer implements Analyzer {
    static final String DB = "/lib/apk/db/installed";
    private static final long MAX = 256L << 20;

    @Override
    public String type() {
        return "apk";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public boolean packageDatabase() {
        return true;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        return path.equals(DB) && size <= MAX;
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        List<Package> out = new ArrayList<>();
        Map<String, List<String>> owned = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        Stanza s = new Stanza();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in.open(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty()) {
                    s.finish(in.path(), out, owned, warnings);
                    s = new Stanza();
                } else if (line.length() >= 2 && line.charAt(1) == ':') {
                    s.field(line.charAt(0), line.substring(2));
                }
            }
        }
        s.finish(in.path(), out, owned, warnings);
        return new FileResult(type(), in.path(), out, null, owned, null, warnings);
    }

    /** One package's fields as they are read. */
    private static final class Stanza {
        String name, version, arch, origin, license, maintainer;
        String dir = "";
        final Set<String> files = new LinkedHashSet<>();

        void field(char key, String value) {
            switch (key) {
                case 'P' -> name = value;
                case 'V' -> version = value;
                case 'A' -> arch = value;
                case 'o' -> origin = value;
                case 'L' -> license = value;
                case 'm' -> maintainer = value;
                case 'F' -> dir = value;
                case 'R' -> files.add("/" + (dir.isEmpty() ? "" : dir + "/") + value);
                default -> { }
            }
        }

        void finish(String path, List<Package> out, Map<String, List<String>> owned, List<String> warnings) {
            if (name == null && version == null) return;
            if (name == null || version == null) {
                warnings.add(path + ": a package without P: or V:" + (name == null ? "" : " (" + name + ")"));
                return;
            }
            Map<String, String> props = new TreeMap<>();
            if (arch != null) props.put("arch", arch);
            if (maintainer != null) props.put("maintainer", maintainer);
            out.add(new Package(PackageType.APK, name, version, purl(name, version, arch),
                    new SourcePackage(origin == null ? name : origin, version), Licenses.normalize(license), null, List.of(path), props));
            if (!files.isEmpty()) owned.put(name, List.copyOf(files));
        }
    }

    static String purl(String name, String version, String arch) {
        try {
            PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType("apk").withNamespace("alpine").withName(name).withVersion(version);
            if (arch != null) b.withQualifier("arch", arch);
            return b.build().canonicalize();
        } catch (MalformedPackageURLException e) {
            return null;
        }
    }
}
