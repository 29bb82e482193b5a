package dev.bulwark.scan.os.rpm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An rpm header as package databases store it (without the 8-byte magic of a header in an .rpm file): the number of
 * index entries and the size of the data store (big-endian int32s), the entries (tag, type, offset, count), then the
 * data store. A database is untrusted input, so {@link #parse} checks what rpm's own header loader checks — known
 * types, offsets inside the store, aligned numbers, fixed-size data inside the store — and, for the tags Bulwark
 * reads, that every string ends inside the store. Anything else is refused with an IllegalArgumentException.
 */
public final class RpmHeader {
    public static final int NAME = 1000, VERSION = 1001, RELEASE = 1002, EPOCH = 1003, SUMMARY = 1004, VENDOR = 1011,
            LICENSE = 1014, ARCH = 1022, OLDFILENAMES = 1027, SOURCERPM = 1044, DIRINDEXES = 1116, BASENAMES = 1117,
            DIRNAMES = 1118;
    /** rpm's own limits (HEADER_TAGS_MAX, HEADER_DATA_MAX). */
    static final int MAX_ENTRIES = 0xffff, MAX_DATA = 0x0fffffff;
    /** Strings decoded for one tag: packages with the most files (TeX Live, kernel sources) have about 100 000. */
    static final int MAX_STRINGS = 1_000_000;
    static final int NULL = 0, CHAR = 1, INT8 = 2, INT16 = 3, INT32 = 4, INT64 = 5, STRING = 6, BIN = 7,
            STRING_ARRAY = 8, I18NSTRING = 9;
    /** Tags whose strings are decoded and checked at parse time; the others are never read. */
    private static final Set<Integer> READ = Set.of(NAME, VERSION, RELEASE, SUMMARY, VENDOR, LICENSE, ARCH, OLDFILENAMES,
            SOURCERPM, BASENAMES, DIRNAMES);

    private record Entry(int type, int offset, int count) {
    }

    private final ByteBuffer store;
    private final Map<Integer, Entry> entries;
    private final Map<Integer, List<String>> strings = new HashMap<>();

    private RpmHeader(ByteBuffer store, Map<Integer, Entry> entries) {
        this.store = store;
        this.entries = entries;
    }

    /** @throws IllegalArgumentException naming the first problem, for a blob that is not a well-formed header */
    public static RpmHeader parse(byte[] blob) {
        if (blob.length < 8) throw new IllegalArgumentException("header of " + blob.length + " bytes, shorter than its 8-byte preamble");
        ByteBuffer b = ByteBuffer.wrap(blob); // big-endian, as rpm writes headers on every platform
        int il = b.getInt(0), dl = b.getInt(4);
        if (il < 1 || il > MAX_ENTRIES) throw new IllegalArgumentException("header declares " + Integer.toUnsignedString(il) + " index entries (1 to " + MAX_ENTRIES + " allowed)");
        if (dl < 0 || dl > MAX_DATA) throw new IllegalArgumentException("header declares a data store of " + Integer.toUnsignedString(dl) + " bytes");
        long storeStart = 8L + 16L * il;
        if (storeStart + dl > blob.length)
            throw new IllegalArgumentException("header of " + il + " entries and " + dl + " data bytes needs " + (storeStart + dl) + " bytes, blob has " + blob.length);
        Map<Integer, Entry> entries = new HashMap<>();
        for (int i = 0; i < il; i++) {
            int at = 8 + 16 * i;
            int tag = b.getInt(at), type = b.getInt(at + 4), off = b.getInt(at + 8), count = b.getInt(at + 12);
            check(tag, type, off, count, dl);
            entries.putIfAbsent(tag, new Entry(type, off, count));
        }
        RpmHeader h = new RpmHeader(ByteBuffer.wrap(blob, (int) storeStart, dl).slice(), entries);
        for (int tag : READ) h.strings.put(tag, h.decodeStrings(tag));
        return h;
    }

    private static void check(int tag, int type, int off, int count, int dl) {
        String what = "tag " + tag;
        if (type < NULL || type > I18NSTRING) throw new IllegalArgumentException(what + " has unknown type " + type);
        if (off < 0 || off > dl) throw new IllegalArgumentException(what + " points at offset " + off + ", outside the " + dl + "-byte data store");
        if (count < 0 || count > dl) throw new IllegalArgumentException(what + " declares " + Integer.toUnsignedString(count) + " values in a " + dl + "-byte data store");
        int size = switch (type) {
            case CHAR, INT8, BIN -> 1;
            case INT16 -> 2;
            case INT32 -> 4;
            case INT64 -> 8;
            default -> 0; // NULL and strings: checked where read
        };
        if (size > 1 && off % size != 0) throw new IllegalArgumentException(what + " has a misaligned offset " + off);
        if ((long) off + (long) size * count > dl) throw new IllegalArgumentException(what + " runs past the end of the data store");
        if (type == STRING && count != 1) throw new IllegalArgumentException(what + " is a single string with count " + count);
        if ((type == STRING || type == STRING_ARRAY || type == I18NSTRING) && count > 0 && off >= dl)
            throw new IllegalArgumentException(what + " has its strings at the end of the data store");
    }

    /** The strings of a string-typed tag (the first locale's only, for I18N strings); empty when absent or not strings. */
    private List<String> decodeStrings(int tag) {
        Entry e = entries.get(tag);
        if (e == null || (e.type != STRING && e.type != STRING_ARRAY && e.type != I18NSTRING)) return List.of();
        if (e.count > MAX_STRINGS) throw new IllegalArgumentException("tag " + tag + " declares " + e.count + " strings, over the limit of " + MAX_STRINGS);
        List<String> out = new ArrayList<>(Math.min(e.count, 1024));
        int pos = e.offset;
        for (int i = 0; i < e.count; i++) {
            int end = pos;
            while (end < store.limit() && store.get(end) != 0) end++;
            if (end >= store.limit()) throw new IllegalArgumentException("tag " + tag + ": string " + (i + 1) + " of " + e.count + " is not terminated inside the data store");
            byte[] s = new byte[end - pos];
            store.get(pos, s);
            out.add(new String(s, StandardCharsets.UTF_8));
            pos = end + 1;
        }
        return e.type == I18NSTRING && !out.isEmpty() ? List.of(out.get(0)) : out;
    }

    /** The first string of a tag, or null. */
    public String string(int tag) {
        List<String> l = strings(tag);
        return l.isEmpty() ? null : l.get(0);
    }

    /** The strings of one of the tags in {@code READ}; empty for others. */
    public List<String> strings(int tag) {
        return strings.getOrDefault(tag, List.of());
    }

    /** The first number of an INT32 tag, or null. */
    public Integer int32(int tag) {
        int[] v = int32s(tag);
        return v.length == 0 ? null : v[0];
    }

    /** The numbers of an INT32 tag (checked to lie inside the store at parse time); empty when absent or not INT32. */
    public int[] int32s(int tag) {
        Entry e = entries.get(tag);
        if (e == null || e.type != INT32) return new int[0];
        int[] out = new int[e.count];
        for (int i = 0; i < e.count; i++) out[i] = store.getInt(e.offset + 4 * i);
        return out;
    }
}
