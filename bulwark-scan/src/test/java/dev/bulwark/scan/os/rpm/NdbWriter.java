package dev.bulwark.scan.os.rpm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.Adler32;

/**
 * Test fixture builder: writes an rpm ndb Packages.db holding the given header blobs, laid out as rpm's
 * lib/backend/ndb/rpmpkg.c lays them out (Debian's rpm has no ndb backend to make one with).
 */
final class NdbWriter {
    private NdbWriter() {
    }

    /** Package indexes are 1, 2, 3...; blobs follow the slot pages in order. */
    static byte[] write(List<byte[]> blobs) {
        int slotPages = (2 + blobs.size() + 255) / 256;
        int dataStart = slotPages * Ndb.PAGE;
        int size = dataStart;
        for (byte[] b : blobs) size += blocks(b.length) * Ndb.BLOCK;
        ByteBuffer f = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        f.putInt(0, Ndb.HEADER_MAGIC).putInt(4, 0).putInt(8, 1).putInt(12, slotPages).putInt(16, blobs.size() + 1);
        for (int slot = 2; slot < slotPages * 256; slot++) f.putInt(slot * Ndb.SLOT, Ndb.SLOT_MAGIC); // empty slots
        int at = dataStart;
        for (int i = 0; i < blobs.size(); i++) {
            byte[] blob = blobs.get(i);
            int pkgidx = i + 1, blocks = blocks(blob.length);
            int slot = (2 + i) * Ndb.SLOT;
            f.putInt(slot + 4, pkgidx).putInt(slot + 8, at / Ndb.BLOCK).putInt(slot + 12, blocks);
            f.putInt(at, Ndb.BLOB_HEAD_MAGIC).putInt(at + 4, pkgidx).putInt(at + 8, 1_700_000_000).putInt(at + 12, blob.length);
            f.put(at + Ndb.HEAD, blob);
            int tail = at + blocks * Ndb.BLOCK - Ndb.TAIL;
            Adler32 adler = new Adler32();
            adler.update(f.array(), at, tail - at);
            f.putInt(tail, (int) adler.getValue()).putInt(tail + 4, blob.length).putInt(tail + 8, Ndb.BLOB_TAIL_MAGIC);
            at += blocks * Ndb.BLOCK;
        }
        return f.array();
    }

    static int blocks(int blobLength) {
        return (Ndb.HEAD + blobLength + Ndb.TAIL + Ndb.BLOCK - 1) / Ndb.BLOCK;
    }
}
