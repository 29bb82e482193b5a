package dev.bulwark.scan.os;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads UTF-8 text line by line without trusting it: a line longer than the limit is cut there (the rest up to the
 * newline skipped) instead of being buffered whole, so a file without newlines cannot exhaust memory. Lines end at
 * "\n" or "\r\n"; malformed UTF-8 becomes U+FFFD.
 */
public final class BoundedLines implements Closeable {
    private final InputStream in;
    private final int maxLine;
    private final byte[] chunk = new byte[64 << 10];
    private int pos, end;
    private byte[] line = new byte[256];
    private long cut;
    private long lineNumber;

    public BoundedLines(InputStream in, int maxLine) {
        this.in = in;
        this.maxLine = maxLine;
    }

    /** The next line without its terminator, or null at the end of the input. */
    public String next() throws IOException {
        int n = 0;
        boolean any = false, over = false;
        while (true) {
            if (pos == end) {
                end = in.read(chunk, 0, chunk.length);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    if (!any) return null;
                    break;
                }
            }
            any = true;
            int nl = pos;
            while (nl < end && chunk[nl] != '\n') nl++;
            int take = Math.min(nl - pos, maxLine - n);
            if (take < nl - pos) over = true;
            if (take > 0) {
                if (n + take > line.length) line = Arrays.copyOf(line, Math.min(maxLine, Math.max(n + take, line.length * 2)));
                System.arraycopy(chunk, pos, line, n, take);
                n += take;
            }
            if (nl < end) {
                pos = nl + 1;
                break;
            }
            pos = end;
        }
        if (over) cut++;
        lineNumber++;
        if (n > 0 && line[n - 1] == '\r') n--;
        return new String(line, 0, n, StandardCharsets.UTF_8);
    }

    /** How many lines were longer than the limit and cut. */
    public long cutLines() {
        return cut;
    }

    /** The number of the line last returned, from 1. */
    public long lineNumber() {
        return lineNumber;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
