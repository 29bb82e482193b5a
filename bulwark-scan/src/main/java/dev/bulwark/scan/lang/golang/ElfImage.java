package dev.bulwark.scan.lang.golang;

import dev.bulwark.scan.analyzer.Elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an ELF file that map the program's virtual addresses to file offsets: loadable segments (program
 * headers) and sections with their addresses. Go's pre-1.18 build info is two pointers into the running program,
 * so reading it needs this. 32- and 64-bit, either byte order; every count and offset bounds-checked.
 */
final class ElfImage {
    private static final int PT_LOAD = 1;
    private static final int PF_X = 1, PF_W = 2;
    private static final int MAX_HEADERS = 4096;

    record Segment(int type, int flags, long offset, long vaddr, long filesz) {
    }

    record Section(String name, long addr, long offset, long size) {
    }

    final ByteOrder order;
    final boolean is64;
    final List<Segment> segments;
    final List<Section> sections;
    private final SeekableByteChannel ch;

    private ElfImage(SeekableByteChannel ch, ByteOrder order, boolean is64, List<Segment> segments, List<Section> sections) {
        this.ch = ch;
        this.order = order;
        this.is64 = is64;
        this.segments = segments;
        this.sections = sections;
    }

    /** The ELF headers of the file, or null when it is not an ELF file this can read. */
    static ElfImage read(SeekableByteChannel ch) throws IOException {
        ByteBuffer h = Elf.read(ch, 0, 64);
        if (h.limit() < 52 || h.get(0) != 0x7f || h.get(1) != 'E' || h.get(2) != 'L' || h.get(3) != 'F') return null;
        boolean is64 = h.get(4) == 2;
        if (h.get(4) != 1 && !is64 || is64 && h.limit() < 64) return null;
        ByteOrder order = h.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        h.order(order);
        long phoff = is64 ? h.getLong(0x20) : Integer.toUnsignedLong(h.getInt(0x1C));
        long shoff = is64 ? h.getLong(0x28) : Integer.toUnsignedLong(h.getInt(0x20));
        int phentsize = Short.toUnsignedInt(h.getShort(is64 ? 0x36 : 0x2A));
        int phnum = Short.toUnsignedInt(h.getShort(is64 ? 0x38 : 0x2C));
        int shentsize = Short.toUnsignedInt(h.getShort(is64 ? 0x3A : 0x2E));
        int shnum = Short.toUnsignedInt(h.getShort(is64 ? 0x3C : 0x30));
        int shstrndx = Short.toUnsignedInt(h.getShort(is64 ? 0x3E : 0x32));

        List<Segment> segments = new ArrayList<>();
        if (phoff > 0 && phnum > 0 && phnum <= MAX_HEADERS && phentsize >= (is64 ? 56 : 32) && phentsize <= 128) {
            ByteBuffer ph = Elf.read(ch, phoff, phentsize * phnum).order(order);
            for (int i = 0; (i + 1) * phentsize <= ph.limit(); i++) {
                int at = i * phentsize;
                segments.add(is64
                        ? new Segment(ph.getInt(at), ph.getInt(at + 4), ph.getLong(at + 8), ph.getLong(at + 16), ph.getLong(at + 32))
                        : new Segment(ph.getInt(at), ph.getInt(at + 24), u32(ph, at + 4), u32(ph, at + 8), u32(ph, at + 16)));
            }
        }
        List<Section> sections = new ArrayList<>();
        if (shoff > 0 && shnum > 0 && shnum <= MAX_HEADERS && shentsize >= (is64 ? 64 : 40) && shentsize <= 128 && shstrndx < shnum) {
            ByteBuffer sh = Elf.read(ch, shoff, shentsize * shnum).order(order);
            if (sh.limit() >= shentsize * shnum) {
                long[] names = addrOffsetSize(sh, shstrndx * shentsize, is64);
                ByteBuffer strtab = names[2] > 0 && names[2] <= (1 << 20) ? Elf.read(ch, names[1], (int) names[2]) : ByteBuffer.allocate(0);
                for (int i = 0; i < shnum; i++) {
                    long[] aos = addrOffsetSize(sh, i * shentsize, is64);
                    sections.add(new Section(cString(strtab, sh.getInt(i * shentsize)), aos[0], aos[1], aos[2]));
                }
            }
        }
        return new ElfImage(ch, order, is64, List.copyOf(segments), List.copyOf(sections));
    }

    Section section(String name) {
        for (Section s : sections) if (s.name().equals(name)) return s;
        return null;
    }

    /**
     * Where Go's linker put the build info: the ".go.buildinfo" section, or else (older linkers, stripped section
     * tables) the start of the first writable, non-executable loadable segment. -1 when there is neither.
     */
    long dataStart() {
        Section s = section(".go.buildinfo");
        if (s != null) return s.addr();
        for (Segment p : segments) if (p.type() == PT_LOAD && (p.flags() & (PF_X | PF_W)) == PF_W) return p.vaddr();
        return -1;
    }

    /**
     * Up to {@code len} bytes at virtual address {@code addr}, as far as the file holds them (a loadable segment,
     * else an allocated section); empty when the address is in none.
     */
    ByteBuffer readVirtual(long addr, int len) throws IOException {
        for (Segment p : segments) {
            if (p.type() == PT_LOAD && p.filesz() > 0 && Long.compareUnsigned(addr, p.vaddr()) >= 0
                    && Long.compareUnsigned(addr - p.vaddr(), p.filesz()) < 0) {
                long n = Math.min(len, p.filesz() - (addr - p.vaddr()));
                return Elf.read(ch, p.offset() + (addr - p.vaddr()), (int) n).order(order);
            }
        }
        for (Section s : sections) {
            if (s.addr() != 0 && s.size() > 0 && Long.compareUnsigned(addr, s.addr()) >= 0 && Long.compareUnsigned(addr - s.addr(), s.size()) < 0) {
                long n = Math.min(len, s.size() - (addr - s.addr()));
                return Elf.read(ch, s.offset() + (addr - s.addr()), (int) n).order(order);
            }
        }
        return ByteBuffer.allocate(0);
    }

    private static long[] addrOffsetSize(ByteBuffer sh, int at, boolean is64) {
        return is64 ? new long[]{sh.getLong(at + 0x10), sh.getLong(at + 0x18), sh.getLong(at + 0x20)}
                : new long[]{u32(sh, at + 0x0C), u32(sh, at + 0x10), u32(sh, at + 0x14)};
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }

    private static String cString(ByteBuffer b, int at) {
        if (at < 0 || at >= b.limit()) return "";
        int end = at;
        while (end < b.limit() && b.get(end) != 0) end++;
        byte[] s = new byte[end - at];
        b.get(at, s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
