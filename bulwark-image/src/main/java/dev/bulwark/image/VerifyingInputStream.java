package dev.bulwark.image;

import dev.bulwark.model.Digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes and counts what passes through; at end of stream the digest and size must equal what was promised.
 * Reading past the promised size fails at once, so an oversized body is never read to its end.
 */
final class VerifyingInputStream extends FilterInputStream {
    private final Digest expected;
    private final long expectedSize;
    private final String what;
    private final MessageDigest md;
    private long count;
    private boolean verified;
    private String failure;

    /**
     * @param expected     digest to check, or null to only count
     * @param expectedSize size to check, or -1
     * @param what         the blob, for messages ("layer sha256:…")
     */
    VerifyingInputStream(InputStream in, Digest expected, long expectedSize, String what) {
        super(in);
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.what = what;
        this.md = expected == null ? null : expected.newMessageDigest();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            finish();
            return -1;
        }
        count += n;
        if (expectedSize >= 0 && count > expectedSize)
            throw new BlobIntegrityException(what + " is larger than its descriptor's size " + expectedSize);
        if (md != null) md.update(b, off, n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipping must still hash, so read through.
        byte[] buf = new byte[(int) Math.min(n, 64 * 1024)];
        long left = n;
        while (left > 0) {
            int r = read(buf, 0, (int) Math.min(left, buf.length));
            if (r < 0) break;
            left -= r;
        }
        return n - left;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /**
     * Checks once; a failure is sticky and thrown again on every later read, because some readers (GZIPInputStream
     * probing for another member) swallow the first exception.
     */
    private void finish() throws BlobIntegrityException {
        if (failure != null) throw new BlobIntegrityException(failure);
        if (verified) return;
        verified = true;
        if (expectedSize >= 0 && count != expectedSize)
            failure = what + " is truncated: " + count + " of " + expectedSize + " bytes";
        else if (md != null) {
            Digest actual = Digest.of(md);
            if (!actual.equals(expected)) failure = what + " digest mismatch: expected " + expected + ", got " + actual;
        }
        if (failure != null) throw new BlobIntegrityException(failure);
    }

    /** Reads to the end so the digest is checked, whatever a consumer left unread. */
    void drainAndVerify() throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (read(buf, 0, buf.length) >= 0) {
            // keep reading
        }
    }

    long count() {
        return count;
    }
}
