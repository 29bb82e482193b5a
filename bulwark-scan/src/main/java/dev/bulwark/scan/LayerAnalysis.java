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

    /** Files already on this machine (a root filesystem) are analysed here, in parallel; null: in the walker's thread. */
    private final java.util.concurrent.ExecutorService hostFiles;
    private final List<java.util.concurrent.Future<List<FileResult>>> pending = new ArrayList<>();

    LayerAnalysis(List<Analyzer> analyzers, int memoryLimit) {
        this(analyzers, memoryLimit, null);
    }

    LayerAnalysis(List<Analyzer> analyzers, int memoryLimit, java.util.concurrent.ExecutorService hostFiles) {
        this.analyzers = analyzers;
        this.memoryLimit = memoryLimit;
        this.hostFiles = hostFiles;
    }

    @Override
    public void entry(LayerEntry e, InputStream content) throws IOException {
        entries.add(new LayerRecord.Entry(e.path(), e.type(), e.linkTarget(), e.type() == EntryType.FILE ? e.size() : 0, e.mode()));
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
        if (content instanceof dev.bulwark.image.HostFile && hostFiles != null) {
            // The file stays on disk after this call, so its analysis can run beside the directory walk.
            MaterializedFile f = MaterializedFile.of(e.path(), e.size(), e.mode(), content, memoryLimit);
            List<Analyzer> these = wanted;
            pending.add(hostFiles.submit(() -> analyzeAll(these, f, e)));
            return;
        }
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
            for (FileResult r : analyzeAll(wanted, f, e)) add(r, e.size(), e.mode());
        }
    }

    private static List<FileResult> analyzeAll(List<Analyzer> wanted, MaterializedFile f, LayerEntry e) {
        List<FileResult> out = new ArrayList<>(wanted.size());
        byte[] head = null;
        for (Analyzer a : wanted) {
            FileResult r;
            try {
                if (f instanceof MaterializedFile.OnHost) {
                    // Read in place: the first-bytes check happens here, once for all the analysers that want the file.
                    if (head == null) head = head(f);
                    if (!a.accepts(head)) continue;
                }
                r = a.analyze(f);
            } catch (IOException | RuntimeException ex) {
                // One unreadable file must not cost the whole scan: it becomes a warning naming the file.
                r = FileResult.warning(a.type(), e.path(), a.type() + " analyser failed: " + reason(ex));
            }
            if (r != null && !r.isEmpty()) out.add(r);
        }
        return out;
    }

    private static byte[] head(MaterializedFile f) throws IOException {
        try (InputStream in = f.open()) {
            return in.readNBytes(64);
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
            List<dev.bulwark.model.SecretFinding> secrets = r.secrets().stream().map(f -> new dev.bulwark.model.SecretFinding(f.ruleId(),
                    f.severity(), f.title(), f.match(), e.path(), f.layer(), f.deletedLater(), f.line())).toList();
            add(new FileResult(r.analyzer(), e.path(), moved, r.os(), r.ownedFiles(), r.licenses(), r.warnings(), secrets), target.size(), target.mode());
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
        if (!pending.isEmpty()) {
            for (java.util.concurrent.Future<List<FileResult>> f : pending) {
                try {
                    for (FileResult r : f.get()) add(r, 0, 0644);
                } catch (java.util.concurrent.ExecutionException ex) {
                    warnings.add("analysis failed: " + ex.getCause());
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    warnings.add("analysis interrupted");
                }
            }
            pending.clear();
            // Parallel analysis finishes in any order; the record must not depend on it.
            results.sort(java.util.Comparator.comparing(FileResult::path).thenComparing(FileResult::analyzer));
        }
        return new LayerRecord(entries, whiteouts, opaques, results, warnings);
    }

    /**
     * Why a file could not be analysed, in words: the JDK's file-system exceptions carry only the path as their
     * message (a root filesystem scan meets files that vanish or are locked while it reads them).
     */
    static String reason(Exception ex) {
        if (ex instanceof java.nio.file.NoSuchFileException) return "the file went away while it was read";
        if (ex instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (ex instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) return fs.getReason();
        String m = ex.getMessage();
        return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m;
    }
}
