package dev.bulwark.scan.os.rpm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixture builder: a little-endian Berkeley DB hash file page by page, for layouts db_load does not produce
 * (values stored in place, chains shared by many items). Page formats as {@link BerkeleyDb} describes them.
 */
final class BdbBuilder {
    private final int pageSize;
    private final List<ByteBuffer> pages = new ArrayList<>();

    BdbBuilder(int pageSize) {
        this.pageSize = pageSize;
        pages.add(page()); // the metadata page, filled in by build()
    }

    private ByteBuffer page() {
        return ByteBuffer.allocate(pageSize).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Overflow pages holding {@code data}; returns the first page's number. */
    int overflow(byte[] data) {
        int per = pageSize - BerkeleyDb.PAGE_HEADER, first = pages.size();
        for (int at = 0; at < data.length || at == 0; at += per) {
            int pgno = pages.size(), len = Math.min(per, data.length - at);
            ByteBuffer p = page();
            p.putInt(8, pgno).putInt(12, at == 0 ? 0 : pgno - 1).putInt(16, at + per < data.length ? pgno + 1 : 0);
            p.putShort(20, (short) 1).putShort(22, (short) len).put(25, (byte) BerkeleyDb.P_OVERFLOW);
            p.put(BerkeleyDb.PAGE_HEADER, data, at, len);
            pages.add(p);
        }
        return first;
    }

    /** A hash page with these items (key, value, key, value...), laid out from the end of the page down. */
    BdbBuilder hashPage(List<byte[]> items) {
        int pgno = pages.size();
        ByteBuffer p = page();
        int top = pageSize;
        for (int i = 0; i < items.size(); i++) {
            top -= items.get(i).length;
            p.put(top, items.get(i));
            p.putShort(BerkeleyDb.PAGE_HEADER + 2 * i, (short) top);
        }
        p.putInt(8, pgno).putShort(20, (short) items.size()).putShort(22, (short) top).put(25, (byte) BerkeleyDb.P_HASH);
        pages.add(p);
        return this;
    }

    byte[] build() {
        ByteBuffer meta = pages.get(0);
        meta.putInt(12, BerkeleyDb.HASH_MAGIC).putInt(16, 9).putInt(20, pageSize).put(25, (byte) BerkeleyDb.P_HASHMETA);
        meta.putInt(32, pages.size() - 1);
        ByteBuffer out = ByteBuffer.allocate(pageSize * pages.size());
        pages.forEach(p -> out.put(p.array()));
        return out.array();
    }

    static byte[] key(int hnum) {
        return ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN).put((byte) BerkeleyDb.H_KEYDATA).putInt(hnum).array();
    }

    static byte[] inPlace(byte[] value) {
        byte[] item = new byte[value.length + 1];
        item[0] = BerkeleyDb.H_KEYDATA;
        System.arraycopy(value, 0, item, 1, value.length);
        return item;
    }

    static byte[] offPage(int pgno, int length) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).put((byte) BerkeleyDb.H_OFFPAGE).put(new byte[3])
                .putInt(pgno).putInt(length).array();
    }
}
