package dev.bulwark.image;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * Named files of an image archive (docker save tar, OCI layout as a directory or tar). Names are relative,
 * "/"-separated; symbolic links are followed only inside the archive, never onto the host.
 */
interface ArchiveFiles extends Closeable {
    /** Size of the named file, or -1 if it does not exist. */
    long size(String name) throws IOException;

    InputStream open(String name) throws IOException;

    default byte[] read(String name, int max, String where) throws IOException, ImageException {
        long size = size(name);
        if (size < 0) throw new ImageException(where, "missing " + name);
        if (size > max) throw new ImageException(where, name + " is " + size + " bytes, over the limit of " + max);
        try (InputStream in = open(name)) {
            return in.readNBytes(max + 1);
        }
    }

    @Override
    void close() throws IOException;

    static ArchiveFiles open(Path path, String where) throws ImageException {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return a.isDirectory() ? new Directory(path) : new Tar(path, where);
        } catch (NoSuchFileException e) {
            throw new ImageException(where, "no such file or directory");
        } catch (IOException e) {
            throw new ImageException(where, "cannot open: " + BlobImageSource.describe(e));
        }
    }

    /** An unpacked directory: regular files only, no symlink is followed (a link could point anywhere on the host). */
    final class Directory implements ArchiveFiles {
        private final Path root;

        Directory(Path root) {
            this.root = root;
        }

        private Path resolve(String name) throws IOException {
            String n = PathNames.resolveInImage("/", name).substring(1);
            Path p = root;
            for (String part : n.split("/")) {
                if (part.isEmpty()) continue;
                p = p.resolve(part);
                if (Files.isSymbolicLink(p)) throw new IOException(name + " is a symbolic link; refusing to follow it out of " + root);
            }
            return p;
        }

        @Override
        public long size(String name) throws IOException {
            Path p = resolve(name);
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return -1;
            return Files.size(p);
        }

        @Override
        public InputStream open(String name) throws IOException {
            return Files.newInputStream(resolve(name), LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public void close() {
        }
    }

    /**
     * A tar read with random access: headers are indexed once, each file is then read at its offset through its own
     * channel, so layers can be read concurrently (TarFile's own streams share one channel position).
     */
    final class Tar implements ArchiveFiles {
        private final Path path;
        private final TarFile tar;
        private final Map<String, TarArchiveEntry> entries = new HashMap<>();

        Tar(Path path, String where) throws IOException, ImageException {
            this.path = path;
            try {
                this.tar = new TarFile(path);
            } catch (IllegalArgumentException e) {
                throw new ImageException(where, "corrupt tar archive: " + e.getMessage());
            } catch (IOException e) {
                throw new ImageException(where, "not a readable tar archive (" + BlobImageSource.describe(e) + ")");
            }
            for (TarArchiveEntry e : tar.getEntries()) {
                entries.put(PathNames.resolveInImage("/", e.getName()).substring(1), e);
            }
        }

        private TarArchiveEntry find(String name) {
            String n = PathNames.resolveInImage("/", name).substring(1);
            for (int hops = 0; hops < 40; hops++) {
                TarArchiveEntry e = entries.get(n);
                if (e == null) return null;
                if (e.isSymbolicLink()) {
                    n = PathNames.resolveInImage(PathNames.parent("/" + n), e.getLinkName()).substring(1);
                } else if (e.isLink()) {
                    n = PathNames.resolveInImage("/", e.getLinkName()).substring(1);
                } else {
                    return e.isFile() ? e : null;
                }
            }
            return null; // a link loop
        }

        @Override
        public long size(String name) {
            TarArchiveEntry e = find(name);
            return e == null ? -1 : e.getSize();
        }

        @Override
        public InputStream open(String name) throws IOException {
            TarArchiveEntry e = find(name);
            if (e == null) throw new NoSuchFileException(name);
            if (e.isSparse()) throw new IOException(name + " is a sparse tar entry; image archives never hold those");
            java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.READ);
            try {
                if (e.getDataOffset() + e.getSize() > ch.size()) throw new java.io.EOFException(name + " is cut short in the archive");
                ch.position(e.getDataOffset());
                return new Slice(java.nio.channels.Channels.newInputStream(ch), e.getSize());
            } catch (IOException | RuntimeException ex) {
                ch.close();
                throw ex;
            }
        }

        @Override
        public void close() throws IOException {
            tar.close();
        }
    }

    /** The first {@code left} bytes of a stream; closing it closes the stream. */
    final class Slice extends java.io.FilterInputStream {
        private long left;

        Slice(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) return -1;
            int b = in.read();
            if (b >= 0) left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) left -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(Math.min(n, left));
            left -= s;
            return s;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), left);
        }
    }
}
