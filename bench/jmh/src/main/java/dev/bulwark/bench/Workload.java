package dev.bulwark.bench;

import dev.bulwark.model.Advisory;
import dev.bulwark.model.AffectedPackage;
import dev.bulwark.model.AffectedRange;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.OsRelease;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.SourcePackage;
import dev.bulwark.vulndb.PackageKey;
import dev.bulwark.vulndb.VulnDbException;
import dev.bulwark.vulndb.feed.FeedSink;
import dev.bulwark.vulndb.feed.Feeds;
import dev.bulwark.vulndb.feed.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A realistic inventory of 10,000 packages made from the advisories themselves, deterministic (fixed seed):
 * <ul>
 *   <li>1,000 Alpine v3.11 apk packages (binary packages named after their origin, plus -libs, -dev... sub-packages
 *       of the same origin), every origin one the Alpine v3.11 secdb names; per origin either a version just below
 *       its oldest fix (affected) or its newest fix (all fixed);</li>
 *   <li>4,500 language packages whose names the advisories name (lookups that hit): Go 1,500, PyPI 1,200, npm 1,200,
 *       crates.io 600; every other one at an affected version (an explicitly listed, introduced or last-affected
 *       version, or just below a fix), the others at a fixed version;</li>
 *   <li>4,500 that no advisory names (lookups that miss): 2,500 Maven artifacts (the groupId:artifactId:version of
 *       the POMs in the local Maven repository: real names; these feeds have no Maven advisories), and Go 700,
 *       PyPI 500, npm 600, crates.io 200 names made from advisory names plus "-contrib" (checked absent).</li>
 * </ul>
 */
final class Workload {
    static final OsRelease ALPINE = new OsRelease("alpine", "3.11.6", null, "Alpine Linux v3.11", null, false);
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+)*([-.+~]?[0-9A-Za-z]+)*");
    private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)(\\D*)$");

    record Spec(String ecosystem, PackageType type, int hits, int misses) {
    }

    static final List<Spec> LANGUAGES = List.of(
            new Spec("go", PackageType.GOLANG, 1500, 700),
            new Spec("pypi", PackageType.PYPI, 1200, 500),
            new Spec("npm", PackageType.NPM, 1200, 600),
            new Spec("crates.io", PackageType.CARGO, 600, 200));
    static final int APK = 1000;
    static final int MAVEN = 2500;

    final Inventory inventory;
    /** What the inventory holds, by kind: "npm hit" -> count ... */
    final Map<String, Integer> composition = new TreeMap<>();
    int distinctHitNames;

    private Workload(Inventory inventory) {
        this.inventory = inventory;
    }

    static Workload build(List<Path> feeds, Path m2) throws VulnDbException, IOException {
        // every affected package of every advisory, by (normalised) ecosystem and name
        Map<String, TreeMap<String, List<AffectedPackage>>> byEco = new TreeMap<>();
        FeedSink sink = new FeedSink() {
            @Override
            public void advisory(Advisory a) {
                if (a.withdrawn() != null) return;
                for (AffectedPackage ap : a.affected()) {
                    PackageKey k = PackageKey.of(ap.ecosystem(), ap.name());
                    byEco.computeIfAbsent(k.ecosystem(), e -> new TreeMap<>())
                            .computeIfAbsent(ap.name(), n -> new ArrayList<>()).add(ap);
                }
            }

            @Override
            public void problem(String problem) {
            }
        };
        for (Path f : feeds) Feeds.parseTree(f, Limits.DEFAULT, sink);

        Random rnd = new Random(42);
        List<Package> pkgs = new ArrayList<>();
        Map<String, Integer> comp = new TreeMap<>();
        int distinct = 0;

        // Alpine v3.11 by origin
        TreeMap<String, List<AffectedPackage>> alpine = byEco.getOrDefault("alpine:v3.11", new TreeMap<>());
        if (alpine.isEmpty()) throw new IllegalStateException("no Alpine v3.11 advisories in the feeds");
        List<String> origins = new ArrayList<>(alpine.keySet());
        Collections.shuffle(origins, rnd);
        String[] sub = {"", "-libs", "-dev", "-doc", "-openrc", "-utils", "-static", "-lang"};
        Map<String, String> originVersion = new LinkedHashMap<>();
        outer:
        for (String suffix : sub) {
            for (String origin : origins) {
                if (pkgs.size() >= APK) break outer;
                String v = originVersion.computeIfAbsent(origin, o -> apkVersion(alpine.get(o), originVersion.size() % 2 == 0));
                String bin = origin + suffix;
                pkgs.add(new Package(PackageType.APK, bin, v, "pkg:apk/alpine/" + bin + "@" + v + "?arch=x86_64",
                        new SourcePackage(origin, null), List.of(), null, List.of("/lib/apk/db/installed"),
                        Map.of("arch", "x86_64")));
            }
        }
        comp.put("apk (Alpine v3.11, " + originVersion.size() + " origins)", pkgs.size());

        // language packages the advisories name, and names they do not
        int counter = 0;
        for (Spec s : LANGUAGES) {
            TreeMap<String, List<AffectedPackage>> names = byEco.getOrDefault(s.ecosystem(), new TreeMap<>());
            if (names.isEmpty()) throw new IllegalStateException("no " + s.ecosystem() + " advisories in the feeds");
            List<String> shuffled = new ArrayList<>(names.keySet());
            Collections.shuffle(shuffled, rnd);
            distinct += Math.min(shuffled.size(), s.hits());
            for (int i = 0; i < s.hits(); i++) {
                String name = shuffled.get(i % shuffled.size());
                List<AffectedPackage> aps = names.get(name);
                AffectedPackage ap = aps.get(rnd.nextInt(aps.size()));
                // a name met again (fewer names than wanted) comes at the other version: another package
                boolean affected = (counter++ + i / shuffled.size()) % 2 == 0;
                String v = affected ? firstNonNull(affectedVersion(ap), fixedVersion(ap)) : firstNonNull(fixedVersion(ap), affectedVersion(ap));
                pkgs.add(lang(s.type(), name, v == null ? "1.0.0" : v));
            }
            comp.put(s.ecosystem() + " named by advisories (" + Math.min(shuffled.size(), s.hits()) + " names)", s.hits());
            Set<String> known = new HashSet<>();
            for (String n : names.keySet()) known.add(PackageKey.of(s.ecosystem(), n).name());
            int made = 0;
            for (int i = 0; made < s.misses(); i++) {
                String base = shuffled.get(i % shuffled.size());
                String name = base + (s.type() == PackageType.GOLANG ? "/contrib" : "-contrib") + (i >= shuffled.size() ? i / shuffled.size() : "");
                if (known.contains(PackageKey.of(s.ecosystem(), name).name())) continue;
                pkgs.add(lang(s.type(), name, "1." + (i % 20) + "." + (i % 7)));
                made++;
            }
            comp.put(s.ecosystem() + " named by none", s.misses());
        }

        // Maven artifacts of the local repository (no Maven advisories in these feeds)
        List<String[]> gav = mavenArtifacts(m2);
        int real = Math.min(gav.size(), MAVEN);
        for (int i = 0; i < MAVEN; i++) {
            String[] g = i < real ? gav.get(i) : new String[] {"org.example.bench", "lib-" + i, "1." + (i % 10) + ".0"};
            pkgs.add(new Package(PackageType.MAVEN, g[0] + ":" + g[1], g[2], "pkg:maven/" + g[0] + "/" + g[1] + "@" + g[2],
                    null, List.of(), null, List.of("/app/lib/" + g[1] + "-" + g[2] + ".jar"), Map.of()));
        }
        comp.put("maven named by none (" + real + " from ~/.m2, " + (MAVEN - real) + " made up)", MAVEN);

        pkgs.sort(Comparator.comparing((Package p) -> p.type().purlType()).thenComparing(Package::name).thenComparing(Package::version));
        ImageInfo image = new ImageInfo("bench:10k", "rootfs", null, null, List.of(), List.of(), null, null, List.of(), Map.of());
        Workload w = new Workload(new Inventory(image, ALPINE, pkgs, List.of(), Instant.EPOCH, "bulwark bench"));
        w.composition.putAll(comp);
        w.distinctHitNames = distinct;
        return w;
    }

    private static Package lang(PackageType type, String name, String version) {
        String v = type == PackageType.GOLANG && !name.equals("stdlib") && !name.equals("toolchain") && !version.startsWith("v")
                ? "v" + version : version;
        return new Package(type, name, v, "pkg:" + type.purlType() + "/" + name + "@" + v, null, List.of(), null,
                List.of("/app/" + type.purlType() + "/" + name), Map.of());
    }

    /** Per origin: just below its oldest fix (affected by all its advisories), or its newest fix (none). */
    private static String apkVersion(List<AffectedPackage> aps, boolean affected) {
        List<String> fixes = new ArrayList<>();
        for (AffectedPackage ap : aps) {
            String f = fixedVersion(ap);
            if (f != null) fixes.add(f);
        }
        if (fixes.isEmpty()) return "1.0-r0";
        fixes.sort(Comparator.naturalOrder()); // a rough order is enough for a workload
        String v = affected ? below(fixes.get(0)) : fixes.get(fixes.size() - 1);
        return v == null ? fixes.get(0) : v;
    }

    /** A version the entry says is affected, or null. */
    static String affectedVersion(AffectedPackage ap) {
        String vulnerable = ap.extra().get("vulnerable_versions");
        if (vulnerable != null) { // security-wg: "<=1.5.1", "<2.0.0 || >=3.0.0 <3.1.2", ">=0.0.0"
            String t = firstVersion(vulnerable);
            if (t == null) return null;
            String s = vulnerable.strip();
            return s.startsWith("<") && !s.startsWith("<=") ? below(t) : t;
        }
        if (ap.extra().containsKey("patched")) { // RustSec requirements: ">= 1.6.1"
            String t = firstVersion(ap.extra().get("patched"));
            return t == null ? "0.1.0" : below(t);
        }
        if (!ap.versions().isEmpty()) return ap.versions().get(ap.versions().size() / 2);
        for (AffectedRange r : ap.ranges()) {
            for (AffectedRange.Event e : r.events()) {
                switch (e.kind()) {
                    case INTRODUCED -> {
                        if (!e.version().equals("0") && r.type() != AffectedRange.Type.GIT) return e.version();
                    }
                    case LAST_AFFECTED -> {
                        return e.version();
                    }
                    case FIXED -> {
                        if (r.type() != AffectedRange.Type.GIT) return below(e.version());
                    }
                    default -> {
                    }
                }
            }
        }
        return null;
    }

    /** The first version the entry names as fixing it, or null. */
    static String fixedVersion(AffectedPackage ap) {
        String patched = ap.extra().get("patched_versions");
        if (patched == null) patched = ap.extra().get("patched");
        if (patched != null) return firstVersion(patched);
        for (AffectedRange r : ap.ranges()) {
            if (r.type() == AffectedRange.Type.GIT) continue;
            for (String f : r.fixedVersions()) return f;
        }
        return null;
    }

    private static String firstVersion(String expression) {
        Matcher m = VERSION.matcher(expression);
        return m.find() ? m.group() : null;
    }

    /** The version with its last number one lower ("0.3.7" -> "0.3.6", "1.1.1d-r3" -> "1.1.1d-r2"), or null. */
    static String below(String v) {
        Matcher m = LAST_NUMBER.matcher(v);
        if (!m.find()) return null;
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (n == 0) return null;
        return v.substring(0, m.start(1)) + (n - 1) + m.group(2);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    /** groupId, artifactId, version of every POM under {@code m2}, sorted; empty when there is no such directory. */
    static List<String[]> mavenArtifacts(Path m2) throws IOException {
        List<String[]> out = new ArrayList<>();
        if (m2 == null || !Files.isDirectory(m2)) return out;
        try (Stream<Path> s = Files.walk(m2)) {
            for (Path pom : s.filter(p -> p.getFileName().toString().endsWith(".pom")).sorted().toList()) {
                Path rel = m2.relativize(pom);
                int n = rel.getNameCount();
                if (n < 4) continue;
                String version = rel.getName(n - 2).toString();
                String artifact = rel.getName(n - 3).toString();
                if (!pom.getFileName().toString().equals(artifact + "-" + version + ".pom")) continue;
                if (rel.startsWith("dev/bulwark")) continue;
                String group = rel.subpath(0, n - 3).toString().replace(pom.getFileSystem().getSeparator(), ".");
                out.add(new String[] {group, artifact, version});
            }
        }
        return out;
    }
}
