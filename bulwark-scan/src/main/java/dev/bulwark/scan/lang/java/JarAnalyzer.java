package dev.bulwark.scan.lang.java;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.license.Licenses;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipException;
import java.nio.channels.SeekableByteChannel;
import java.util.Enumeration;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Java archives (jar, war, ear, Jenkins plugins), read through the central directory: every META-INF/maven/.../pom.properties is a
 * package (shaded jars carry several), nested archives (Spring Boot's BOOT-INF/lib, WEB-INF/lib) are read in
 * memory without unpacking to disk, and archives without Maven metadata fall back to their manifest and file name.
 */
public final class JarAnalyzer implements Analyzer {
    private static final int MAX_DEPTH = 4;
    private static final int MAX_META = 1 << 20;
    private static final long MAX_ENTRIES = 200_000;
    private static final int MAX_NESTED_IN_MEMORY = 128 << 20;
    private static final Pattern FILE_NAME = Pattern.compile("^(.+?)-(\\d[\\w.+-]*?)\\.(?:jar|war|ear|jpi|hpi)$");
    private static final Pattern LICENSE_NAME = Pattern.compile("<license>\\s*(?:<!--.*?-->\\s*)*<name>\\s*([^<]+?)\\s*</name>", Pattern.DOTALL);

    @Override
    public String type() {
        return "jar";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        String p = path.toLowerCase(Locale.ROOT);
        return size > 0 && (p.endsWith(".jar") || p.endsWith(".war") || p.endsWith(".ear") || p.endsWith(".jpi") || p.endsWith(".hpi"));
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        List<Package> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        MessageDigest sha1 = sha1();
        try (InputStream raw = in.open(); DigestInputStream d = new DigestInputStream(raw, sha1)) {
            d.transferTo(java.io.OutputStream.nullOutputStream());
        }
        try (SeekableByteChannel ch = in.channel()) {
            readArchive(ch, in.path(), 0, out, warnings);
        }
        String hex = HexFormat.of().formatHex(sha1.digest());
        List<Package> withSha = new ArrayList<>();
        for (Package p : out) {
            if (p.paths().get(0).equals(in.path())) {
                Map<String, String> props = new LinkedHashMap<>(p.properties());
                props.put("sha1", hex);
                p = new Package(p.type(), p.name(), p.version(), p.purl(), p.source(), p.licenses(), p.layer(), p.paths(), props);
            }
            withSha.add(p);
        }
        return new FileResult(type(), in.path(), withSha, null, null, null, warnings);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One archive level, read through its central directory: only the metadata entries and nested archives are
     * inflated, not the classes (a streaming read would inflate everything).
     */
    private void readArchive(SeekableByteChannel ch, String path, int depth, List<Package> out, List<String> warnings) {
        Map<String, Properties> poms = new LinkedHashMap<>();
        Map<String, List<String>> licenses = new LinkedHashMap<>();
        Manifest manifest = null;
        List<Package> nested = new ArrayList<>();
        try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(ch).setIgnoreLocalFileHeader(true).get()) {
            long entries = 0;
            for (Enumeration<ZipArchiveEntry> en = zip.getEntries(); en.hasMoreElements(); ) {
                ZipArchiveEntry e = en.nextElement();
                if (++entries > MAX_ENTRIES) {
                    warnings.add(path + ": more than " + MAX_ENTRIES + " entries; the rest was not read");
                    break;
                }
                String name = e.getName();
                if (e.isDirectory()) continue;
                if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties")) {
                    Properties p = new Properties();
                    p.load(new ByteArrayInputStream(readBounded(zip, e)));
                    poms.put(name.substring(0, name.length() - "pom.properties".length()), p);
                } else if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.xml")) {
                    List<String> l = pomLicenses(new String(readBounded(zip, e), StandardCharsets.UTF_8));
                    if (!l.isEmpty()) licenses.put(name.substring(0, name.length() - "pom.xml".length()), l);
                } else if (name.equals("META-INF/MANIFEST.MF")) {
                    manifest = new Manifest(new ByteArrayInputStream(readBounded(zip, e)));
                } else if (depth + 1 < MAX_DEPTH && isArchive(name)) {
                    if (e.getSize() > MAX_NESTED_IN_MEMORY) {
                        warnings.add(path + "!/" + name + ": nested archive larger than " + MAX_NESTED_IN_MEMORY + " bytes, not read");
                        continue;
                    }
                    byte[] inner;
                    try (InputStream is = zip.getInputStream(e)) {
                        inner = is.readNBytes(MAX_NESTED_IN_MEMORY + 1);
                    }
                    if (inner.length > MAX_NESTED_IN_MEMORY) {
                        warnings.add(path + "!/" + name + ": nested archive inflates beyond " + MAX_NESTED_IN_MEMORY + " bytes, not read");
                        continue;
                    }
                    readArchive(new SeekableInMemoryByteChannel(inner), path + "!/" + name, depth + 1, nested, warnings);
                }
            }
        } catch (ZipException | IllegalArgumentException ex) {
            warnings.add(path + ": not a readable zip archive (" + ex.getMessage() + ")");
        } catch (IOException ex) {
            warnings.add(path + ": " + ex.getMessage());
        }
        Map<String, Package> found = new LinkedHashMap<>();
        // A pom often inherits its licence from a parent; the archive's own manifest then says it, for its main artifact.
        List<String> manifestLicense = manifest == null || manifest.getMainAttributes().getValue("Bundle-License") == null ? List.of()
                : Licenses.normalize(manifest.getMainAttributes().getValue("Bundle-License").split("[;,]")[0]);
        for (Map.Entry<String, Properties> pe : poms.entrySet()) {
            Properties p = pe.getValue();
            String g = p.getProperty("groupId"), a = p.getProperty("artifactId"), v = p.getProperty("version");
            if (blank(g) || blank(a) || blank(v)) continue;
            List<String> lic = licenses.getOrDefault(pe.getKey(), poms.size() == 1 ? manifestLicense : List.of());
            found.putIfAbsent(g + ":" + a + "@" + v, pkg(g.strip(), a.strip(), v.strip(), lic, path));
        }
        if (found.isEmpty()) {
            Package fromManifest = fromManifestAndName(manifest, path);
            if (fromManifest != null) found.put("m", fromManifest);
        }
        out.addAll(found.values());
        out.addAll(nested);
    }

    private static boolean isArchive(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".jar") || n.endsWith(".war") || n.endsWith(".ear") || n.endsWith(".jpi") || n.endsWith(".hpi");
    }

    private static byte[] readBounded(ZipFile zip, ZipArchiveEntry e) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes(MAX_META + 1);
            if (b.length > MAX_META) throw new IOException(e.getName() + " is larger than " + MAX_META + " bytes");
            return b;
        }
    }

    static List<String> pomLicenses(String pom) {
        List<String> out = new ArrayList<>();
        Matcher m = LICENSE_NAME.matcher(pom);
        while (m.find()) out.addAll(Licenses.normalize(m.group(1)));
        return out;
    }

    /** No Maven metadata: the manifest's names and versions, then the file name ("name-1.2.3.jar"). */
    private static Package fromManifestAndName(Manifest mf, String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        Matcher fm = FILE_NAME.matcher(file);
        String artifact = fm.matches() ? fm.group(1) : null;
        String version = fm.matches() ? fm.group(2) : null;
        String group = null;
        List<String> lic = List.of();
        if (mf != null) {
            var at = mf.getMainAttributes();
            String v = first(at.getValue("Implementation-Version"), at.getValue("Bundle-Version"), at.getValue("Specification-Version"));
            if (version == null && v != null) version = v;
            group = first(at.getValue("Implementation-Vendor-Id"), groupFromSymbolicName(at.getValue("Bundle-SymbolicName"), artifact));
            if (artifact == null) artifact = first(at.getValue("Implementation-Title"), at.getValue("Bundle-Name"));
            if (at.getValue("Bundle-License") != null) lic = Licenses.normalize(at.getValue("Bundle-License").split(";")[0]);
        }
        if (blank(artifact) || blank(version)) return null;
        if (blank(group)) group = artifact;
        return pkg(group.strip(), artifact.strip(), version.strip(), lic, path);
    }

    /** "org.apache.commons.lang3" with artifact "commons-lang3" gives "org.apache.commons". */
    private static String groupFromSymbolicName(String bsn, String artifact) {
        if (bsn == null) return null;
        String s = bsn.split(";")[0].strip();
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : null;
    }

    private static Package pkg(String g, String a, String v, List<String> licenses, String path) {
        String purl;
        try {
            purl = PackageURLBuilder.aPackageURL().withType("maven").withNamespace(g).withName(a).withVersion(v).build().canonicalize();
        } catch (MalformedPackageURLException e) {
            purl = null;
        }
        return new Package(PackageType.MAVEN, g + ":" + a, v, purl, null, licenses, null, List.of(path), Map.of());
    }

    private static String first(String... vs) {
        for (String v : vs) if (!blank(v)) return v;
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
