package dev.bulwark.image;

import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.LayerInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
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
        Set<Path> skip = pseudoMounts();
        try {
            Files.walkFileTree(root, Set.of(), Integer.MAX_VALUE, new FileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (skip.contains(dir)) return FileVisitResult.SKIP_SUBTREE;
                    if (!dir.equals(root)) emit(dir, EntryType.DIRECTORY, attrs, null);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isSymbolicLink()) {
                        emit(file, EntryType.SYMLINK, attrs, Files.readSymbolicLink(file).toString());
                    } else if (attrs.isRegularFile()) {
                        emit(file, EntryType.FILE, attrs, null);
                    } else {
                        emit(file, EntryType.OTHER, attrs, null);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    v.warning(file + ": cannot read (" + exc.getClass().getSimpleName() + ")");
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
                    if (exc != null) v.warning(dir + ": cannot list (" + exc.getMessage() + ")");
                    return FileVisitResult.CONTINUE;
                }

                private void emit(Path p, EntryType type, BasicFileAttributes attrs, String link) throws IOException {
                    String imagePath = "/" + root.relativize(p).toString().replace('\\', '/');
                    Map<String, Object> unix;
                    try {
                        unix = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
                    } catch (UnsupportedOperationException | IOException e) {
                        unix = Map.of("mode", type == EntryType.DIRECTORY ? 0755 : 0644, "uid", 0, "gid", 0);
                    }
                    LayerEntry entry = new LayerEntry(imagePath, type, type == EntryType.FILE ? attrs.size() : 0,
                            ((Integer) unix.get("mode")) & 07777, link, ((Number) unix.get("uid")).longValue(),
                            ((Number) unix.get("gid")).longValue());
                    if (type != EntryType.FILE) {
                        v.entry(entry, null);
                        return;
                    }
                    try (LazyFile in = new LazyFile(p)) {
                        v.entry(entry, in);
                    } catch (java.nio.file.AccessDeniedException e) {
                        v.warning(imagePath + ": permission denied");
                    }
                }
            });
        } catch (IOException e) {
            throw new ImageException(info.target(), "walking the root filesystem: " + e.getMessage(), e);
        }
        handler.finished(v, layer);
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
