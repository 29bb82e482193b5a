package dev.bulwark.audit.file;

import java.util.Arrays;

/**
 * Maps offsets in a text assembled from pieces of physical lines (a Dockerfile instruction joined from its
 * continuation lines, a RUN script followed by its heredoc bodies) back to the physical line and column each
 * character came from. Lines and columns are 1-based.
 */
final class LineMap {
    private final int[] offsets;
    private final int[] lines;
    private final int[] cols;

    private LineMap(int[] offsets, int[] lines, int[] cols) {
        this.offsets = offsets;
        this.lines = lines;
        this.cols = cols;
    }

    /** A map where offset 0 is at the given line and column and the text never leaves that line. */
    static LineMap single(int line, int col) {
        return new LineMap(new int[]{0}, new int[]{line}, new int[]{col});
    }

    int line(int offset) {
        return lines[index(offset)];
    }

    int col(int offset) {
        int i = index(offset);
        return cols[i] + Math.max(0, offset - offsets[i]);
    }

    /** The first line any character maps to. */
    int firstLine() {
        return lines[0];
    }

    private int index(int offset) {
        int i = Arrays.binarySearch(offsets, offset);
        if (i >= 0) {
            while (i + 1 < offsets.length && offsets[i + 1] == offset) i++;
            return i;
        }
        int ins = -i - 1;
        return Math.max(0, ins - 1);
    }

    /** The map of {@code text.substring(from)}. */
    LineMap slice(int from) {
        Builder b = new Builder();
        b.add(0, line(from), col(from));
        for (int i = 0; i < offsets.length; i++) {
            if (offsets[i] > from) b.add(offsets[i] - from, lines[i], cols[i]);
        }
        return b.build();
    }

    static final class Builder {
        private int[] offsets = new int[8];
        private int[] lines = new int[8];
        private int[] cols = new int[8];
        private int n;

        /** Characters from {@code offset} on come from {@code line}, starting at {@code col}. */
        Builder add(int offset, int line, int col) {
            if (n > 0 && offsets[n - 1] == offset) n--;
            if (n == offsets.length) {
                offsets = Arrays.copyOf(offsets, n * 2);
                lines = Arrays.copyOf(lines, n * 2);
                cols = Arrays.copyOf(cols, n * 2);
            }
            offsets[n] = offset;
            lines[n] = line;
            cols[n] = col;
            n++;
            return this;
        }

        /** Appends another map's breakpoints, its offset 0 placed at {@code at}. */
        Builder append(LineMap other, int at) {
            for (int i = 0; i < other.offsets.length; i++) add(at + other.offsets[i], other.lines[i], other.cols[i]);
            return this;
        }

        LineMap build() {
            if (n == 0) return single(1, 1);
            return new LineMap(Arrays.copyOf(offsets, n), Arrays.copyOf(lines, n), Arrays.copyOf(cols, n));
        }
    }
}
