package dev.bulwark.scan.os.rpm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.zip.Adler32;

/**
 * Reads the package blobs of rpm's "ndb" database (Packages.db; SUSE since 2021). Facts from rpm's
 * lib/backend/ndb/rpmpkg.c; all numbers are little-endian:
 * <ul>
 *   <li>a 32-byte header: magic "RpmP", version 0, generation, number of 4 KiB slot pages, next package index;</li>
 *   <li>the slot pages follow (the header takes the first two slots of the first): 16-byte slots of magic "Slot",
 *       package index, block offset, block count; block offset 0 marks a free slot;</li>
 *   <li>a package's blob lives at block offset × 16: a 16-byte head (magic "BlbS", package index, timestamp, length),
 *       the header blob, zero padding to a whole block, and a 12-byte tail (Adler-32 of everything before it,
 *       length, magic "BlbE"); the block count covers head, blob and tail.</li>
 * </ul>
 * Every slot is checked against the file before its blob is read, and every blob against its head, tail and checksum.
 */
final class Ndb {
    static final int HEADER_MAGIC = 'R' | 'p' << 8 | 'm' << 16 | 'P' << 24;
    static final int SLOT_MAGIC = 'S' | 'l' << 8 | 'o' << 16 | 't' << 24;
    static final int BLOB_HEAD_MAGIC = 'B' | 'l' << 8 | 'b' << 16 | 'S' << 24;
    static final int BLOB_TAIL_MAGIC = 'B' | 'l' << 8 | 'b' << 16 | 'E' << 24;
    static final int PAGE = 4096, SLOT = 16, BLOCK = 16, HEAD = 16, TAIL = 12;

    private Ndb() {
    }

    static boolean isNdb(ByteBuffer head) {
        return head.limit() >= 4 && head.order(ByteOrder.LITTLE_ENDIAN).getInt(0) == HEADER_MAGIC;
    }

    /** Calls {@code sink} with (slot description, blob) for every package blob that checks out. */
    static void read(SeekableByteChannel ch, int maxBlob, BiConsumer<String, byte[]> sink, Consumer<String> warn) throws IOException {
        long size = ch.size();
        ByteBuffer header = size < 32 ? null : read(ch, 0, 32);
        if (header == null || header.getInt(0) != HEADER_MAGIC) {
            warn.accept("not an rpm ndb database (no \"RpmP\" header)");
            return;
        }
        int version = header.getInt(4);
        if (version != 0) {
            warn.accept("rpm ndb database version " + version + " is not supported (only 0)");
            return;
        }
        long slotPages = Integer.toUnsignedLong(header.getInt(12));
        if (slotPages == 0 || slotPages * PAGE > size) {
            warn.accept("the database declares " + slotPages + " slot pages; the " + size + "-byte file holds " + size / PAGE);
            if (slotPages == 0 || size < PAGE) return;
            slotPages = size / PAGE; // read what is there: the slots that remain may still be sound
        }
        long firstBlock = slotPages * (PAGE / BLOCK), fileBlocks = size / BLOCK;
        long slotNo = 0;
        for (long page = 0; page < slotPages; page++) {
            ByteBuffer slots = read(ch, page * PAGE, PAGE);
            for (int o = page == 0 ? 32 : 0; o < PAGE; o += SLOT, slotNo++) {
                if (slots.getInt(o) != SLOT_MAGIC) {
                    warn.accept("slot " + slotNo + " lacks the slot magic: the slot table is damaged; no further slots read");
                    return;
                }
                long blkoff = Integer.toUnsignedLong(slots.getInt(o + 8));
                if (blkoff == 0) continue; // a free slot
                long pkgidx = Integer.toUnsignedLong(slots.getInt(o + 4));
                long blkcnt = Integer.toUnsignedLong(slots.getInt(o + 12));
                String where = "package " + pkgidx;
                if (pkgidx == 0 || blkcnt < (HEAD + TAIL + BLOCK - 1) / BLOCK || blkoff < firstBlock || blkoff + blkcnt > fileBlocks) {
                    warn.accept(where + ": slot " + slotNo + " points at blocks " + blkoff + "+" + blkcnt + ", outside the data area of "
                            + firstBlock + " to " + fileBlocks + "; skipped");
                    continue;
                }
                if (blkcnt * BLOCK > (long) maxBlob + HEAD + TAIL + BLOCK) {
                    warn.accept(where + ": blob of " + blkcnt * BLOCK + " bytes, over the " + maxBlob + "-byte limit; skipped");
                    continue;
                }
                byte[] blob = blob(read(ch, blkoff * BLOCK, (int) (blkcnt * BLOCK)), pkgidx, where, warn);
                if (blob != null) sink.accept(where, blob);
            }
        }
    }

    /** The blob inside a slot's blocks, after checking its head, tail and Adler-32; null (with a warning) otherwise. */
    private static byte[] blob(ByteBuffer b, long pkgidx, String where, Consumer<String> warn) {
        int total = b.limit();
        if (b.getInt(0) != BLOB_HEAD_MAGIC || Integer.toUnsignedLong(b.getInt(4)) != pkgidx) {
            warn.accept(where + ": its blocks do not start with this package's blob head; skipped");
            return null;
        }
        long len = Integer.toUnsignedLong(b.getInt(12));
        if ((HEAD + len + TAIL + BLOCK - 1) / BLOCK * BLOCK != total) {
            warn.accept(where + ": blob length " + len + " does not fit its " + total + "-byte slot; skipped");
            return null;
        }
        int tail = total - TAIL;
        Adler32 adler = new Adler32();
        adler.update(b.array(), 0, tail);
        if ((int) adler.getValue() != b.getInt(tail) || Integer.toUnsignedLong(b.getInt(tail + 4)) != len || b.getInt(tail + 8) != BLOB_TAIL_MAGIC) {
            warn.accept(where + ": blob tail or checksum does not match; skipped");
            return null;
        }
        byte[] out = new byte[(int) len];
        b.get(HEAD, out);
        return out;
    }

    /** Exactly {@code len} bytes at {@code at} (the caller has checked they are in the file), little-endian. */
    private static ByteBuffer read(SeekableByteChannel ch, long at, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        ch.position(at);
        while (b.hasRemaining() && ch.read(b) > 0) {
            // fill
        }
        if (b.hasRemaining()) throw new IOException("short read at offset " + at);
        return b.flip();
    }
}
