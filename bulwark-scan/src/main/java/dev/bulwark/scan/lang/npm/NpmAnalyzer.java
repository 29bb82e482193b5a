package dev.bulwark.scan.lang.npm;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.license.Licenses;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * npm packages: each installed package's own package.json under node_modules, and package-lock.json files
 * (lockfile v1 "dependencies" trees and v2/v3 "packages" maps) for what an app declares.
 */
public final class NpmAnalyzer implements Analyzer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MANIFEST = 4 << 20;
    private static final int MAX_LOCK = 64 << 20;

    @Override
    public String type() {
        return "npm";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        if (path.endsWith("/package.json")) return size <= MAX_MANIFEST && isInstalledPackageJson(path);
        return path.endsWith("/package-lock.json") && size <= MAX_LOCK && !path.contains("/node_modules/");
    }

    /** node_modules/NAME/package.json or node_modules/@SCOPE/NAME/package.json, nothing deeper. */
    static boolean isInstalledPackageJson(String path) {
        int nm = path.lastIndexOf("/node_modules/");
        if (nm < 0) return false;
        String rest = path.substring(nm + "/node_modules/".length(), path.length() - "/package.json".length());
        String[] parts = rest.split("/");
        return parts.length == 1 ? !parts[0].startsWith("@") && !parts[0].startsWith(".")
                : parts.length == 2 && parts[0].startsWith("@");
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(in.readAllBytes(in.path().endsWith("package-lock.json") ? MAX_LOCK : MAX_MANIFEST));
        } catch (JacksonException e) {
            return FileResult.warning(type(), in.path(), "malformed JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) return FileResult.warning(type(), in.path(), "not a JSON object");
        if (in.path().endsWith("/package-lock.json")) return FileResult.ofPackages(type(), in.path(), lockfile(root, in.path()));
        String name = root.path("name").asText("");
        String version = root.path("version").asText("");
        if (name.isEmpty() || version.isEmpty()) return null;
        return FileResult.ofPackages(type(), in.path(), List.of(pkg(name, version, licenses(root), in.path(), Map.of())));
    }

    static List<String> licenses(JsonNode root) {
        Set<String> out = new LinkedHashSet<>();
        JsonNode l = root.path("license");
        if (l.isTextual()) out.addAll(Licenses.normalize(l.asText()));
        else if (l.isObject()) out.addAll(Licenses.normalize(l.path("type").asText("")));
        for (JsonNode e : root.path("licenses")) {
            out.addAll(Licenses.normalize(e.isTextual() ? e.asText() : e.path("type").asText("")));
        }
        return List.copyOf(out);
    }

    private static List<Package> lockfile(JsonNode root, String path) {
        List<Package> out = new ArrayList<>();
        JsonNode packages = root.path("packages");
        if (packages.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = packages.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                int nm = key.lastIndexOf("node_modules/");
                if (key.isEmpty() || nm < 0 || e.getValue().path("link").asBoolean(false)) continue;
                String name = e.getValue().path("name").asText(key.substring(nm + "node_modules/".length()));
                String version = e.getValue().path("version").asText("");
                if (version.isEmpty()) continue;
                out.add(pkg(name, version, licenses(e.getValue()), path, props(e.getValue())));
            }
            return out;
        }
        v1(root.path("dependencies"), path, out, 0);
        return out;
    }

    /** Lockfile v1 nests dependencies under dependencies. */
    private static void v1(JsonNode deps, String path, List<Package> out, int depth) {
        if (!deps.isObject() || depth > 64) return;
        for (Iterator<Map.Entry<String, JsonNode>> it = deps.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String version = e.getValue().path("version").asText("");
            if (!version.isEmpty() && !version.startsWith("file:")) out.add(pkg(e.getKey(), version, List.of(), path, props(e.getValue())));
            v1(e.getValue().path("dependencies"), path, out, depth + 1);
        }
    }

    private static Map<String, String> props(JsonNode entry) {
        return entry.path("dev").asBoolean(false) ? Map.of("source", "lockfile", "dev", "true") : Map.of("source", "lockfile");
    }

    private static Package pkg(String name, String version, List<String> licenses, String path, Map<String, String> props) {
        String purl;
        try {
            PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType("npm").withVersion(version);
            if (name.startsWith("@") && name.contains("/")) b.withNamespace(name.substring(0, name.indexOf('/'))).withName(name.substring(name.indexOf('/') + 1));
            else b.withName(name);
            purl = b.build().canonicalize();
        } catch (MalformedPackageURLException e) {
            purl = null;
        }
        return new Package(PackageType.NPM, name, version, purl, null, licenses, null, List.of(path), props);
    }
}
