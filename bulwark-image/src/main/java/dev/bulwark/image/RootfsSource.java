package dev.bulwark.image;

import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.LayerInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * An unpacked root filesystem (a directory, or "/" itself). Symbolic links are reported, never followed; kernel
 * pseudo filesystems (proc, sys, devices) mounted inside are skipped.
 */
final class RootfsSource implements ImageSource {
    private static final Set<String> PSEUDO_FS = Set.of("proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2",
            "securityfs", "debugfs", "tracefs", "pstore", "bpf", "mqueue", "hugetlbfs", "configfs", "fusectl",
            "binfmt_misc", "autofs", "efivarfs", "nsfs", "rpc_pipefs");
    private final Path root;
    private final ImageInfo info;

    RootfsSource(Path root) throws ImageException {
        if (!Files.isDirectory(root)) throw new ImageException(root.toString(), "not a directory");
        this.root = root.toAbsolutePath().normalize();
        LayerInfo only = new LayerInfo(0, null, null, -1, "rootfs", null);
        this.info = new ImageInfo("rootfs:" + this.root, "rootfs", null, null, List.of(), List.of(), null, null, List.of(only), Map.of());
    }

    @Override
    public ImageInfo info() {
        return info;
    }

    @Override
    public boolean cacheable() {
        return false;
    }

    @Override
    public void walkLayers(List<Integer> indexes, LayerHandler handler, ExecutorService executor) throws ImageException {
        if (indexes.isEmpty()) return;
        LayerInfo layer = info.layers().get(0);
        LayerVisitor v = handler.start(layer);
        try {
            walk(v, pseudoMounts());
        } catch (IOException | DirectoryIteratorException e) {
            throw new ImageException(info.target(), "walking the root filesystem: " + e.getMessage(), e);
        }
        handler.finished(v, layer);
    }

    /**
     * Depth first, each directory's entries in the order the directory lists them, a directory before what it
     * holds. One lstat per entry gives its type, size, mode and owner (a file tree walk and a second stat for the
     * mode would cost twice that, and the root filesystem of an image holds tens of thousands of entries).
     */
    private void walk(LayerVisitor v, Set<Path> skip) throws IOException {
        String rootName = root.toString();
        int cut = rootName.equals("/") ? 0 : rootName.length();
        record Open(Path dir, DirectoryStream<Path> stream, Iterator<Path> entries) {
        }
        Deque<Open> open = new ArrayDeque<>();
        try {
            DirectoryStream<Path> top = Files.newDirectoryStream(root);
            open.push(new Open(root, top, top.iterator()));
            while (!open.isEmpty()) {
                Open here = open.peek();
                Path p;
                try {
                    if (!here.entries().hasNext()) {
                        open.pop().stream().close();
                        continue;
                    }
                    p = here.entries().next();
                } catch (DirectoryIteratorException e) {
                    // the rest of this directory cannot be listed: say so, go on with the others
                    v.warning(here.dir() + ": cannot list (" + e.getCause().getMessage() + ")");
                    open.pop().stream().close();
                    continue;
                }
                String name = p.toString();
                String imagePath = java.io.File.separatorChar == '/' ? name.substring(cut) : "/" + root.relativize(p).toString().replace('\\', '/');
                Map<String, Object> a;
                try {
                    a = attributes(p);
                } catch (IOException e) {
                    v.warning(p + ": cannot read (" + e.getClass().getSimpleName() + ")");
                    continue;
                }
                int mode = (Integer) a.get("mode");
                EntryType type = switch (mode & S_IFMT) {
                    case S_IFDIR -> EntryType.DIRECTORY;
                    case S_IFLNK -> EntryType.SYMLINK;
                    case S_IFREG -> EntryType.FILE;
                    default -> EntryType.OTHER;
                };
                if (type == EntryType.DIRECTORY && skip.contains(p)) continue;
                String link = null;
                if (type == EntryType.SYMLINK) {
                    try {
                        link = Files.readSymbolicLink(p).toString();
                    } catch (IOException e) {
                        v.warning(p + ": cannot read (" + e.getClass().getSimpleName() + ")");
                        continue;
                    }
                }
                LayerEntry entry = new LayerEntry(imagePath, type, type == EntryType.FILE ? (Long) a.get("size") : 0, mode & 07777,
                        link, ((Number) a.get("uid")).longValue(), ((Number) a.get("gid")).longValue());
                if (type == EntryType.FILE) {
                    try (LazyFile in = new LazyFile(p)) {
                        v.entry(entry, in);
                    } catch (java.nio.file.AccessDeniedException e) {
                        v.warning(imagePath + ": permission denied");
                    }
                    continue;
                }
                v.entry(entry, null);
                if (type == EntryType.DIRECTORY) {
                    DirectoryStream<Path> ds;
                    try {
                        ds = Files.newDirectoryStream(p);
                    } catch (IOException e) {
                        v.warning(p + ": cannot read (" + e.getClass().getSimpleName() + ")");
                        continue;
                    }
                    open.push(new Open(p, ds, ds.iterator()));
                }
            }
        } finally {
            for (Open o : open) {
                try {
                    o.stream().close();
                } catch (IOException ignored) {
                    // a directory handle that fails to close loses nothing: the walk only read
                }
            }
        }
    }

    private static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFLNK = 0120000, S_IFREG = 0100000;

    /** mode (type and permission bits), uid, gid, size: from one lstat; made up from the basic ones off Unix. */
    private static Map<String, Object> attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            java.nio.file.attribute.BasicFileAttributes b = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int mode = b.isDirectory() ? S_IFDIR | 0755 : b.isSymbolicLink() ? S_IFLNK | 0777 : b.isRegularFile() ? S_IFREG | 0644 : 0;
            return Map.of("mode", mode, "uid", 0, "gid", 0, "size", b.size());
        }
    }

    /** Mount points of kernel pseudo filesystems under the root, read from /proc/self/mounts. */
    private Set<Path> pseudoMounts() {
        Set<Path> out = new HashSet<>();
        Path mounts = Path.of("/proc/self/mounts");
        if (!Files.isReadable(mounts)) return out;
        try {
            for (String line : Files.readAllLines(mounts, StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                if (f.length < 3 || !PSEUDO_FS.contains(f[2])) continue;
                Path mp = Path.of(f[1].replace("\\040", " "));
                if (mp.startsWith(root) && !mp.equals(root)) out.add(mp);
            }
        } catch (IOException ignored) {
            // without the mount table nothing is skipped; the walk still never follows links
        }
        return out;
    }

    @Override
    public void close() {
    }

    /** Opens the file on first read: most files of a root filesystem are never read, so they cost no open(). */
    private static final class LazyFile extends InputStream implements HostFile {
        private final Path path;
        private InputStream in;

        LazyFile(Path path) {
            this.path = path;
        }

        @Override
        public Path hostPath() {
            return path;
        }

        private InputStream in() throws IOException {
            if (in == null) in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS);
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in().read(b, off, len);
        }

        @Override
        public long skip(long n) throws IOException {
            return in().skip(n);
        }

        @Override
        public void close() throws IOException {
            if (in != null) in.close();
        }
    }
}
