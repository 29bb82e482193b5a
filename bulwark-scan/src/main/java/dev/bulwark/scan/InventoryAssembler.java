package dev.bulwark.scan;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import com.github.packageurl.PackageURLBuilder;
import dev.bulwark.image.EntryType;
import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.OsRelease;
import dev.bulwark.model.Package;
import dev.bulwark.model.SecretFinding;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.hygiene.HygieneAnalysis;
import dev.bulwark.scan.secret.SecretAnalyzer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Squashes per-layer findings into the image's inventory: only what is visible in the final filesystem counts;
 * each package is credited to the layer that added it; files an OS package owns are not reported again as
 * language packages.
 */
final class InventoryAssembler {
    static final String OS_ANALYZER = "os-release";
    /** Where the distribution is named, best first; each is resolved through the image's symlinks. */
    private static final List<String> OS_FILES = List.of("/etc/os-release", "/usr/lib/os-release", "/etc/lsb-release",
            "/etc/alpine-release", "/etc/redhat-release", "/etc/centos-release", "/etc/system-release", "/etc/debian_version");
    static final String PURL_NAMESPACE_FROM_OS = "purlNamespaceFromOs";

    private record Found(int layer, FileResult result) {
    }

    private InventoryAssembler() {
    }

    static Inventory assemble(ImageInfo info, List<LayerRecord> records, List<Analyzer> analyzers, Instant now, String tool) {
        return assemble(info, records, analyzers, false, null, now, tool);
    }

    /**
     * @param hygiene whether to run the hygiene checks over every layer's entries
     * @param env     the config's ENV as NAME=value for the secret check, or null when the source does not give it
     */
    static Inventory assemble(ImageInfo info, List<LayerRecord> records, List<Analyzer> analyzers, boolean hygiene,
                              dev.bulwark.image.ImageRunConfig config,
                              Instant now, String tool) {
        MergedTree tree = MergedTree.of(records);
        Map<String, Analyzer> byType = new HashMap<>();
        analyzers.forEach(a -> byType.put(a.type(), a));
        List<Found> visible = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            warnings.addAll(records.get(i).warnings());
            for (FileResult r : records.get(i).results()) {
                if (tree.visibleLayer(r.path()) == i) visible.add(new Found(i, r));
            }
        }
        for (Found f : visible) warnings.addAll(f.result().warnings());

        OsRelease os = detectOs(tree, visible);
        Map<String, List<String>> licenses = new HashMap<>();
        Set<String> owned = new HashSet<>();
        for (Found f : visible) {
            f.result().licenses().forEach((k, v) -> licenses.merge(k, v, (a, b) -> a.isEmpty() ? b : a));
            for (List<String> files : f.result().ownedFiles().values()) {
                for (String file : files) {
                    owned.add(file);
                    String real = tree.resolve(file);
                    if (real != null) owned.add(real);
                }
            }
        }

        Map<String, Package> out = new LinkedHashMap<>();
        for (Found f : visible) {
            Analyzer a = byType.get(f.result().analyzer());
            boolean database = a != null && a.packageDatabase();
            DatabaseHistory history = database && !f.result().packages().isEmpty()
                    ? new DatabaseHistory(f.result().analyzer(), f.result().path(), records) : null;
            for (Package p : f.result().packages()) {
                if (p.type().isOsPackage()) {
                    int layer = history != null ? history.addedIn(p, f.layer()) : f.layer();
                    Package q = p.withLayer(diffId(info, layer));
                    if (q.licenses().isEmpty() && licenses.containsKey(q.name())) q = withLicenses(q, licenses.get(q.name()));
                    q = fixPurl(q, os);
                    out.putIfAbsent(q.key(), q);
                } else {
                    if (!p.paths().isEmpty() && owned.contains(outerFile(p.paths().get(0)))) continue;
                    Package q = p.withLayer(diffId(info, f.layer()));
                    out.putIfAbsent(q.key(), q);
                }
            }
        }
        List<Package> packages = dropLockfileEchoes(out.values());
        packages.sort(Comparator.comparing((Package p) -> p.type().ordinal()).thenComparing(Package::name)
                .thenComparing(Package::version).thenComparing(p -> p.paths().isEmpty() ? "" : p.paths().get(0)));
        List<SecretFinding> secrets = List.of();
        for (Analyzer a : analyzers) if (a instanceof SecretAnalyzer s) secrets = secrets(info, records, tree, s, config);
        HygieneAnalysis.Result hy = hygiene ? hygiene(info, records, tree) : null;
        return new Inventory(info, os, packages, warnings.stream().distinct().toList(), now, tool, secrets,
                hy == null ? List.of() : hy.findings(), hy == null ? null : hy.efficiency());
    }

    /**
     * Secrets of every layer, deleted files included: a secret a later layer removed is still in the image's blobs.
     * The same secret in the same file in several layers (a later layer touched the file) is one finding, credited to
     * the lowest layer, and deleted only if no layer's copy is visible. Then the image config's.
     */
    private static List<SecretFinding> secrets(ImageInfo info, List<LayerRecord> records, MergedTree tree, SecretAnalyzer analyzer,
                                               dev.bulwark.image.ImageRunConfig config) {
        Map<String, SecretFinding> byKey = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            for (FileResult r : records.get(i).results()) {
                if (r.secrets().isEmpty()) continue;
                boolean gone = tree.visibleLayer(r.path()) != i;
                for (SecretFinding f : r.secrets()) {
                    String key = f.ruleId() + "\u0000" + r.path() + "\u0000" + f.line() + "\u0000" + f.match();
                    SecretFinding here = new SecretFinding(f.ruleId(), f.severity(), f.title(), f.match(), r.path(), diffId(info, i), gone, f.line());
                    byKey.merge(key, here, (old, now) -> old.deletedLater() && !now.deletedLater()
                            ? new SecretFinding(old.ruleId(), old.severity(), old.title(), old.match(), old.path(), old.layer(), false, old.line()) : old);
                }
            }
        }
        List<SecretFinding> out = new ArrayList<>(byKey.values());
        out.addAll(config == null ? analyzer.scanConfig(info, null, null)
                : analyzer.scanConfig(info, config.env(), config.labels(), config.emptyLayerHistory()));
        out.sort(Comparator.comparing((SecretFinding f) -> f.severity().ordinal()).reversed().thenComparing(SecretFinding::path)
                .thenComparingInt(SecretFinding::line).thenComparing(SecretFinding::ruleId));
        return out;
    }

    /** Every entry of every layer, with whether it is the visible version, to the hygiene checks. */
    private static HygieneAnalysis.Result hygiene(ImageInfo info, List<LayerRecord> records, MergedTree tree) {
        HygieneAnalysis h = new HygieneAnalysis(info);
        for (int i = 0; i < records.size(); i++) {
            for (LayerRecord.Entry e : records.get(i).entries()) {
                char kind = switch (e.t()) {
                    case FILE -> 'f';
                    case DIRECTORY -> 'd';
                    case SYMLINK -> 'l';
                    case HARDLINK -> 'h';
                    default -> '?';
                };
                h.entry(i, e.p(), kind, e.s(), e.m(), tree.visibleLayer(e.p()) == i);
            }
        }
        return h.finish();
    }

    /**
     * A lockfile lists what an app declares; when the same name and version is installed below the lockfile's
     * directory, the installed copy is the one to report (with its own licence and path), not both.
     */
    private static List<Package> dropLockfileEchoes(java.util.Collection<Package> all) {
        Map<String, List<String>> installed = new HashMap<>();
        for (Package p : all) {
            if (!"lockfile".equals(p.properties().get("source")) && !p.paths().isEmpty())
                installed.computeIfAbsent(p.type() + "|" + p.name() + "|" + p.version(), k -> new ArrayList<>()).add(p.paths().get(0));
        }
        List<Package> out = new ArrayList<>();
        for (Package p : all) {
            if ("lockfile".equals(p.properties().get("source")) && !p.paths().isEmpty()) {
                String dir = p.paths().get(0).substring(0, p.paths().get(0).lastIndexOf('/') + 1);
                List<String> where = installed.getOrDefault(p.type() + "|" + p.name() + "|" + p.version(), List.of());
                if (where.stream().anyMatch(w -> w.startsWith(dir))) continue;
            }
            out.add(p);
        }
        return out;
    }

    private static OsRelease detectOs(MergedTree tree, List<Found> visible) {
        Map<String, OsRelease> byPath = new HashMap<>();
        for (Found f : visible) if (f.result().os() != null) byPath.put(f.result().path(), f.result().os());
        for (String candidate : OS_FILES) {
            String real = tree.resolve(candidate);
            if (real != null && byPath.containsKey(real)) return byPath.get(real);
        }
        return byPath.isEmpty() ? null : new TreeMap<>(byPath).firstEntry().getValue();
    }

    /**
     * For one package database file, what each layer's version of it lists: layers that did not touch the file
     * are absent, layers that replaced it with something unreadable map to an empty set.
     */
    private static final class DatabaseHistory {
        private final Map<Integer, Set<String>> byLayer = new HashMap<>();

        DatabaseHistory(String analyzer, String path, List<LayerRecord> records) {
            for (int l = 0; l < records.size(); l++) {
                LayerRecord r = records.get(l);
                for (FileResult fr : r.results()) {
                    if (fr.path().equals(path) && fr.analyzer().equals(analyzer)) {
                        Set<String> keys = byLayer.computeIfAbsent(l, k -> new HashSet<>());
                        fr.packages().forEach(q -> keys.add(identity(q)));
                    }
                }
                if (!byLayer.containsKey(l) && touches(r, path)) byLayer.put(l, Set.of());
            }
        }

        /**
         * The lowest layer from which every database version up to the visible one lists the package: the layer
         * that installed this version. Layers that did not touch the database are passed over.
         */
        int addedIn(Package p, int top) {
            String want = identity(p);
            int layer = top;
            for (int l = top - 1; l >= 0; l--) {
                Set<String> keys = byLayer.get(l);
                if (keys == null) continue;
                if (!keys.contains(want)) break;
                layer = l;
            }
            return layer;
        }

        private static String identity(Package q) {
            return q.name() + "\u0000" + q.version() + "\u0000" + q.properties().getOrDefault("arch", "");
        }
    }

    private static boolean touches(LayerRecord r, String path) {
        if (r.whiteouts().contains(path)) return true;
        for (LayerRecord.Entry e : r.entries()) if (e.p().equals(path) && e.t() != EntryType.DIRECTORY) return true;
        return false;
    }

    private static Digest diffId(ImageInfo info, int layer) {
        List<LayerInfo> ls = info.layers();
        return layer >= 0 && layer < ls.size() ? ls.get(layer).diffId() : null;
    }

    /** "/app/lib/x.jar!/BOOT-INF/lib/y.jar" is owned if "/app/lib/x.jar" is. */
    private static String outerFile(String path) {
        int bang = path.indexOf('!');
        return bang < 0 ? path : path.substring(0, bang);
    }

    private static Package withLicenses(Package p, List<String> l) {
        return new Package(p.type(), p.name(), p.version(), p.purl(), p.source(), l, p.layer(), p.paths(), p.properties());
    }

    /** OS package URLs name the distribution: pkg:deb/ubuntu/...?distro=ubuntu-22.04. */
    private static Package fixPurl(Package p, OsRelease os) {
        Map<String, String> props = new TreeMap<>(p.properties());
        boolean fromOs = props.remove(PURL_NAMESPACE_FROM_OS) != null;
        if (p.purl() == null || os == null || os.id() == null) {
            return new Package(p.type(), p.name(), p.version(), p.purl(), p.source(), p.licenses(), p.layer(), p.paths(), props);
        }
        String purl = p.purl();
        try {
            PackageURL u = new PackageURL(p.purl());
            PackageURLBuilder b = u.toBuilder();
            if (fromOs) b.withNamespace(os.id());
            if (os.versionId() != null) b.withQualifier("distro", os.id() + "-" + os.versionId());
            purl = b.build().canonicalize();
        } catch (MalformedPackageURLException e) {
            // keep the analyser's purl: a malformed one is still better than none
        }
        return new Package(p.type(), p.name(), p.version(), purl, p.source(), p.licenses(), p.layer(), p.paths(), props);
    }
}
