package dev.bulwark.scan.os.rpm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An rpm header as the package database stores it: a count of index entries, the size of the data store, the
 * entries (tag, type, offset, count; big-endian), then the data. Every offset and count is checked against the
 * blob before it is used: a database is untrusted input.
 */
final class RpmHeader {
    static final int NAME = 1000, VERSION = 1001, RELEASE = 1002, EPOCH = 1003, VENDOR = 1011, LICENSE = 1014,
            ARCH = 1022, SOURCERPM = 1044, DIRINDEXES = 1116, BASENAMES = 1117, DIRNAMES = 1118;
    private static final int INT32 = 4, STRING = 6, STRING_ARRAY = 8, I18NSTRING = 9;
    private static final int MAX_ENTRIES = 1 << 16;

    private record Entry(int type, int offset, int count) {
    }

    private final ByteBuffer data;
    private final Map<Integer, Entry> entries;

    private RpmHeader(ByteBuffer data, Map<Integer, Entry> entries) {
        this.data = data;
        this.entries = entries;
    }

    /** @throws IllegalArgumentException for a blob that is not a well-formed header */
    static RpmHeader parse(byte[] blob) {
        if (blob.length < 8) throw new IllegalArgumentException("header blob shorter than 8 bytes");
        ByteBuffer b = ByteBuffer.wrap(blob);
        int il = b.getInt(0), dl = b.getInt(4);
        if (il < 1 || il > MAX_ENTRIES) throw new IllegalArgumentException("header with " + il + " index entries");
        long storeStart = 8L + 16L * il;
        if (dl < 0 || storeStart + dl > blob.length) throw new IllegalArgumentException("header data store runs past the blob");
        Map<Integer, Entry> entries = new HashMap<>();
        for (int i = 0; i < il; i++) {
            int at = 8 + 16 * i;
            int tag = b.getInt(at), type = b.getInt(at + 4), off = b.getInt(at + 8), count = b.getInt(at + 12);
            if (off < 0 || off >= dl || count < 0 || count > dl) continue; // region tags and damaged entries
            entries.putIfAbsent(tag, new Entry(type, off, count));
        }
        ByteBuffer store = ByteBuffer.wrap(blob, (int) storeStart, dl).slice();
        return new RpmHeader(store, entries);
    }

    String string(int tag) {
        List<String> l = strings(tag);
        return l.isEmpty() ? null : l.get(0);
    }

    List<String> strings(int tag) {
        Entry e = entries.get(tag);
        if (e == null || (e.type != STRING && e.type != STRING_ARRAY && e.type != I18NSTRING)) return List.of();
        int n = e.type == STRING ? 1 : e.count;
        List<String> out = new ArrayList<>(Math.min(n, 4096));
        int pos = e.offset;
        for (int i = 0; i < n; i++) {
            int end = pos;
            while (end < data.limit() && data.get(end) != 0) end++;
            if (end >= data.limit()) break; // unterminated: the rest is damaged
            byte[] s = new byte[end - pos];
            data.get(pos, s);
            out.add(new String(s, StandardCharsets.UTF_8));
            pos = end + 1;
        }
        return out;
    }

    Integer int32(int tag) {
        int[] v = int32s(tag);
        return v.length == 0 ? null : v[0];
    }

    int[] int32s(int tag) {
        Entry e = entries.get(tag);
        if (e == null || e.type != INT32) return new int[0];
        if ((long) e.offset + 4L * e.count > data.limit()) return new int[0];
        int[] out = new int[e.count];
        for (int i = 0; i < e.count; i++) out[i] = data.getInt(e.offset + 4 * i);
        return out;
    }
}
