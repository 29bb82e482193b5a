package dev.bulwark.scan.os;

import dev.bulwark.model.OsRelease;
import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a parser collects from one file, turned into a {@link FileResult} at the end. Everything is capped, so that a
 * hostile database costs bounded memory: packages (real systems have a few thousand), owned files (a large RHEL
 * system has a few hundred thousand) and warnings (a file of garbage must yield one clear sentence, not a million).
 */
public final class Findings {
    public static final int MAX_PACKAGES = 100_000;
    public static final int MAX_OWNED_FILES = 1_000_000;
    static final int MAX_WARNINGS = 50;

    private final String analyzer;
    private final String path;
    private final List<Package> packages = new ArrayList<>();
    private final Map<String, List<String>> owned = new LinkedHashMap<>();
    private final Map<String, List<String>> licenses = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private OsRelease os;
    private int dropped;
    private int ownedFiles;
    private boolean tooManyPackages, tooManyFiles;

    public Findings(String analyzer, String path) {
        this.analyzer = analyzer;
        this.path = path;
    }

    public String path() {
        return path;
    }

    public void add(Package p) {
        if (packages.size() < MAX_PACKAGES) {
            packages.add(p);
        } else if (!tooManyPackages) {
            tooManyPackages = true;
            warn("more than " + MAX_PACKAGES + " packages; the rest are left out");
        }
    }

    public List<Package> packages() {
        return packages;
    }

    /** Files a package owns; several calls for the same package add up. */
    public void own(String pkg, List<String> files) {
        if (files.isEmpty()) return;
        int room = MAX_OWNED_FILES - ownedFiles;
        if (files.size() > room) {
            if (!tooManyFiles) warn("more than " + MAX_OWNED_FILES + " owned files; the rest are left out");
            tooManyFiles = true;
            files = files.subList(0, Math.max(0, room));
            if (files.isEmpty()) return;
        }
        ownedFiles += files.size();
        owned.merge(pkg, List.copyOf(files), (a, b) -> {
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        });
    }

    public void licenses(String pkg, List<String> ids) {
        if (!ids.isEmpty()) licenses.put(pkg, List.copyOf(ids));
    }

    public void os(OsRelease release) {
        os = release;
    }

    /** A problem with the file's content; prefixed with the file's path. */
    public void warn(String message) {
        if (warnings.size() < MAX_WARNINGS) warnings.add(path + ": " + message);
        else dropped++;
    }

    public List<String> warnings() {
        return warnings;
    }

    public FileResult toResult() {
        List<String> w = warnings;
        if (dropped > 0) {
            w = new ArrayList<>(warnings);
            w.add(path + ": " + dropped + " more problems not listed");
        }
        return new FileResult(analyzer, path, packages, os, owned, licenses, w);
    }
}
