package dev.bulwark.scan.lang.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bulwark.scan.license.Licenses;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Pure parsing of npm's files: package.json, package-lock.json / npm-shrinkwrap.json (v1 "dependencies" trees,
 * v2/v3 "packages" maps), yarn.lock (classic v1, and berry's YAML) and pnpm-lock.yaml (v5, v6, v9). Lockfiles
 * give registry packages only: links, workspaces, local directories and patches are the app's own code.
 */
final class NpmParsers {
    static final int MAX_LOCK = 64 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = yamlMapper();
    /** A registry version: starts with a digit (git URLs, file: paths and tarball URLs do not). */
    private static final Pattern VERSION = Pattern.compile("^\\d+\\.\\d+\\.\\d+[\\w.+-]*$");
    private static final int MAX_NAME = 214; // npm's own limit

    /** One package a file names; {@code dev} only where the lockfile says so. */
    record NpmPackage(String name, String version, List<String> licenses, boolean dev) {
    }

    private NpmParsers() {
    }

    private static ObjectMapper yamlMapper() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(MAX_LOCK); // SnakeYAML stops at 3 MB by default; real lockfiles are larger
        o.setMaxAliasesForCollections(100); // "billion laughs"
        return new ObjectMapper(YAMLFactory.builder().loaderOptions(o).build());
    }

    static JsonNode json(byte[] content) throws IOException {
        return JSON.readTree(content);
    }

    // ------------------------------------------------------------------ package.json

    /** A package.json's package, or null when it has no name or version (an app's manifest, a build folder's). */
    static NpmPackage packageJson(JsonNode root) {
        String name = root.path("name").asText("").strip();
        String version = root.path("version").asText("").strip();
        if (!validName(name) || version.isEmpty() || version.length() > 256) return null;
        return new NpmPackage(name, version, licenses(root), false);
    }

    /** "license": "MIT" | {"type": "MIT"}; the legacy "licenses": ["MIT", {"type": ...}]. */
    static List<String> licenses(JsonNode root) {
        Set<String> out = new LinkedHashSet<>();
        JsonNode l = root.path("license");
        if (l.isTextual()) out.addAll(Licenses.normalize(l.asText()));
        else if (l.isObject()) out.addAll(Licenses.normalize(l.path("type").asText("")));
        JsonNode legacy = root.path("licenses");
        if (legacy.isArray()) {
            for (JsonNode e : legacy) out.addAll(Licenses.normalize(e.isTextual() ? e.asText() : e.path("type").asText("")));
        } else if (legacy.isTextual()) {
            out.addAll(Licenses.normalize(legacy.asText()));
        }
        return List.copyOf(out);
    }

    // ------------------------------------------------------------------ package-lock.json

    static List<NpmPackage> packageLock(JsonNode root) {
        Map<String, NpmPackage> out = new LinkedHashMap<>();
        JsonNode packages = root.path("packages");
        if (packages.isObject() && !packages.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = packages.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                JsonNode p = e.getValue();
                int nm = key.lastIndexOf("node_modules/");
                // "" is the app itself; keys without node_modules/ are workspace folders; links point at them
                if (nm < 0 || p.path("link").asBoolean(false)) continue;
                String name = p.path("name").asText(key.substring(nm + "node_modules/".length()));
                add(out, name, p.path("version").asText(""), licenses(p), p.path("dev").asBoolean(false));
            }
        } else {
            v1(root.path("dependencies"), out, 0);
        }
        return List.copyOf(out.values());
    }

    /** Lockfile v1 nests dependencies under dependencies; an alias's version is "npm:real-name@1.2.3". */
    private static void v1(JsonNode deps, Map<String, NpmPackage> out, int depth) {
        if (!deps.isObject() || depth > 64) return;
        for (Iterator<Map.Entry<String, JsonNode>> it = deps.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey(), version = e.getValue().path("version").asText("");
            if (version.startsWith("npm:")) {
                int at = version.lastIndexOf('@');
                if (at > 4) {
                    name = version.substring(4, at);
                    version = version.substring(at + 1);
                }
            }
            add(out, name, version, List.of(), e.getValue().path("dev").asBoolean(false));
            v1(e.getValue().path("dependencies"), out, depth + 1);
        }
    }

    // ------------------------------------------------------------------ yarn.lock

    static List<NpmPackage> yarnLock(String text) throws IOException {
        return text.contains("\n__metadata:") || text.startsWith("__metadata:") ? yarnBerry(text) : yarnClassic(text);
    }

    /**
     * Yarn 1's own format: a block per resolved package, headed by its comma-separated specifiers
     * ({@code "@babel/core@^7.0.0", "@babel/core@^7.1.0":}), with an indented {@code version "7.12.3"} line.
     */
    static List<NpmPackage> yarnClassic(String text) {
        Map<String, NpmPackage> out = new LinkedHashMap<>();
        String name = null;
        for (String line : text.split("\r?\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (!Character.isWhitespace(line.charAt(0))) {
                name = line.endsWith(":") ? yarnName(line.substring(0, line.length() - 1).split(",")[0].strip()) : null;
            } else if (name != null && line.startsWith("  version")) {
                String v = line.substring("  version".length()).strip().replace("\"", "");
                add(out, name, v, List.of(), false);
                name = null;
            }
        }
        return List.copyOf(out.values());
    }

    /** "lodash@^4.17.21" → lodash; "@babel/core@^7" → @babel/core; "alias@npm:real@^1" → real; local specs → null. */
    private static String yarnName(String spec) {
        String s = spec.replace("\"", "").strip();
        int at = s.indexOf('@', 1);
        if (at < 0) return null;
        String name = s.substring(0, at), range = s.substring(at + 1);
        if (range.startsWith("npm:")) {
            String real = range.substring(4);
            int rat = real.indexOf('@', 1);
            return rat > 0 ? real.substring(0, rat) : real;
        }
        if (range.matches("^(file|link|workspace|portal|patch|exec):.*")) return null;
        return name;
    }

    /** Yarn 2+ ("berry") writes YAML; each entry's "resolution" is "name@npm:1.2.3" for registry packages. */
    private static List<NpmPackage> yarnBerry(String text) throws IOException {
        Map<String, NpmPackage> out = new LinkedHashMap<>();
        JsonNode root = YAML.readTree(text);
        if (root == null || !root.isObject()) return List.of();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata")) continue;
            String resolution = e.getValue().path("resolution").asText("");
            int npm = resolution.indexOf("@npm:", 1);
            if (npm < 0) continue; // workspace:, patch:, link:, portal:, file:, git
            add(out, resolution.substring(0, npm), e.getValue().path("version").asText(resolution.substring(npm + 5)),
                    licenses(e.getValue()), false);
        }
        return List.copyOf(out.values());
    }

    // ------------------------------------------------------------------ pnpm-lock.yaml

    /**
     * pnpm's lockfile: v5 keys "/name/1.2.3_peer@1", v6 "/name@1.2.3(peer@1)", v9 "name@1.2.3" (with "snapshots"
     * for peer variants). v5 and v6 mark dev-only packages with "dev: true".
     */
    static List<NpmPackage> pnpmLock(String text) throws IOException {
        Map<String, NpmPackage> out = new LinkedHashMap<>();
        JsonNode root = YAML.readTree(text);
        if (root == null || !root.isObject()) return List.of();
        String lv = root.path("lockfileVersion").asText("");
        boolean slashes = lv.matches("^[1-5](\\D.*)?$"); // "5.3", "5.4", "5.4-inlineSpecifiers"; "6.0" and "9.0" use '@'
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("packages").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey().startsWith("/") ? e.getKey().substring(1) : e.getKey();
            String name, version;
            if (slashes) {
                int slash = key.lastIndexOf('/');
                if (slash <= 0) continue;
                name = key.substring(0, slash);
                version = key.substring(slash + 1).split("_", 2)[0];
            } else {
                int paren = key.indexOf('(');
                if (paren > 0) key = key.substring(0, paren);
                int at = key.indexOf('@', 1);
                if (at < 0) continue;
                name = key.substring(0, at);
                version = key.substring(at + 1);
            }
            JsonNode p = e.getValue();
            if (p.hasNonNull("name")) name = p.path("name").asText(name);
            if (p.hasNonNull("version")) version = p.path("version").asText(version);
            add(out, name, version, List.of(), p.path("dev").asBoolean(false));
        }
        return List.copyOf(out.values());
    }

    // ------------------------------------------------------------------ shared

    /** Registry packages only, once per name@version; dev only when every occurrence is dev. */
    private static void add(Map<String, NpmPackage> out, String name, String version, List<String> licenses, boolean dev) {
        if (!validName(name) || !VERSION.matcher(version).matches()) return;
        String key = name + "@" + version;
        NpmPackage old = out.get(key);
        if (old == null) out.put(key, new NpmPackage(name, version, licenses, dev));
        else if (old.dev() && !dev) out.put(key, new NpmPackage(name, version, old.licenses().isEmpty() ? licenses : old.licenses(), false));
    }

    static boolean validName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME || name.contains("..") || name.contains(" ")) return false;
        if (name.startsWith("@")) {
            int slash = name.indexOf('/');
            return slash > 1 && slash < name.length() - 1 && name.indexOf('/', slash + 1) < 0;
        }
        return !name.contains("/");
    }
}
