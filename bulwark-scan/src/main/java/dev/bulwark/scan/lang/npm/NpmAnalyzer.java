package dev.bulwark.scan.lang.npm;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.lang.Purls;
import dev.bulwark.scan.lang.npm.NpmParsers.NpmPackage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * npm packages: each installed package's own package.json under node_modules; an app's package.json elsewhere
 * (property "role"="application", when it has a name and version); and the lockfiles an app declares its
 * dependencies in: package-lock.json / npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml (property
 * "source"="lockfile", and "dev"="true" for development-only packages where the lockfile says so).
 */
public final class NpmAnalyzer implements Analyzer {
    private static final int MAX_MANIFEST = 4 << 20;
    private static final List<String> LOCKFILES = List.of("/package-lock.json", "/npm-shrinkwrap.json", "/yarn.lock", "/pnpm-lock.yaml");

    @Override
    public String type() {
        return "npm";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        if (path.endsWith("/package.json")) return size <= MAX_MANIFEST && (installedPackageJson(path) || !path.contains("/node_modules/"));
        // Lockfiles inside node_modules are npm's hidden .package-lock.json or a dependency's own: the installed
        // package.json files say the same with more detail.
        return size <= NpmParsers.MAX_LOCK && !path.contains("/node_modules/") && LOCKFILES.stream().anyMatch(path::endsWith);
    }

    /** node_modules/NAME/package.json or node_modules/@SCOPE/NAME/package.json; not a file deeper in a package. */
    static boolean installedPackageJson(String path) {
        int nm = path.lastIndexOf("/node_modules/");
        if (nm < 0) return false;
        String rest = path.substring(nm + "/node_modules/".length(), path.length() - "/package.json".length());
        String[] parts = rest.split("/");
        return parts.length == 1 ? !parts[0].startsWith("@") && !parts[0].startsWith(".")
                : parts.length == 2 && parts[0].startsWith("@");
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        String path = in.path();
        boolean lockfile = !path.endsWith("/package.json");
        byte[] content = in.readAllBytes(lockfile ? NpmParsers.MAX_LOCK : MAX_MANIFEST);
        try {
            if (path.endsWith("/yarn.lock")) return lock(path, NpmParsers.yarnLock(utf8(content)));
            if (path.endsWith("/pnpm-lock.yaml")) return lock(path, NpmParsers.pnpmLock(utf8(content)));
            JsonNode root = NpmParsers.json(content);
            if (root == null || !root.isObject()) return FileResult.warning(type(), path, "not a JSON object");
            if (lockfile) return lock(path, NpmParsers.packageLock(root));
            NpmPackage p = NpmParsers.packageJson(root);
            if (p == null) return null; // no name or version: not a package
            Map<String, String> props = installedPackageJson(path) ? Map.of() : Map.of("role", "application");
            return FileResult.ofPackages(type(), path, List.of(pkg(p, path, props)));
        } catch (JacksonException e) {
            return FileResult.warning(type(), path, "malformed " + (path.endsWith(".yaml") || path.endsWith(".lock") ? "YAML" : "JSON")
                    + " (" + e.getOriginalMessage() + ")");
        } catch (java.io.CharConversionException e) {
            // Jackson guesses the encoding from the first bytes; garbage that looks like UTF-32 of no valid
            // endianness is a malformed file, not a failure to read it
            return FileResult.warning(type(), path, "malformed JSON (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            // SnakeYAML's limits (aliases, code points) surface as its own unchecked exceptions
            return FileResult.warning(type(), path, "unreadable (" + e.getMessage() + ")");
        }
    }

    private FileResult lock(String path, List<NpmPackage> found) {
        List<Package> out = new ArrayList<>();
        for (NpmPackage p : found) {
            Map<String, String> props = new LinkedHashMap<>();
            props.put("source", "lockfile");
            if (p.dev()) props.put("dev", "true");
            out.add(pkg(p, path, props));
        }
        return FileResult.ofPackages(type(), path, out);
    }

    private static Package pkg(NpmPackage p, String path, Map<String, String> props) {
        String name = p.name();
        int slash = name.indexOf('/');
        String purl = name.startsWith("@") && slash > 0 ? Purls.of("npm", name.substring(0, slash), name.substring(slash + 1), p.version())
                : Purls.of("npm", null, name, p.version());
        return new Package(PackageType.NPM, name, p.version(), purl, null, p.licenses(), null, List.of(path), props);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
