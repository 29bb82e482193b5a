package dev.bulwark.scan.os.dpkg;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian packages: /var/lib/dpkg/status (and distroless' status.d/*) for what is installed, info/*.list for the
 * files each package owns, /usr/share/doc/PKG/copyright for licences.
 */
public final class DpkgAnalyzer implements Analyzer {
    private static final String STATUS = "/var/lib/dpkg/status";
    private static final String STATUS_D = "/var/lib/dpkg/status.d/";
    private static final String INFO = "/var/lib/dpkg/info/";
    private static final Pattern DOC_COPYRIGHT = Pattern.compile("/usr/share/doc/([^/]+)/copyright");
    private static final Pattern SOURCE = Pattern.compile("^(\\S+)(?:\\s*\\((\\S+)\\))?$");
    private static final int MAX_STATUS = 256 << 20;
    private static final int MAX_LIST = 64 << 20;
    private static final int MAX_COPYRIGHT = 1 << 20;

    @Override
    public String type() {
        return "dpkg";
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
        if (path.equals(STATUS)) return true;
        if (path.startsWith(STATUS_D)) return path.indexOf('/', STATUS_D.length()) < 0 && !path.endsWith(".md5sums");
        if (path.startsWith(INFO)) return path.endsWith(".list") && path.indexOf('/', INFO.length()) < 0;
        return path.startsWith("/usr/share/doc/") && path.endsWith("/copyright") && size <= MAX_COPYRIGHT
                && DOC_COPYRIGHT.matcher(path).matches();
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        String p = in.path();
        if (p.startsWith(INFO)) return ownedFiles(in);
        Matcher doc = DOC_COPYRIGHT.matcher(p);
        if (doc.matches()) {
            List<String> l = Copyright.licenses(new String(in.readAllBytes(MAX_COPYRIGHT), StandardCharsets.UTF_8));
            return l.isEmpty() ? null : new FileResult(type(), p, null, null, null, Map.of(doc.group(1), l), null);
        }
        return status(in);
    }

    private FileResult status(FileInput in) throws IOException {
        String text = new String(in.readAllBytes(MAX_STATUS), StandardCharsets.UTF_8);
        List<Package> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Map<String, String> s : DpkgStatus.stanzas(text)) {
            if (!DpkgStatus.installed(s)) continue;
            String name = s.get("package");
            String version = s.get("version");
            if (name == null || version == null || name.isEmpty() || version.isEmpty()) {
                warnings.add(in.path() + ": a stanza without Package or Version" + (name == null ? "" : " (" + name + ")"));
                continue;
            }
            String arch = s.getOrDefault("architecture", "");
            SourcePackage source = source(s.get("source"), name, version);
            Map<String, String> props = new TreeMap<>();
            if (!arch.isEmpty()) props.put("arch", arch);
            if (s.get("maintainer") != null) props.put("maintainer", s.get("maintainer"));
            props.put("purlNamespaceFromOs", "true");
            out.add(new Package(PackageType.DEB, name, version, purl(name, version, arch), source, List.of(), null,
                    List.of(in.path()), props));
        }
        return new FileResult(type(), in.path(), out, null, null, null, warnings);
    }

    /** "Source: glibc" or "Source: zlib (1:1.2.13.dfsg-1)"; none means the source is the binary package itself. */
    static SourcePackage source(String field, String name, String version) {
        if (field == null || field.isBlank()) return new SourcePackage(name, version);
        Matcher m = SOURCE.matcher(field.strip());
        if (!m.matches()) return new SourcePackage(name, version);
        return new SourcePackage(m.group(1), m.group(2) != null ? m.group(2) : version);
    }

    static String purl(String name, String version, String arch) {
        try {
            PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType("deb").withNamespace("debian").withName(name).withVersion(version);
            if (!arch.isEmpty()) b.withQualifier("arch", arch);
            return b.build().canonicalize();
        } catch (MalformedPackageURLException e) {
            return null;
        }
    }

    /** "libc6:amd64.list" lists the files of libc6, one absolute path a line (directories included). */
    private FileResult ownedFiles(FileInput in) throws IOException {
        String file = in.path().substring(INFO.length(), in.path().length() - ".list".length());
        String pkg = file.contains(":") ? file.substring(0, file.indexOf(':')) : file;
        Set<String> files = new LinkedHashSet<>();
        if (in.size() > MAX_LIST) return FileResult.warning(type(), in.path(), "file list larger than " + MAX_LIST + " bytes, ignored");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in.open(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("/") && !line.equals("/.")) files.add(line);
            }
        }
        return new FileResult(type(), in.path(), null, null, Map.of(pkg, List.copyOf(files)), null, null);
    }

    /** Licences from a copyright file: DEP-5 "License:" fields, else well-known licence names near the top. */
    static final class Copyright {
        private static final Pattern LICENSE_FIELD = Pattern.compile("(?m)^License:[ \\t]*(\\S[^\\n]*)$");
        private static final Pattern COMMON = Pattern.compile("/usr/share/common-licenses/([A-Za-z0-9.+-]+)");

        static List<String> licenses(String text) {
            Set<String> out = new LinkedHashSet<>();
            Matcher m = LICENSE_FIELD.matcher(text);
            while (m.find()) out.addAll(Licenses.normalize(m.group(1).strip()));
            if (out.isEmpty()) {
                Matcher c = COMMON.matcher(text);
                while (c.find()) out.addAll(Licenses.normalize(c.group(1)));
            }
            return List.copyOf(out);
        }
    }
}
