package dev.bulwark.vulndb.feed;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decompression accounting for one compressed container (a zip, a tar.gz, a .gz): bytes read from the compressed
 * side, bytes handed out on the decompressed side, and the limits on both. Every decompressed byte passes through
 * {@link #entry}, so a bomb is stopped while it inflates, before anything holds its output.
 */
final class Budget {
    /** Thrown when a limit is passed; the message says which. Subclasses IOException so parsers pass it on. */
    static final class Exceeded extends IOException {
        Exceeded(String message) {
            super(message);
        }
    }

    private final Limits limits;
    private final Counting raw;
    private final long maxTotal;
    private long out;
    private String exceeded;

    /** @param compressed the container's own bytes, counted to measure the compression ratio */
    Budget(InputStream compressed, Limits limits, long maxTotal) {
        this.raw = new Counting(compressed);
        this.limits = limits;
        this.maxTotal = maxTotal;
    }

    /** The stream to decompress from. */
    InputStream raw() {
        return raw;
    }

    /** Why the budget was exceeded, or null while it has not been. */
    String exceeded() {
        return exceeded;
    }

    /** A view of one entry's decompressed bytes that counts them and enforces the limits; never closes {@code in}. */
    InputStream entry(InputStream in, String name) {
        return view(in, name, true);
    }

    /**
     * Like {@link #entry} for an entry inside a stream that is already counted as a whole (a tar inside a gzip):
     * only the entry's own size limit applies, so that its bytes are not counted twice.
     */
    InputStream part(InputStream in, String name) {
        return view(in, name, false);
    }

    private InputStream view(InputStream in, String name, boolean counted) {
        return new FilterInputStream(in) {
            private final byte[] one = new byte[1];
            private long entryBytes;

            @Override
            public int read() throws IOException {
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (exceeded != null) throw new Exceeded(exceeded);
                int n = super.read(b, off, len);
                if (n > 0) {
                    entryBytes += n;
                    if (counted) out += n;
                    check(name, entryBytes);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                // skipping must inflate too: route it through read so that it is counted
                byte[] buf = new byte[8192];
                long done = 0;
                for (int r; done < n && (r = read(buf, 0, (int) Math.min(buf.length, n - done))) > 0; ) done += r;
                return done;
            }

            @Override
            public void close() {
                // the container's stream belongs to the walker
            }
        };
    }

    private void check(String name, long entryBytes) throws Exceeded {
        if (entryBytes > limits.maxEntryBytes()) {
            fail("'" + name + "' inflates past " + limits.maxEntryBytes() + " bytes");
        } else if (out > maxTotal) {
            fail("content inflates past " + maxTotal + " bytes");
        } else if (out > Limits.RATIO_GRACE && out > (long) limits.maxRatio() * Math.max(1, raw.count)) {
            fail("compression ratio above " + limits.maxRatio() + ":1 (" + out + " bytes from " + raw.count
                    + "): a decompression bomb");
        }
    }

    private void fail(String message) throws Exceeded {
        exceeded = message;
        throw new Exceeded(message);
    }

    /** Reads the rest of an entry through its guarded view, so that skipping it is counted like reading it. */
    static void drain(InputStream guarded) throws IOException {
        byte[] buf = new byte[16 * 1024];
        while (guarded.read(buf) >= 0) {
            // discard
        }
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) count++;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }
}
