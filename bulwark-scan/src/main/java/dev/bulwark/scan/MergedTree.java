package dev.bulwark.scan;

import dev.bulwark.image.EntryType;
import dev.bulwark.image.PathNames;

import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The image's final filesystem as the layers build it: each path maps to the layer whose version is visible, after
 * whiteouts and opaque directories. Symbolic links resolve inside the image, never on the host.
 */
final class MergedTree {
    record Node(int layer, EntryType type, String link) {
    }

    private static final int MAX_LINK_HOPS = 40;
    private final TreeMap<String, Node> nodes = new TreeMap<>();
    private final java.util.Map<String, String> resolved = new java.util.HashMap<>();

    static MergedTree of(List<LayerRecord> layers) {
        MergedTree t = new MergedTree();
        for (int i = 0; i < layers.size(); i++) t.apply(i, layers.get(i));
        return t;
    }

    /** Whiteouts and opaque directories hide what lower layers put there; then the layer's own entries land. */
    private void apply(int layer, LayerRecord r) {
        for (String dir : r.opaques()) subtree(dir).clear();
        for (String w : r.whiteouts()) {
            nodes.remove(w);
            subtree(w).clear();
        }
        for (LayerRecord.Entry e : r.entries()) {
            Node old = nodes.put(e.p(), new Node(layer, e.t(), e.l()));
            // A file or link replacing a directory takes the directory's contents with it.
            if (old != null && old.type() == EntryType.DIRECTORY && e.t() != EntryType.DIRECTORY) subtree(e.p()).clear();
        }
    }

    private NavigableMap<String, Node> subtree(String dir) {
        String prefix = dir.equals("/") ? "/" : dir + "/";
        return nodes.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
    }

    Node get(String path) {
        return nodes.get(path);
    }

    /** The layer whose version of {@code path} is visible, or -1 if the path is gone. */
    int visibleLayer(String path) {
        Node n = nodes.get(path);
        return n == null ? -1 : n.layer();
    }

    /**
     * Resolves every symbolic link along {@code path} (parents and the last component), clamping ".." at the
     * root. Returns null for a link loop or a chain longer than 40 links. Resolved paths are remembered: an
     * image's package databases name tens of thousands of files in a few hundred directories.
     */
    String resolve(String path) {
        return resolve(path, 0);
    }

    private String resolve(String path, int hops) {
        if (hops > MAX_LINK_HOPS) return null;
        if (path.equals("/")) return "/";
        String known = resolved.get(path);
        if (known != null) return known;
        int slash = path.lastIndexOf('/');
        String parent = resolve(slash <= 0 ? "/" : path.substring(0, slash), hops);
        if (parent == null) return null;
        String here = (parent.equals("/") ? "" : parent) + "/" + path.substring(slash + 1);
        Node n = nodes.get(here);
        String out = n != null && n.type() == EntryType.SYMLINK && n.link() != null
                ? resolve(PathNames.resolveInImage(parent, n.link()), hops + 1) : here;
        if (out != null) resolved.put(path, out);
        return out;
    }

    int size() {
        return nodes.size();
    }
}
