package dev.bulwark.scan;

import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.lang.golang.GoBinaryAnalyzer;
import dev.bulwark.scan.lang.java.JarAnalyzer;
import dev.bulwark.scan.lang.npm.NpmAnalyzer;
import dev.bulwark.scan.lang.python.PythonAnalyzer;
import dev.bulwark.scan.lang.ruby.GemspecAnalyzer;
import dev.bulwark.scan.lang.rust.RustBinaryAnalyzer;
import dev.bulwark.scan.os.apk.ApkAnalyzer;
import dev.bulwark.scan.os.dpkg.DpkgAnalyzer;
import dev.bulwark.scan.os.rpm.RpmAnalyzer;
import dev.bulwark.scan.os.release.OsReleaseAnalyzer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The analysers Bulwark runs by default, and selections of them. */
public final class Analyzers {
    /** Groups, named as Trivy's --pkg-types names them: distribution packages, and language packages ("library"). */
    public static final String OS = "os";
    public static final String LIBRARY = "library";
    private static final Set<String> OS_TYPES = Set.of("os-release", "dpkg", "apk", "rpm");

    private Analyzers() {
    }

    public static List<Analyzer> defaults() {
        return List.of(new OsReleaseAnalyzer(), new DpkgAnalyzer(), new ApkAnalyzer(), new RpmAnalyzer(), new JarAnalyzer(), new NpmAnalyzer(),
                new PythonAnalyzer(), new GoBinaryAnalyzer(), new RustBinaryAnalyzer(), new GemspecAnalyzer());
    }

    /**
     * The default analysers named by {@code names}, in their default order: a group ({@value #OS}: os-release, dpkg,
     * apk, rpm; {@value #LIBRARY}, or "lang": the language-package analysers) or an analyser's type ("dpkg", "jar",
     * "npm"...), case-insensitive. os-release always runs: package URLs and matching need the distribution.
     *
     * @throws IllegalArgumentException for an empty selection or an unknown name, saying which names there are
     */
    public static List<Analyzer> select(Collection<String> names) {
        List<Analyzer> all = defaults();
        Set<String> wanted = new LinkedHashSet<>();
        for (String raw : names) {
            String n = raw.strip().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) continue;
            if (n.equals(OS)) {
                wanted.addAll(OS_TYPES);
            } else if (n.equals(LIBRARY) || n.equals("lang")) {
                all.stream().map(Analyzer::type).filter(t -> !OS_TYPES.contains(t)).forEach(wanted::add);
            } else if (all.stream().anyMatch(a -> a.type().equals(n))) {
                wanted.add(n);
            } else {
                throw new IllegalArgumentException("unknown package type or analyser '" + raw.strip() + "' (choose from "
                        + OS + ", " + LIBRARY + ", " + String.join(", ", all.stream().map(Analyzer::type).toList()) + ")");
            }
        }
        if (wanted.isEmpty()) throw new IllegalArgumentException("no analyser selected");
        wanted.add("os-release");
        List<Analyzer> out = new ArrayList<>();
        for (Analyzer a : all) if (wanted.contains(a.type())) out.add(a);
        return out;
    }
}
