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

import java.util.List;

/** The analysers Bulwark runs by default. */
public final class Analyzers {
    private Analyzers() {
    }

    public static List<Analyzer> defaults() {
        return List.of(new OsReleaseAnalyzer(), new DpkgAnalyzer(), new ApkAnalyzer(), new RpmAnalyzer(), new JarAnalyzer(), new NpmAnalyzer(),
                new PythonAnalyzer(), new GoBinaryAnalyzer(), new RustBinaryAnalyzer(), new GemspecAnalyzer());
    }
}
