package dev.bulwark.scan;

import dev.bulwark.image.EntryType;
import dev.bulwark.image.LayerEntry;
import dev.bulwark.image.LayerVisitor;
import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileResult;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Walks one layer: records its entries and offers each file to the analysers that want it. Not thread-safe. */
final class LayerAnalysis implements LayerVisitor {
    private final List<Analyzer> analyzers;
    private final int memoryLimit;
    private final List<LayerRecord.Entry> entries = new ArrayList<>();
    private final List<String> whiteouts = new ArrayList<>();
    private final List<String> opaques = new ArrayList<>();
    private final List<FileResult> results = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    /** Results by path in this layer, so a later hard link to an analysed file gets the same findings. */
    private final Map<String, Analysed> byPath = new HashMap<>();

    private record Analysed(long size, int mode, List<FileResult> results) {
    }

    LayerAnalysis(List<Analyzer> analyzers, int memoryLimit) {
        this.analyzers = analyzers;
        this.memoryLimit = memoryLimit;
    }

    @Override
    public void entry(LayerEntry e, InputStream content) throws IOException {
        entries.add(new LayerRecord.Entry(e.path(), e.type(), e.linkTarget()));
        if (e.type() == EntryType.HARDLINK) {
            linkResults(e);
            return;
        }
        if (e.type() != EntryType.FILE) return;
        List<Analyzer> wanted = null;
        for (Analyzer a : analyzers) {
            if (a.required(e.path(), e.size(), e.mode())) {
                if (wanted == null) wanted = new ArrayList<>(2);
                wanted.add(a);
            }
        }
        if (wanted == null) return;
        if (!(content instanceof dev.bulwark.image.HostFile)) {
            java.io.BufferedInputStream peek = new java.io.BufferedInputStream(content, 8192);
            peek.mark(64);
            byte[] head = peek.readNBytes(64);
            peek.reset();
            wanted.removeIf(a -> !a.accepts(head));
            if (wanted.isEmpty()) return;
            content = peek;
        }
        try (MaterializedFile f = MaterializedFile.of(e.path(), e.size(), e.mode(), content, memoryLimit)) {
            for (Analyzer a : wanted) {
                FileResult r;
                try {
                    r = a.analyze(f);
                } catch (IOException | RuntimeException ex) {
                    // One unreadable file must not cost the whole scan: it becomes a warning naming the file.
                    r = FileResult.warning(a.type(), e.path(), a.type() + " analyser failed: " + ex.getMessage());
                }
                if (r != null && !r.isEmpty()) add(r, e.size(), e.mode());
            }
        }
    }

    private void add(FileResult r, long size, int mode) {
        results.add(r);
        byPath.computeIfAbsent(r.path(), k -> new Analysed(size, mode, new ArrayList<>())).results().add(r);
    }

    /** A hard link is the same file under another name: copy what its target yielded, under the new name. */
    private void linkResults(LayerEntry e) {
        Analysed target = byPath.get(e.linkTarget());
        if (target == null) return;
        for (FileResult r : List.copyOf(target.results())) {
            boolean wants = analyzers.stream().anyMatch(a -> a.type().equals(r.analyzer()) && a.required(e.path(), target.size(), target.mode()));
            if (!wants) continue;
            List<Package> moved = r.packages().stream().map(p -> p.withPaths(rename(p.paths(), r.path(), e.path()))).toList();
            add(new FileResult(r.analyzer(), e.path(), moved, r.os(), r.ownedFiles(), r.licenses(), r.warnings()), target.size(), target.mode());
        }
    }

    private static List<String> rename(List<String> paths, String from, String to) {
        List<String> out = new ArrayList<>(paths.size());
        for (String p : paths) out.add(p.equals(from) ? to : p.startsWith(from + "!") ? to + p.substring(from.length()) : p);
        return out;
    }

    @Override
    public void whiteout(String path) {
        whiteouts.add(path);
    }

    @Override
    public void opaque(String dir) {
        opaques.add(dir);
    }

    @Override
    public void warning(String message) {
        warnings.add(message);
    }

    LayerRecord record() {
        return new LayerRecord(entries, whiteouts, opaques, results, warnings);
    }
}
