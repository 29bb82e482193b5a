package dev.bulwark.scan;

import dev.bulwark.image.EntryType;
import dev.bulwark.scan.analyzer.FileResult;

import java.util.List;

/**
 * Everything the scanner keeps of one layer: its entries (for whiteouts, symlinks and ownership), what the
 * analysers found, and problems met. This is what the layer cache stores under the layer's key.
 */
record LayerRecord(List<Entry> entries, List<String> whiteouts, List<String> opaques, List<FileResult> results,
                   List<String> warnings) {
    LayerRecord {
        entries = List.copyOf(entries);
        whiteouts = List.copyOf(whiteouts);
        opaques = List.copyOf(opaques);
        results = List.copyOf(results);
        warnings = List.copyOf(warnings);
    }

    /**
     * A path, its kind, its link target (symlink as written, hard link as a normalised path), its size (files) and
     * permission bits: sizes and modes are what the hygiene checks (wasted bytes, setuid, world-writable) need.
     */
    record Entry(String p, EntryType t, String l, long s, int m) {
        Entry(String p, EntryType t, String l) {
            this(p, t, l, 0, 0);
        }
    }
}
