package dev.bulwark.image;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one uncompressed layer tar, turning entries into {@link LayerEntry}s and whiteout files into whiteout
 * events. Nothing is written anywhere: content is offered to the visitor as a bounded stream over the archive.
 */
final class TarLayerWalker {
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private TarLayerWalker() {
    }

    static void walk(InputStream tar, LayerVisitor visitor, Limits limits) throws IOException {
        TarArchiveInputStream in = new TarArchiveInputStream(new LimitedInputStream(tar, limits.maxLayerBytes()), true);
        long entries = 0;
        TarArchiveEntry e;
        while ((e = nextEntry(in)) != null) {
            if (++entries > limits.maxEntriesPerLayer())
                throw new BlobIntegrityException("layer has more than " + limits.maxEntriesPerLayer() + " entries");
            String path = PathNames.normalizeEntryName(e.getName());
            String name = PathNames.fileName(path);
            if (name.startsWith(WHITEOUT)) {
                String dir = PathNames.parent(path);
                if (name.equals(OPAQUE)) {
                    visitor.opaque(dir);
                } else if (!name.startsWith(WHITEOUT + WHITEOUT)) { // .wh..wh.* are aufs bookkeeping
                    visitor.whiteout(dir.equals("/") ? "/" + name.substring(4) : dir + "/" + name.substring(4));
                }
                continue;
            }
            if (path.equals("/")) continue;
            EntryType type;
            String link = null;
            if (e.isSymbolicLink()) {
                type = EntryType.SYMLINK;
                link = e.getLinkName();
            } else if (e.isLink()) {
                type = EntryType.HARDLINK;
                link = PathNames.normalizeEntryName(e.getLinkName());
            } else if (e.isDirectory()) {
                type = EntryType.DIRECTORY;
            } else if (e.isFile() && !e.isCharacterDevice() && !e.isBlockDevice() && !e.isFIFO()) {
                // commons-compress counts device nodes and FIFOs as files (any type but a directory)
                type = EntryType.FILE;
            } else {
                type = EntryType.OTHER;
            }
            long size = type == EntryType.FILE ? e.getSize() : 0;
            if (size < 0) throw new BlobIntegrityException("entry '" + PathNames.printable(path) + "' has a negative size");
            java.nio.file.attribute.FileTime mt = e.getLastModifiedTime();
            LayerEntry entry = new LayerEntry(path, type, size, e.getMode() & 07777, link, e.getLongUserId(), e.getLongGroupId(),
                    mt == null ? LayerEntry.NO_TIME : mt.to(java.util.concurrent.TimeUnit.SECONDS));
            visitor.entry(entry, type == EntryType.FILE ? new NonClosing(in) : null);
        }
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream in) throws IOException {
        try {
            return in.getNextEntry();
        } catch (IllegalArgumentException e) {
            // commons-compress reports some malformed headers this way
            throw new BlobIntegrityException("corrupt tar header: " + e.getMessage());
        }
    }

    /** Visitors may close the content stream; that must not close the archive. */
    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }

    /** Stops a decompression bomb: the uncompressed layer may not exceed the limit. */
    private static final class LimitedInputStream extends FilterInputStream {
        private final long max;
        private long count;

        LimitedInputStream(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) check(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) check(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(n);
            if (s > 0) check(s);
            return s;
        }

        private void check(long n) throws BlobIntegrityException {
            count += n;
            if (count > max) throw new BlobIntegrityException("layer expands beyond " + max + " bytes (decompression bomb?)");
        }
    }
}
