package dev.bulwark.scan.analyzer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;

/** Just enough ELF to find a section by name, for 32- and 64-bit files of either byte order, bounds-checked. */
public final class Elf {
    /** Where a section's bytes are in the file. */
    public record Section(long offset, long size) {
    }

    private Elf() {
    }

    /** Whether these first bytes of a file are the ELF magic. */
    public static boolean isElf(byte[] head) {
        return head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
    }

    /** Whether the file starts with the ELF magic. */
    public static boolean isElf(SeekableByteChannel ch) throws IOException {
        ByteBuffer b = read(ch, 0, 4);
        return b.limit() == 4 && b.get(0) == 0x7f && b.get(1) == 'E' && b.get(2) == 'L' && b.get(3) == 'F';
    }

    /** Whether the ELF header names a section header table (stripped-down binaries may have none). */
    public static boolean hasSectionTable(SeekableByteChannel ch) throws IOException {
        ByteBuffer id = read(ch, 0, 64);
        if (id.limit() < 52) return false;
        boolean is64 = id.get(4) == 2;
        if (is64 && id.limit() < 64) return false;
        id.order(id.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long shoff = is64 ? id.getLong(0x28) : Integer.toUnsignedLong(id.getInt(0x20));
        int shnum = Short.toUnsignedInt(id.getShort(is64 ? 0x3C : 0x30));
        return shoff > 0 && shnum > 0 && shoff < ch.size();
    }

    /** The named section's bytes, or null when absent or larger than {@code max}. */
    public static byte[] sectionBytes(SeekableByteChannel ch, String wanted, int max) throws IOException {
        Section s = section(ch, wanted);
        if (s == null || s.size() <= 0 || s.size() > max) return null;
        ByteBuffer content = read(ch, s.offset(), (int) s.size());
        byte[] out = new byte[content.remaining()];
        content.get(out);
        return out;
    }

    /**
     * The named section, or null when the file has no section table or no such section.
     *
     * @throws IllegalArgumentException when the file is not ELF
     */
    public static Section section(SeekableByteChannel ch, String wanted) throws IOException {
        ByteBuffer id = read(ch, 0, 64);
        if (id.limit() < 52 || id.get(0) != 0x7f || id.get(1) != 'E' || id.get(2) != 'L' || id.get(3) != 'F')
            throw new IllegalArgumentException("not ELF");
        boolean is64 = id.get(4) == 2;
        if (is64 && id.limit() < 64) return null;
        id.order(id.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long shoff = is64 ? id.getLong(0x28) : Integer.toUnsignedLong(id.getInt(0x20));
        int shentsize = Short.toUnsignedInt(id.getShort(is64 ? 0x3A : 0x2E));
        int shnum = Short.toUnsignedInt(id.getShort(is64 ? 0x3C : 0x30));
        int shstrndx = Short.toUnsignedInt(id.getShort(is64 ? 0x3E : 0x32));
        if (shoff <= 0 || shnum == 0 || shentsize < (is64 ? 64 : 40) || shstrndx >= shnum) return null;
        ByteBuffer sh = read(ch, shoff, shentsize * shnum).order(id.order());
        if (sh.limit() < shentsize * shnum) return null;
        long[] strtab = offsetSize(sh, shstrndx * shentsize, is64);
        if (strtab[1] <= 0 || strtab[1] > (1 << 20)) return null;
        ByteBuffer names = read(ch, strtab[0], (int) strtab[1]);
        for (int i = 0; i < shnum; i++) {
            int nameOff = sh.getInt(i * shentsize);
            if (nameOff < 0 || nameOff >= names.limit()) continue;
            if (!wanted.equals(cString(names, nameOff))) continue;
            long[] os = offsetSize(sh, i * shentsize, is64);
            if (os[0] < 0 || os[1] < 0 || os[0] + os[1] > ch.size()) return null;
            return new Section(os[0], os[1]);
        }
        return null;
    }

    private static long[] offsetSize(ByteBuffer sh, int at, boolean is64) {
        return is64 ? new long[]{sh.getLong(at + 0x18), sh.getLong(at + 0x20)}
                : new long[]{Integer.toUnsignedLong(sh.getInt(at + 0x10)), Integer.toUnsignedLong(sh.getInt(at + 0x14))};
    }

    private static String cString(ByteBuffer b, int at) {
        int end = at;
        while (end < b.limit() && b.get(end) != 0) end++;
        byte[] s = new byte[end - at];
        b.get(at, s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** Up to {@code len} bytes at {@code pos}; fewer at the end of the file, none outside it. */
    public static ByteBuffer read(SeekableByteChannel ch, long pos, int len) throws IOException {
        if (pos < 0 || pos >= ch.size() || len <= 0) return ByteBuffer.allocate(0);
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(len, ch.size() - pos));
        ch.position(pos);
        while (b.hasRemaining() && ch.read(b) > 0) {
            // fill
        }
        b.flip();
        return b;
    }
}
