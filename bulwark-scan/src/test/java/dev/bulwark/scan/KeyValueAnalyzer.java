package dev.bulwark.scan;

import dev.bulwark.model.OsRelease;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tiny analyser with the shapes of the real ones, to test the scanner's squashing on its own: a package database
 * (/var/lib/kv/db: "name=version" lines, "!owned=/path" lines), loose language packages (/app/*.pkg), and
 * os-release files.
 */
final class KeyValueAnalyzer {
    static final class Db implements Analyzer {
        public String type() { return "kvdb"; }
        public int version() { return 1; }
        public boolean packageDatabase() { return true; }
        public boolean required(String path, long size, int mode) { return path.equals("/var/lib/kv/db"); }

        public FileResult analyze(FileInput in) throws IOException {
            List<Package> pkgs = new ArrayList<>();
            Map<String, List<String>> owned = new java.util.HashMap<>();
            for (String line : new String(in.readAllBytes(1 << 20), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("!owned=")) owned.computeIfAbsent("owner", k -> new ArrayList<>()).add(line.substring(7));
                else if (line.contains("=")) {
                    String[] kv = line.split("=", 2);
                    pkgs.add(new Package(PackageType.DEB, kv[0], kv[1], "pkg:deb/debian/" + kv[0] + "@" + kv[1], null,
                            List.of(), null, List.of(in.path()), Map.of(InventoryAssembler.PURL_NAMESPACE_FROM_OS, "true")));
                }
            }
            return new FileResult(type(), in.path(), pkgs, null, owned, null, null);
        }
    }

    static final class Loose implements Analyzer {
        public String type() { return "kvpkg"; }
        public int version() { return 1; }
        public boolean required(String path, long size, int mode) { return path.endsWith(".pkg"); }

        public FileResult analyze(FileInput in) throws IOException {
            String[] kv = new String(in.readAllBytes(1 << 20), StandardCharsets.UTF_8).trim().split("=", 2);
            if (kv.length != 2) return FileResult.warning(type(), in.path(), "not name=version");
            return FileResult.ofPackages(type(), in.path(), List.of(new Package(PackageType.NPM, kv[0], kv[1],
                    "pkg:npm/" + kv[0] + "@" + kv[1], null, List.of("MIT"), null, List.of(in.path()), Map.of())));
        }
    }

    static final class Os implements Analyzer {
        public String type() { return InventoryAssembler.OS_ANALYZER; }
        public int version() { return 1; }
        public boolean required(String path, long size, int mode) { return path.endsWith("os-release"); }

        public FileResult analyze(FileInput in) throws IOException {
            String id = null, ver = null;
            for (String line : new String(in.readAllBytes(1 << 16), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("ID=")) id = line.substring(3);
                if (line.startsWith("VERSION_ID=")) ver = line.substring(11).replace("\"", "");
            }
            return new FileResult(type(), in.path(), null, new OsRelease(id, ver, null, id + " " + ver, null, false), null, null, null);
        }
    }

    static List<Analyzer> all() {
        return List.of(new Db(), new Loose(), new Os());
    }
}
