package dev.bulwark.scan.lang.java;

import dev.bulwark.scan.license.Licenses;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pure parsing of the metadata Java archives carry: pom.properties, pom.xml licences, MANIFEST.MF, file names. */
final class JavaMetadata {
    /** "commons-lang3-3.12.0.jar": artifact, then a version starting with a digit. */
    private static final Pattern FILE_NAME = Pattern.compile("^(.+?)-(\\d[\\w.+-]*?)\\.(?:jar|war|ear|jpi|hpi)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern LICENSES = Pattern.compile("<licenses>(.*?)</licenses>", Pattern.DOTALL);
    private static final Pattern LICENSE = Pattern.compile("<license>(.*?)</license>", Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile("<name>\\s*([^<]+?)\\s*</name>");
    private static final Pattern URL = Pattern.compile("<url>\\s*([^<]+?)\\s*</url>");
    private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);

    /** Maven coordinates, and where they were read. */
    record Gav(String group, String artifact, String version, List<String> licenses) {
        String key() {
            return group + ":" + artifact + "@" + version;
        }
    }

    private JavaMetadata() {
    }

    /** pom.properties as Maven writes it; null when a coordinate is missing or holds an unresolved property. */
    static Gav pomProperties(byte[] content) {
        Properties p = new Properties();
        try {
            p.load(new ByteArrayInputStream(content));
        } catch (IOException | IllegalArgumentException e) {
            return null; // malformed \\u escapes
        }
        String g = clean(p.getProperty("groupId")), a = clean(p.getProperty("artifactId")), v = clean(p.getProperty("version"));
        return g == null || a == null || v == null ? null : new Gav(g, a, v, List.of());
    }

    /** The licences a pom.xml declares (names, or URLs when a licence has no name), normalised. */
    static List<String> pomLicenses(String pom) {
        List<String> out = new ArrayList<>();
        Matcher block = LICENSES.matcher(COMMENT.matcher(pom).replaceAll(""));
        if (!block.find()) return out;
        Matcher l = LICENSE.matcher(block.group(1));
        while (l.find()) {
            Matcher name = NAME.matcher(l.group(1));
            Matcher url = URL.matcher(l.group(1));
            String declared = name.find() ? name.group(1) : url.find() ? url.group(1) : null;
            if (declared != null) {
                for (String id : Licenses.normalize(xmlText(declared))) if (!out.contains(id)) out.add(id);
            }
        }
        return out;
    }

    /** Bundle-License: "Apache-2.0;link=...", or a list of URLs or names separated by commas. */
    static List<String> bundleLicenses(Manifest mf) {
        String v = mf == null ? null : mf.getMainAttributes().getValue("Bundle-License");
        if (v == null || v.isBlank()) return List.of();
        List<String> out = new ArrayList<>();
        for (String clause : v.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            String first = clause.split(";")[0].strip().replace("\"", "");
            for (String id : Licenses.normalize(first)) if (!out.contains(id)) out.add(id);
        }
        return out;
    }

    static Manifest manifest(byte[] content) {
        try {
            return new Manifest(new ByteArrayInputStream(content));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * An archive without Maven metadata: artifact and version from its file name ("name-1.2.3.jar"), else the
     * manifest's; the group from Bundle-SymbolicName ("org.apache.commons.commons-compress" for artifact
     * "commons-compress") or Implementation-Vendor-Id. Null when no artifact and version can be found. The group
     * is null when nothing names it.
     */
    static Gav fromManifestAndName(Manifest mf, String fileName) {
        Matcher fm = FILE_NAME.matcher(fileName);
        String artifact = fm.matches() ? fm.group(1) : null;
        String version = fm.matches() ? fm.group(2) : null;
        String group = null;
        if (mf != null) {
            Attributes at = mf.getMainAttributes();
            if (version == null) version = first(at.getValue("Implementation-Version"), at.getValue("Bundle-Version"));
            String bsn = clean(at.getValue("Bundle-SymbolicName") == null ? null : at.getValue("Bundle-SymbolicName").split(";")[0]);
            if (artifact == null && bsn != null && bsn.contains(".")) artifact = bsn.substring(bsn.lastIndexOf('.') + 1);
            if (artifact == null) artifact = clean(at.getValue("Implementation-Title"));
            if (bsn != null && artifact != null && bsn.endsWith("." + artifact)) group = bsn.substring(0, bsn.length() - artifact.length() - 1);
            if (group == null) group = clean(at.getValue("Implementation-Vendor-Id"));
            if (group == null && bsn != null && bsn.contains(".")) group = bsn.substring(0, bsn.lastIndexOf('.'));
        }
        artifact = clean(artifact);
        version = clean(version);
        if (artifact == null || version == null || artifact.contains(" ")) return null;
        return new Gav(group, artifact, version, bundleLicenses(mf));
    }

    /** The artifact part of an archive's file name, or null. */
    static String artifactOfFileName(String fileName) {
        Matcher fm = FILE_NAME.matcher(fileName);
        return fm.matches() ? fm.group(1) : null;
    }

    private static String xmlText(String s) {
        return s.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'");
    }

    private static String first(String... vs) {
        for (String v : vs) if (clean(v) != null) return clean(v);
        return null;
    }

    /** Blank and unresolved "${...}" values are no values. */
    private static String clean(String s) {
        if (s == null) return null;
        String t = s.strip();
        return t.isEmpty() || t.contains("${") || t.length() > 256 ? null : t;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
