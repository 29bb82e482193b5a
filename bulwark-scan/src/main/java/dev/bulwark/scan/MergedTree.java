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
     * root. Returns null for a link loop or a chain longer than 40 links.
     */
    String resolve(String path) {
        String current = path;
        int hops = 0;
        outer:
        while (true) {
            String[] parts = current.substring(1).split("/");
            StringBuilder done = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].isEmpty()) continue;
                String here = done + "/" + parts[i];
                Node n = nodes.get(here);
                if (n != null && n.type() == EntryType.SYMLINK && n.link() != null) {
                    if (++hops > MAX_LINK_HOPS) return null;
                    String target = PathNames.resolveInImage(done.isEmpty() ? "/" : done.toString(), n.link());
                    StringBuilder rest = new StringBuilder(target.equals("/") ? "" : target);
                    for (int j = i + 1; j < parts.length; j++) rest.append('/').append(parts[j]);
                    current = rest.isEmpty() ? "/" : rest.toString();
                    continue outer;
                }
                done.append('/').append(parts[i]);
            }
            return done.isEmpty() ? "/" : done.toString();
        }
    }

    int size() {
        return nodes.size();
    }
}
