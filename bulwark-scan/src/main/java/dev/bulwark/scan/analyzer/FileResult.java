package dev.bulwark.scan.analyzer;

import dev.bulwark.model.OsRelease;
import dev.bulwark.model.Package;
import dev.bulwark.model.SecretFinding;

import java.util.List;
import java.util.Map;

/**
 * What an analyser found in one file. Cached per layer, so it must be plain data.
 *
 * @param analyzer   the analyser's type
 * @param path       the file analysed
 * @param packages   packages it declares (layer left null: the scanner fills it in)
 * @param os         the distribution, for os-release-like files
 * @param ownedFiles package name → files the package database says it installed (dpkg *.list, apk R: lines,
 *                   rpm file lists); language packages inside those files are the OS package's, not reported twice
 * @param licenses   package name → licences found in a side file (Debian copyright files)
 * @param warnings   problems met, each naming the file
 * @param secrets    secrets in the file, already redacted (layer and deletedLater are filled in by the scanner)
 */
public record FileResult(String analyzer, String path, List<Package> packages, OsRelease os,
                         Map<String, List<String>> ownedFiles, Map<String, List<String>> licenses, List<String> warnings,
                         List<SecretFinding> secrets) {
    public FileResult {
        packages = packages == null ? List.of() : List.copyOf(packages);
        ownedFiles = ownedFiles == null ? Map.of() : Map.copyOf(ownedFiles);
        licenses = licenses == null ? Map.of() : Map.copyOf(licenses);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
    }

    /** A result without secrets: what package analysers return. */
    public FileResult(String analyzer, String path, List<Package> packages, OsRelease os,
                      Map<String, List<String>> ownedFiles, Map<String, List<String>> licenses, List<String> warnings) {
        this(analyzer, path, packages, os, ownedFiles, licenses, warnings, null);
    }

    public static FileResult ofSecrets(String analyzer, String path, List<SecretFinding> secrets) {
        return new FileResult(analyzer, path, null, null, null, null, null, secrets);
    }

    public static FileResult ofPackages(String analyzer, String path, List<Package> packages) {
        return new FileResult(analyzer, path, packages, null, null, null, null);
    }

    public static FileResult warning(String analyzer, String path, String warning) {
        return new FileResult(analyzer, path, null, null, null, null, List.of(path + ": " + warning));
    }

    public boolean isEmpty() {
        return packages.isEmpty() && os == null && ownedFiles.isEmpty() && licenses.isEmpty() && warnings.isEmpty() && secrets.isEmpty();
    }
}
