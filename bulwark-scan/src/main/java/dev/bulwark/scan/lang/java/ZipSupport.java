package dev.bulwark.scan.lang.java;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/** Small zip helpers for {@link JarReader}: a window on a channel, the central directory's size, a byte meter. */
final class ZipSupport {
    private ZipSupport() {
    }

    /** Thrown when one archive's limits are reached: the walk stops, what was found so far is kept. */
    static final class LimitReached extends IOException {
        LimitReached(String message) {
            super(message);
        }
    }

    /**
     * How many entries the central directory declares (zip64 included), or -1 when no end record is found. Read
     * before opening the archive, because commons-compress holds every entry of the central directory in memory.
     */
    static long declaredEntries(SeekableByteChannel ch) throws IOException {
        long size = ch.size();
        int tail = (int) Math.min(size, 22 + 65535);
        ByteBuffer b = read(ch, size - tail, tail);
        for (int i = b.limit() - 22; i >= 0; i--) {
            if (b.getInt(i) != 0x06054b50) continue;
            long entries = Short.toUnsignedInt(b.getShort(i + 10));
            long cdSize = Integer.toUnsignedLong(b.getInt(i + 12));
            if ((entries == 0xFFFF || cdSize == 0xFFFFFFFFL) && i >= 20 && b.getInt(i - 20) == 0x07064b50) {
                long z64 = b.getLong(i - 20 + 8);
                ByteBuffer r = read(ch, z64, 56);
                if (r.limit() == 56 && r.getInt(0) == 0x06064b50) {
                    entries = r.getLong(32);
                    cdSize = r.getLong(40);
                }
            }
            // every central directory record takes at least 46 bytes: a lying count is caught by the size
            return Math.max(entries < 0 ? Long.MAX_VALUE : entries, cdSize < 0 ? Long.MAX_VALUE : cdSize / 46);
        }
        return -1;
    }

    private static ByteBuffer read(SeekableByteChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        if (pos < 0 || pos >= ch.size()) return b.limit(0);
        ch.position(pos);
        while (b.hasRemaining() && ch.read(b) > 0) {
            // fill
        }
        return b.flip();
    }

    /** A read-only window [start, start + size) on another channel, which it never closes (a STORED nested jar). */
    static final class Slice implements SeekableByteChannel {
        private final SeekableByteChannel outer;
        private final long start;
        private final long size;
        private long pos;
        private boolean open = true;

        Slice(SeekableByteChannel outer, long start, long size) {
            this.outer = outer;
            this.start = start;
            this.size = size;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!open) throw new ClosedChannelException();
            if (pos >= size) return -1;
            int want = (int) Math.min(dst.remaining(), size - pos);
            ByteBuffer view = dst.slice().limit(want);
            outer.position(start + pos);
            int n = outer.read(view);
            if (n > 0) {
                dst.position(dst.position() + n);
                pos += n;
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return pos;
        }

        @Override
        public SeekableByteChannel position(long p) {
            pos = Math.max(0, p);
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long s) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    /** Shared by all the streams of one archive walk: every inflated byte read is charged to it. */
    static final class Meter {
        private final long max;
        private long used;

        Meter(long max) {
            this.max = max;
        }

        void charge(long n) throws LimitReached {
            used += n;
            if (used > max) throw new LimitReached("more than " + (max >> 20) + " MiB inflated; the rest was not read (zip bomb?)");
        }

        /** The stream, its bytes charged to this meter; closing it does not close the stream under it. */
        InputStream meter(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) charge(1);
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    if (n > 0) charge(n);
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    long s = super.skip(n);
                    if (s > 0) charge(s);
                    return s;
                }

                @Override
                public void close() {
                    // the owner closes the stream under it
                }
            };
        }
    }
}
