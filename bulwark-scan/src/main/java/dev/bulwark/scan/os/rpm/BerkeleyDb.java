package dev.bulwark.scan.os.rpm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.BitSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Reads the values of a Berkeley DB hash database — the format of rpm's /var/lib/rpm/Packages before rpm 4.16 —
 * straight from its pages, without libdb. Facts from Berkeley DB's on-disk format (db_page.h):
 * <ul>
 *   <li>page 0 is the hash metadata page: magic 0x061561 at 12 (its byte order is the file's), page size at 20,
 *       encryption algorithm at 24, page type 8 at 25, flags at 26 (1 = page checksums), last page number at 32;</li>
 *   <li>every page starts with a 26-byte header: page number at 8, previous at 12, next at 16, number of entries at
 *       20, "high free offset" at 22 (on overflow pages: the bytes of data on the page), type at 25; checksummed
 *       databases add 6 bytes (encrypted ones more: not read);</li>
 *   <li>hash pages (type 13, or 2 before Berkeley DB 4.6) hold after the header an array of 16-bit item offsets,
 *       key and value alternating; items are laid out from the end of the page down, so an item ends where the one
 *       before it in the array starts (the first ends at the end of the page). An item starts with its type byte:
 *       1 = data in place, 3 = off-page (4-byte page number at 4, 4-byte total length at 8);</li>
 *   <li>overflow pages (type 7) chain through their next-page field and carry their data after the header.</li>
 * </ul>
 * Pages are scanned in order, as rpm's read-only backend does; a hostile file costs at most one pass over its pages
 * plus each overflow page once per chain, and every chain is checked for loops and for running past the file.
 */
final class BerkeleyDb {
    static final int HASH_MAGIC = 0x061561, BTREE_MAGIC = 0x053162;
    static final int P_HASH_UNSORTED = 2, P_OVERFLOW = 7, P_HASHMETA = 8, P_HASH = 13;
    static final int H_KEYDATA = 1, H_DUPLICATE = 2, H_OFFPAGE = 3, H_OFFDUP = 4;
    static final int PAGE_HEADER = 26, CHECKSUM_HEADER = 32;

    private final SeekableByteChannel ch;
    private final ByteOrder order;
    private final int pageSize, overhead;
    private final long lastPage;
    private final int maxValue;
    private final Consumer<String> warn;
    /**
     * Overflow pages left to read. In a sound database every overflow page belongs to one chain, so the chains
     * together read each page once; chains that share pages (a hostile file) are stopped at twice that.
     */
    private long overflowBudget;

    private BerkeleyDb(SeekableByteChannel ch, ByteOrder order, int pageSize, int overhead, long lastPage, int maxValue, Consumer<String> warn) {
        this.ch = ch;
        this.order = order;
        this.pageSize = pageSize;
        this.overhead = overhead;
        this.lastPage = lastPage;
        this.maxValue = maxValue;
        this.warn = warn;
        this.overflowBudget = 2 * lastPage + 16;
    }

    /** Whether these first bytes (at least 16) are a Berkeley DB hash metadata page, in either byte order. */
    static boolean isHash(ByteBuffer head) {
        if (head.limit() < 16) return false;
        int magic = head.order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        return magic == HASH_MAGIC || Integer.reverseBytes(magic) == HASH_MAGIC;
    }

    /**
     * Calls {@code sink} with (key in hex, value) for every record whose value could be read; problems go to
     * {@code warn}. Values longer than {@code maxValue} bytes are refused.
     */
    static void read(SeekableByteChannel ch, int maxValue, BiConsumer<String, byte[]> sink, Consumer<String> warn) throws IOException {
        long size = ch.size();
        ByteBuffer meta = page(ch, 0, 512, size);
        if (meta.limit() < 36) {
            warn.accept("too short for a Berkeley DB file (" + size + " bytes)");
            return;
        }
        meta.order(ByteOrder.LITTLE_ENDIAN);
        int magic = meta.getInt(12);
        if (Integer.reverseBytes(magic) == HASH_MAGIC || Integer.reverseBytes(magic) == BTREE_MAGIC) meta.order(ByteOrder.BIG_ENDIAN);
        magic = meta.getInt(12);
        if (magic == BTREE_MAGIC) {
            warn.accept("a Berkeley DB btree, not the hash database rpm keeps its packages in; not read");
            return;
        }
        if (magic != HASH_MAGIC) {
            warn.accept("not a Berkeley DB hash database (magic 0x" + Integer.toHexString(magic) + ")");
            return;
        }
        int pageSize = meta.getInt(20);
        if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            warn.accept("Berkeley DB page size " + pageSize + " is not a power of two from 512 to 65536");
            return;
        }
        if (meta.get(24) != 0) {
            warn.accept("the Berkeley DB database is encrypted; not read");
            return;
        }
        if (meta.get(25) != P_HASHMETA) {
            warn.accept("page 0 is of type " + meta.get(25) + ", not a hash metadata page");
            return;
        }
        int overhead = (meta.get(26) & 1) != 0 ? CHECKSUM_HEADER : PAGE_HEADER;
        long last = Integer.toUnsignedLong(meta.getInt(32));
        long inFile = size / pageSize - 1;
        if (last > inFile) {
            warn.accept("the database declares pages up to " + last + " but the file holds pages up to " + inFile + " (truncated?)");
            last = inFile;
        }
        new BerkeleyDb(ch, meta.order(), pageSize, overhead, last, maxValue, warn).scan(sink);
    }

    private void scan(BiConsumer<String, byte[]> sink) throws IOException {
        for (long pgno = 1; pgno <= lastPage && overflowBudget >= 0; pgno++) {
            ByteBuffer p = page(pgno);
            int type = p.get(25);
            if (type == P_HASH || type == P_HASH_UNSORTED) hashPage(pgno, p, sink);
        }
    }

    /** The key/value pairs of one hash page. */
    private void hashPage(long pgno, ByteBuffer p, BiConsumer<String, byte[]> sink) throws IOException {
        int entries = Short.toUnsignedInt(p.getShort(20));
        int indexEnd = overhead + 2 * entries;
        if (entries % 2 != 0 || indexEnd > pageSize) {
            warn.accept("hash page " + pgno + " declares " + entries + " items, which cannot be key/value pairs on a " + pageSize + "-byte page; skipped");
            return;
        }
        for (int i = 0; i < entries; i += 2) {
            int keyAt = itemOffset(p, i), keyEnd = i == 0 ? pageSize : itemOffset(p, i - 1);
            int valueAt = itemOffset(p, i + 1);
            if (keyAt < indexEnd || keyAt >= keyEnd || valueAt < indexEnd || valueAt >= keyAt || keyEnd > pageSize) {
                warn.accept("hash page " + pgno + ", item " + i + ": offsets outside the page's item area; rest of page skipped");
                return;
            }
            if (p.get(keyAt) != H_KEYDATA) {
                warn.accept("hash page " + pgno + ", item " + i + ": key of type " + p.get(keyAt) + "; skipped");
                continue;
            }
            byte[] key = new byte[keyEnd - keyAt - 1];
            p.get(keyAt + 1, key);
            if (isZero(key)) continue; // rpm's record 0 holds the last instance number, not a package
            String where = "page " + pgno + " key " + hex(key);
            byte[] value = value(p, valueAt, keyAt, where);
            if (value != null) sink.accept(where, value);
        }
    }

    /** The value item at {@code at} (ending at {@code end}): in place, or on a chain of overflow pages. */
    private byte[] value(ByteBuffer p, int at, int end, String where) throws IOException {
        int type = p.get(at);
        if (type == H_KEYDATA) {
            byte[] v = new byte[end - at - 1];
            p.get(at + 1, v);
            return v;
        }
        if (type == H_DUPLICATE || type == H_OFFDUP) {
            warn.accept(where + ": duplicate values, which rpm never writes; skipped");
            return null;
        }
        if (type != H_OFFPAGE) {
            warn.accept(where + ": value of unknown item type " + type + "; skipped");
            return null;
        }
        if (end - at < 12) {
            warn.accept(where + ": off-page reference shorter than 12 bytes; skipped");
            return null;
        }
        long first = Integer.toUnsignedLong(p.getInt(at + 4));
        long total = Integer.toUnsignedLong(p.getInt(at + 8));
        if (total > maxValue) {
            warn.accept(where + ": value of " + total + " bytes, over the " + maxValue + "-byte limit; skipped");
            return null;
        }
        return overflow(first, (int) total, where);
    }

    /** Follows an overflow chain, refusing loops, pages past the end and pages of other types. */
    private byte[] overflow(long first, int total, String where) throws IOException {
        byte[] out = new byte[total];
        int have = 0;
        BitSet seen = new BitSet();
        long pgno = first;
        while (have < total) {
            if (pgno == 0) {
                warn.accept(where + ": overflow chain ends after " + have + " of " + total + " bytes; skipped");
                return null;
            }
            if (pgno > lastPage) {
                warn.accept(where + ": overflow chain points at page " + pgno + ", past the last page " + lastPage + "; skipped");
                return null;
            }
            if (seen.get((int) pgno)) {
                warn.accept(where + ": overflow chain loops back to page " + pgno + "; skipped");
                return null;
            }
            seen.set((int) pgno);
            if (--overflowBudget < 0) {
                if (overflowBudget == -1) warn.accept(where + ": overflow chains revisit the same pages; no more values read");
                return null;
            }
            ByteBuffer p = page(pgno);
            if (p.get(25) != P_OVERFLOW) {
                warn.accept(where + ": overflow chain reaches page " + pgno + " of type " + p.get(25) + "; skipped");
                return null;
            }
            int len = Short.toUnsignedInt(p.getShort(22));
            if (len > pageSize - overhead) {
                warn.accept(where + ": overflow page " + pgno + " claims " + len + " bytes of data; skipped");
                return null;
            }
            int take = Math.min(len, total - have);
            p.get(overhead, out, have, take);
            have += take;
            pgno = Integer.toUnsignedLong(p.getInt(16));
        }
        return out;
    }

    private int itemOffset(ByteBuffer p, int index) {
        return Short.toUnsignedInt(p.getShort(overhead + 2 * index));
    }

    private ByteBuffer page(long pgno) throws IOException {
        ByteBuffer p = page(ch, pgno * pageSize, pageSize, Long.MAX_VALUE).order(order);
        if (p.limit() < pageSize) throw new IOException("short read of page " + pgno);
        return p;
    }

    private static ByteBuffer page(SeekableByteChannel ch, long at, int len, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.max(0, Math.min(len, Math.min(size, ch.size()) - at)));
        ch.position(at);
        while (b.hasRemaining() && ch.read(b) > 0) {
            // fill
        }
        b.flip();
        return b;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 16); i++) s.append(String.format("%02x", b[i]));
        return s.toString();
    }
}
