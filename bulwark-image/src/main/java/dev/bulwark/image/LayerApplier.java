package dev.bulwark.image;

import dev.bulwark.model.LayerInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Unpacks an image into a directory, layer after layer, the way a container runtime's snapshotter would, but
 * without trusting the image: names that climb out ({@code ..}, absolute names) are refused by the walker, and
 * nothing is ever written through a symbolic link. Every parent of an entry is checked component by component
 * without following links; a component that is a symlink refuses the entry (the layer tars Docker and BuildKit
 * write name real paths, so only a hostile or hand-made layer goes through a link). The target directory is
 * fresh and private to this process, so no one can swap a checked directory for a link behind our back.
 *
 * <p>Whiteouts and opaque directories hide only what lower layers wrote; hard links must point at a regular file
 * already unpacked inside the tree; device nodes and FIFOs are skipped (a container gets its own /dev); setuid and
 * setgid bits are kept. Ownership is shifted by {@link Options#uidOffset()} / {@link Options#gidOffset()}, so a
 * user namespace that maps root inside to that host id owns its files without a slow chown pass afterwards.
 * Bounded: the walker's limits per layer, and {@link Options#maxTotalBytes()} for the whole tree.
 */
public final class LayerApplier {
    /**
     * @param uidOffset     added to every entry's uid (0: as in the image)
     * @param gidOffset     added to every entry's gid
     * @param maxTotalBytes regular-file bytes the whole tree may hold
     */
    public record Options(long uidOffset, long gidOffset, long maxTotalBytes) {
        public Options {
            if (uidOffset < 0 || gidOffset < 0) throw new IllegalArgumentException("negative uid/gid offset");
            if (maxTotalBytes <= 0) throw new IllegalArgumentException("maxTotalBytes must be positive");
        }

        public static Options shifted(long uidOffset, long gidOffset) {
            return new Options(uidOffset, gidOffset, 64L << 30);
        }
    }

    /**
     * What was unpacked.
     *
     * @param files    regular files written
     * @param bytes    their bytes
     * @param skipped  entries not written (device nodes, FIFOs, links to nowhere), with why
     */
    public record Result(long files, long bytes, List<String> skipped) {
        public Result {
            skipped = List.copyOf(skipped);
        }
    }

    private static final int MAX_SKIPPED_REPORTED = 50;

    private final Path root;
    private final Options options;
    private final Set<String> writtenThisLayer = new HashSet<>();
    private final java.util.Map<Path, Long> directoryTimes = new java.util.HashMap<>();
    private final java.util.ArrayList<String> skipped = new java.util.ArrayList<>();
    private long files;
    private long bytes;

    LayerApplier(Path root, Options options) {
        this.root = root;
        this.options = options;
    }

    /**
     * Unpacks every layer of {@code source}, base first, into {@code dir}, which must be an empty directory. A
     * stream-only source (a Docker Engine export) is refused: its layers come in the engine's order, which is not
     * necessarily the image's; save it with {@code docker save} and use {@code docker-archive:}.
     */
    public static Result apply(ImageSource source, Path dir, Options options) throws ImageException, InterruptedException {
        String where = source.info().target();
        if ("docker".equals(source.info().kind()))
            throw new ImageException(where, "cannot unpack from a Docker Engine stream: docker save it and use docker-archive:FILE");
        checkEmptyDir(dir, where);
        LayerApplier a = new LayerApplier(dir, options);
        try {
            // the tree's root is the image's "/": root-owned in the image, so the (shifted) root owns it here
            a.chown(dir, 0, 0, false);
            Files.setAttribute(dir, "unix:mode", 0755, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new ImageException(dir.toString(), "cannot set the owner of the unpack target: " + e.getMessage(), e);
        }
        ExecutorService one = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bulwark-unpack");
            t.setDaemon(true);
            return t;
        });
        try {
            int n = source.info().layers().size();
            if (n == 0) throw new ImageException(where, "image has no layers");
            for (int i = 0; i < n; i++) {
                // one layer at a time, in order: whiteouts in layer i apply to what layers below i wrote
                a.beginLayer();
                source.walkLayers(List.of(i), new LayerHandler() {
                    @Override
                    public LayerVisitor start(LayerInfo layer) {
                        return a.visitor();
                    }

                    @Override
                    public void finished(LayerVisitor visitor, LayerInfo layer) {
                    }
                }, one);
            }
            a.finishTimes();
        } catch (IOException e) {
            throw new ImageException(dir.toString(), "cannot set modification times: " + e.getMessage(), e);
        } finally {
            one.shutdownNow();
        }
        return a.result();
    }

    private static void checkEmptyDir(Path dir, String where) throws ImageException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) throw new ImageException(dir.toString(), "not a directory");
        try (var s = Files.list(dir)) {
            if (s.findAny().isPresent()) throw new ImageException(dir.toString(), "unpack target is not empty");
        } catch (IOException e) {
            throw new ImageException(dir.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    /** Applies one uncompressed layer tar (tests and callers that hold a tar stream). */
    void applyTar(InputStream tar, Limits limits) throws IOException {
        beginLayer();
        TarLayerWalker.walk(tar, visitor(), limits);
    }

    void beginLayer() {
        writtenThisLayer.clear();
    }

    Result result() {
        return new Result(files, bytes, skipped);
    }

    LayerVisitor visitor() {
        return new LayerVisitor() {
            @Override
            public void entry(LayerEntry entry, InputStream content) throws IOException {
                write(entry, content);
            }

            @Override
            public void whiteout(String path) {
                removeLower(path, false);
            }

            @Override
            public void opaque(String dir) {
                removeLower(dir, true);
            }
        };
    }

    private void write(LayerEntry e, InputStream content) throws IOException {
        Path target = safeParent(e.path(), true).resolve(PathNames.fileName(e.path()));
        writtenThisLayer.add(e.path());
        BasicFileAttributes existing = attrs(target);
        switch (e.type()) {
            case DIRECTORY -> {
                if (existing != null && !existing.isDirectory()) {
                    Files.delete(target);
                    existing = null;
                }
                if (existing == null) Files.createDirectory(target);
                own(target, e, false);
            }
            case FILE -> {
                if (bytes + e.size() > options.maxTotalBytes())
                    throw new BlobIntegrityException("image expands beyond " + options.maxTotalBytes() + " bytes");
                removeExisting(target, existing);
                long n;
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
                    n = content.transferTo(out);
                }
                if (n != e.size()) throw new BlobIntegrityException("entry '" + PathNames.printable(e.path()) + "' is truncated");
                bytes += n;
                files++;
                own(target, e, false);
            }
            case SYMLINK -> {
                removeExisting(target, existing);
                // the target is stored as written and never followed here; inside the container it resolves
                // against the container's root
                Files.createSymbolicLink(target, Path.of(e.linkTarget()));
                own(target, e, true);
            }
            case HARDLINK -> {
                Path source = resolveExisting(e.linkTarget());
                BasicFileAttributes sa = source == null ? null : attrs(source);
                if (sa == null || !sa.isRegularFile()) {
                    skip(e.path() + ": hard link to " + e.linkTarget() + ", not a regular file in the image");
                    return;
                }
                if (source.equals(target)) return;
                removeExisting(target, existing);
                Files.createLink(target, source);
            }
            case OTHER -> skip(e.path() + ": device node, FIFO or socket not unpacked");
        }
    }

    private void skip(String why) {
        if (skipped.size() < MAX_SKIPPED_REPORTED) skipped.add(PathNames.printable(why));
    }

    /**
     * The host directory that holds {@code imagePath}, each component checked without following links. With
     * {@code create}, missing parents become real directories (root-owned in the image, mode 0755), as tar does.
     */
    private Path safeParent(String imagePath, boolean create) throws IOException {
        Path p = root;
        String parent = PathNames.parent(imagePath);
        if (parent.equals("/")) return p;
        StringBuilder sofar = new StringBuilder();
        for (String c : parent.substring(1).split("/")) {
            sofar.append('/').append(c);
            p = p.resolve(c);
            BasicFileAttributes a = attrs(p);
            if (a == null) {
                if (!create) return null;
                Files.createDirectory(p);
                chown(p, 0, 0, false);
                Files.setAttribute(p, "unix:mode", 0755, LinkOption.NOFOLLOW_LINKS);
            } else if (a.isSymbolicLink()) {
                throw new BlobIntegrityException("entry '" + PathNames.printable(imagePath) + "' goes through the symlink "
                        + PathNames.printable(sofar.toString()) + " (refused: nothing is written through links)");
            } else if (!a.isDirectory()) {
                if (!create) return null;
                // a file where a directory is needed: the later layer wins, as in an overlay
                Files.delete(p);
                Files.createDirectory(p);
                chown(p, 0, 0, false);
                Files.setAttribute(p, "unix:mode", 0755, LinkOption.NOFOLLOW_LINKS);
            }
        }
        return p;
    }

    /** The host path of an existing image path, or null when missing or reached only through a link. */
    private Path resolveExisting(String imagePath) throws IOException {
        Path parent;
        try {
            parent = safeParent(imagePath, false);
        } catch (BlobIntegrityException e) {
            return null;
        }
        return parent == null ? null : parent.resolve(PathNames.fileName(imagePath));
    }

    /** Whiteout: removes what lower layers put at {@code path}; opaque: only the directory's contents. */
    private void removeLower(String path, boolean contentsOnly) {
        try {
            Path p = path.equals("/") ? root : resolveExisting(path);
            if (p == null || attrs(p) == null) return;
            if (!contentsOnly) {
                if (writtenThisLayer.contains(path)) return;
                deleteTree(p, path);
                return;
            }
            if (!attrs(p).isDirectory()) return;
            try (var s = Files.list(p)) {
                for (Path child : s.toList()) {
                    String childImagePath = (path.equals("/") ? "" : path) + "/" + child.getFileName();
                    if (!writtenThisLayer.contains(childImagePath)) deleteTree(child, childImagePath);
                }
            }
        } catch (IOException e) {
            skip(path + ": whiteout not applied: " + e.getMessage());
        }
    }

    /** Deletes a tree without following links, keeping anything this layer already wrote under it. */
    private void deleteTree(Path p, String imagePath) throws IOException {
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!writtenThisLayer.contains(imagePathOf(file))) Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (writtenThisLayer.contains(imagePathOf(dir))) return FileVisitResult.CONTINUE;
                try {
                    Files.delete(dir);
                } catch (DirectoryNotEmptyException kept) {
                    // holds entries of this layer
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private String imagePathOf(Path host) {
        return "/" + root.relativize(host).toString();
    }

    private static void removeExisting(Path target, BasicFileAttributes existing) throws IOException {
        if (existing == null) return;
        if (existing.isDirectory()) {
            Files.walkFileTree(target, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } else {
            Files.delete(target);
        }
    }

    private static BasicFileAttributes attrs(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Owner first, then mode: chown clears setuid and setgid bits. Links carry no mode of their own. Then the
     * modification time; a directory's is set once everything is written (each entry written into it changes it).
     */
    private void own(Path p, LayerEntry e, boolean link) throws IOException {
        chown(p, e.uid(), e.gid(), link);
        if (!link) Files.setAttribute(p, "unix:mode", e.mode() & 07777, LinkOption.NOFOLLOW_LINKS);
        if (e.mtime() == LayerEntry.NO_TIME) return;
        if (e.type() == EntryType.DIRECTORY) {
            directoryTimes.put(p, e.mtime());
        } else {
            setTime(p, e.mtime());
        }
    }

    private static void setTime(Path p, long seconds) throws IOException {
        Files.getFileAttributeView(p, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(java.nio.file.attribute.FileTime.from(seconds, java.util.concurrent.TimeUnit.SECONDS), null, null);
    }

    /** Directories' modification times, deepest first (setting one does not change its parent's). */
    void finishTimes() throws IOException {
        List<Path> dirs = new ArrayList<>(directoryTimes.keySet());
        dirs.sort(java.util.Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path d : dirs) {
            if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) setTime(d, directoryTimes.get(d));
        }
    }

    private void chown(Path p, long uid, long gid, boolean link) throws IOException {
        long u = uid + options.uidOffset();
        long g = gid + options.gidOffset();
        if (u > 0xfffffffeL || g > 0xfffffffeL || uid < 0 || gid < 0)
            throw new BlobIntegrityException("entry '" + PathNames.printable(imagePathOf(p)) + "' owner " + uid + ":" + gid + " out of range");
        try {
            Files.setAttribute(p, "unix:uid", (int) u, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", (int) g, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.FileSystemException notRoot) {
            // Without privilege files stay ours; that is only acceptable when no shift was asked for.
            if (options.uidOffset() != 0 || options.gidOffset() != 0) throw notRoot;
        }
    }
}
