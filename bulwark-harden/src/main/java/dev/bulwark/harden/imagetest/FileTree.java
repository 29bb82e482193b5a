package dev.bulwark.harden.imagetest;

import dev.bulwark.image.EntryType;
import dev.bulwark.image.ImageException;
import dev.bulwark.image.ImageSource;
import dev.bulwark.image.LayerEntry;
import dev.bulwark.image.LayerHandler;
import dev.bulwark.image.LayerVisitor;
import dev.bulwark.image.PathNames;
import dev.bulwark.model.LayerInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The image's final filesystem as metadata, read from the layers without unpacking anything: each layer's whiteouts
 * and opaque directories hide what lower layers wrote, then its entries land on top. Only the contents of the paths
 * asked for are kept (each up to {@link #MAX_CONTENT} bytes), so memory stays bounded by the number of entries.
 */
final class FileTree {
    static final int MAX_CONTENT = 4 << 20;
    static final int MAX_LINK_HOPS = 40;

    /** An entry of the final filesystem; {@code content} is null unless asked for (or larger than the cap). */
    record Entry(LayerEntry meta, byte[] content, boolean contentTooLarge) {
        EntryType type() {
            return meta.type();
        }
    }

    private final NavigableMap<String, Entry> entries;

    private FileTree(NavigableMap<String, Entry> entries) {
        this.entries = entries;
    }

    /** One layer's walk: its whiteouts, opaque directories and entries, applied later in layer order. */
    private static final class LayerOps implements LayerVisitor {
        final List<String> whiteouts = new ArrayList<>();
        final List<String> opaques = new ArrayList<>();
        final List<Entry> added = new ArrayList<>();
        final Set<String> wanted;

        LayerOps(Set<String> wanted) {
            this.wanted = wanted;
        }

        @Override
        public void entry(LayerEntry e, InputStream content) throws IOException {
            byte[] bytes = null;
            boolean tooLarge = false;
            if (e.type() == EntryType.FILE && content != null && wanted.contains(e.path())) {
                if (e.size() > MAX_CONTENT) tooLarge = true;
                else bytes = content.readNBytes(MAX_CONTENT);
            }
            added.add(new Entry(e, bytes, tooLarge));
        }

        @Override
        public void whiteout(String path) {
            whiteouts.add(path);
        }

        @Override
        public void opaque(String dir) {
            opaques.add(dir);
        }
    }

    /**
     * Reads every layer of {@code src}; the contents of {@code wanted} paths are kept. A wanted path that turns out
     * to be a link (symbolic or hard) to a file not asked for costs a second read of the layers for its target.
     */
    static FileTree read(ImageSource src, Set<String> wanted) throws ImageException, InterruptedException {
        FileTree t = walk(src, wanted);
        Set<String> more = new java.util.HashSet<>(wanted);
        for (String w : wanted) {
            String p = t.resolvePath(w, 0);
            if (p == null) continue;
            Entry e = t.entries.get(p);
            if (e == null) continue;
            if (e.type() == EntryType.HARDLINK) more.add(e.meta().linkTarget());
            else if (e.type() == EntryType.FILE) more.add(p);
        }
        return more.equals(wanted) ? t : walk(src, more);
    }

    private static FileTree walk(ImageSource src, Set<String> wanted) throws ImageException, InterruptedException {
        List<LayerInfo> layers = src.info().layers();
        Map<LayerInfo, LayerOps> ops = new ConcurrentHashMap<>();
        Map<LayerOps, LayerInfo> late = new ConcurrentHashMap<>();
        ExecutorService ex = Executors.newFixedThreadPool(Math.max(1, Math.min(4, layers.size())), r -> {
            Thread th = new Thread(r, "bulwark-imagetest-layers");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) all.add(i);
            src.walkLayers(all, new LayerHandler() {
                @Override
                public LayerVisitor start(LayerInfo layer) {
                    LayerOps o = new LayerOps(wanted);
                    if (layer != null) ops.put(layer, o);
                    return o;
                }

                @Override
                public void finished(LayerVisitor visitor, LayerInfo layer) {
                    // a stream source names a layer only once it has read it
                    if (layer != null) late.put((LayerOps) visitor, layer);
                }
            }, ex);
        } finally {
            ex.shutdownNow();
        }
        late.forEach((o, l) -> ops.putIfAbsent(l, o));
        NavigableMap<String, Entry> tree = new TreeMap<>();
        for (LayerInfo l : layers) {
            LayerOps o = ops.get(l);
            if (o == null) throw new ImageException(src.info().target(), "layer " + l.diffId() + " was not read");
            // whiteouts and opaque directories hide only what lower layers wrote: they go first
            for (String d : o.opaques) subtree(tree, d).clear();
            for (String w : o.whiteouts) {
                tree.remove(w);
                subtree(tree, w).clear();
            }
            for (Entry e : o.added) {
                String p = e.meta().path();
                if (p.equals("/")) continue;
                if (e.type() != EntryType.DIRECTORY) subtree(tree, p).clear();
                tree.put(p, e);
            }
        }
        return new FileTree(tree);
    }

    /** For tests: a tree from entries as they would stand after every layer. */
    static FileTree of(List<Entry> list) {
        NavigableMap<String, Entry> tree = new TreeMap<>();
        for (Entry e : list) tree.put(e.meta().path(), e);
        return new FileTree(tree);
    }

    private static NavigableMap<String, Entry> subtree(NavigableMap<String, Entry> tree, String dir) {
        String prefix = dir.equals("/") ? "/" : dir + "/";
        // '0' sorts right after '/': the range holds exactly the paths below dir
        return tree.subMap(prefix, true, prefix.substring(0, prefix.length() - 1) + "0", false);
    }

    int size() {
        return entries.size();
    }

    /** The entry at exactly this path (a symbolic link is not followed), or null. "/" always exists. */
    Entry get(String path) {
        if (path.equals("/")) return entries.getOrDefault("/", new Entry(new LayerEntry("/", EntryType.DIRECTORY, 0, 0755, null, 0, 0), null, false));
        Entry e = entries.get(path);
        if (e == null) return null;
        // an entry whose parent was replaced by a non-directory is not reachable
        return reachable(path) ? e : null;
    }

    private boolean reachable(String path) {
        for (String p = PathNames.parent(path); !p.equals("/"); p = PathNames.parent(p)) {
            Entry d = entries.get(p);
            if (d != null && d.type() != EntryType.DIRECTORY && d.type() != EntryType.SYMLINK) return false;
        }
        return true;
    }

    /** Like lstat(2) inside the image: links in the parent directories are followed, the last component is not. */
    Entry lstat(String path) {
        if (path.equals("/")) return get("/");
        String parent = resolvePath(PathNames.parent(path), 0);
        if (parent == null) return null;
        return get(parent.equals("/") ? "/" + PathNames.fileName(path) : parent + "/" + PathNames.fileName(path));
    }

    /**
     * Follows symbolic links (in every component, against the image's root, as the kernel would inside the
     * container) and hard links; null when the path or a link on the way does not exist or links loop.
     */
    Entry resolve(String path) {
        String p = resolvePath(path, 0);
        if (p == null) return null;
        Entry e = get(p);
        if (e != null && e.type() == EntryType.HARDLINK) {
            Entry target = entries.get(e.meta().linkTarget());
            if (target == null) return null;
            // the link's own name, the target's data
            return new Entry(new LayerEntry(p, EntryType.FILE, target.meta().size(), target.meta().mode(), null, target.meta().uid(),
                    target.meta().gid()), target.content(), target.contentTooLarge());
        }
        return e;
    }

    /** The path with every symbolic link resolved, or null (missing, or more than {@link #MAX_LINK_HOPS} links). */
    String resolvePath(String path, int hops) {
        String sofar = "/";
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty()) continue;
            String next = sofar.equals("/") ? "/" + parts[i] : sofar + "/" + parts[i];
            Entry e = entries.get(next);
            if (e == null) return null;
            if (e.type() == EntryType.SYMLINK) {
                if (++hops > MAX_LINK_HOPS) return null;
                String target = PathNames.resolveInImage(sofar, e.meta().linkTarget());
                String rest = String.join("/", java.util.Arrays.copyOfRange(parts, i + 1, parts.length));
                return resolvePath(rest.isEmpty() ? target : target + "/" + rest, hops);
            }
            if (i < parts.length - 1 && e.type() != EntryType.DIRECTORY) return null;
            sofar = next;
        }
        return sofar;
    }

    /** Regular files with setuid or setgid at or under {@code dir} (links not followed), at most {@code limit}. */
    List<LayerEntry> setuidFiles(String dir, int limit) {
        List<LayerEntry> out = new ArrayList<>();
        Entry self = entries.get(dir);
        List<Entry> candidates = new ArrayList<>();
        if (self != null) candidates.add(self);
        candidates.addAll(dir.equals("/") ? entries.values() : subtree(entries, dir).values());
        for (Entry e : candidates) {
            if (e.type() == EntryType.FILE && (e.meta().mode() & 06000) != 0 && reachable(e.meta().path())) {
                out.add(e.meta());
                if (out.size() >= limit) break;
            }
        }
        return out;
    }

    /** Content of a resolved entry read as text, for /etc/passwd lookups (null when absent). */
    String text(String path) {
        Entry e = resolve(path);
        if (e == null || e.content() == null) return null;
        return new String(e.content(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** name → id of /etc/passwd (uid) or /etc/group (gid), as far as they were asked for and exist. */
    Map<String, Long> ids(String file) {
        Map<String, Long> out = new HashMap<>();
        String t = text(file);
        if (t == null) return out;
        for (String line : t.split("\n")) {
            String[] p = line.split(":", -1);
            if (p.length >= 3 && p[2].matches("\\d{1,10}")) out.putIfAbsent(p[0], Long.parseLong(p[2]));
        }
        return out;
    }

    /** The primary gid of a user in /etc/passwd, or -1. */
    long primaryGid(String user) {
        String t = text("/etc/passwd");
        if (t == null) return -1;
        for (String line : t.split("\n")) {
            String[] p = line.split(":", -1);
            if (p.length >= 4 && (p[0].equals(user) || p[2].equals(user)) && p[3].matches("\\d{1,10}")) return Long.parseLong(p[3]);
        }
        return -1;
    }
}
