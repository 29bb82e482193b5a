package dev.bulwark.scan.lang.golang;

import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.Elf;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.lang.Purls;
import dev.bulwark.scan.lang.golang.GoBuildInfo.Module;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Go executables (ELF): the build information the Go linker embeds, found as Go's own debug/buildinfo finds it (the
 * ".go.buildinfo" section, else the first writable segment; the "\xff Go buildinf:" header 16-byte aligned in its
 * first 64 KiB), in both layouts: Go 1.18+ inline strings, and the older two pointers to Go strings, read through
 * the program's segments. Packages: the main module (property "role"="main"), every dependency as the binary holds
 * it (a replacement's path and version), and the standard library as "stdlib" at the toolchain's version, whose
 * vulnerabilities are the binary's too. Every package has the property "goVersion".
 */
public final class GoBinaryAnalyzer implements Analyzer {
    private static final int SEARCH = 64 << 10;
    private static final int HEADER = 32;
    private static final int MAX_STRING = 4 << 20;

    @Override
    public String type() {
        return "gobinary";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        return (mode & 0111) != 0 && size > 1024 && size < (512L << 20);
    }

    @Override
    public boolean accepts(byte[] head) {
        return Elf.isElf(head);
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        String[] raw;
        try (SeekableByteChannel ch = in.channel()) {
            ElfImage elf = ElfImage.read(ch);
            if (elf == null) return null;
            raw = rawBuildInfo(elf);
        } catch (Malformed e) {
            return FileResult.warning(type(), in.path(), e.getMessage());
        }
        if (raw == null) return null; // not a Go program
        GoBuildInfo info = GoBuildInfo.parse(raw[0], GoBuildInfo.stripSentinels(raw[1]));
        return FileResult.ofPackages(type(), in.path(), packages(info, in.path()));
    }

    /** The Go version and modinfo strings, or null when the binary has no Go build info. */
    static String[] rawBuildInfo(ElfImage elf) throws IOException, Malformed {
        long start = elf.dataStart();
        if (start == -1) return null;
        ByteBuffer data = elf.readVirtual(start, SEARCH);
        int at = -1;
        for (int i = 0; i + HEADER <= data.limit(); i += 16) {
            if (magicAt(data, i)) {
                at = i;
                break;
            }
        }
        if (at < 0) return null;
        int ptrSize = data.get(at + 14);
        int flags = data.get(at + 15);
        String version, modinfo;
        if ((flags & 2) != 0) {
            // Go 1.18+: the strings follow the header, each after its uvarint length
            long next = start + at + HEADER;
            ByteBuffer first = inlineString(elf, next);
            version = first == null ? null : GoBuildInfo.varString(first);
            ByteBuffer second = first == null ? null : inlineString(elf, next + first.limit());
            modinfo = second == null ? null : GoBuildInfo.varString(second);
        } else {
            if (ptrSize != 4 && ptrSize != 8) throw new Malformed("Go build info with a pointer size of " + ptrSize);
            ByteOrder order = flags != 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            ByteBuffer h = data.duplicate().order(order);
            version = goString(elf, ptr(h, at + 16, ptrSize), ptrSize, order);
            modinfo = goString(elf, ptr(h, at + 16 + ptrSize, ptrSize), ptrSize, order);
        }
        if (version == null || version.isEmpty()) throw new Malformed("Go build info whose version cannot be read");
        return new String[]{version, modinfo == null ? "" : modinfo};
    }

    /** The bytes of one length-prefixed string at a virtual address (prefix included), read no further; null when too long. */
    private static ByteBuffer inlineString(ElfImage elf, long addr) throws IOException {
        ByteBuffer prefix = elf.readVirtual(addr, 10);
        long len = 0;
        int n = 0;
        for (int shift = 0; n < prefix.limit(); shift += 7) {
            int x = prefix.get(n++) & 0xff;
            len |= (long) (x & 0x7f) << shift;
            if (x < 0x80) break;
            if (shift >= 63) return null;
        }
        if (len < 0 || len > MAX_STRING) return null;
        return elf.readVirtual(addr, (int) (n + len));
    }

    private static boolean magicAt(ByteBuffer b, int i) {
        for (int j = 0; j < GoBuildInfo.MAGIC.length; j++) if (b.get(i + j) != GoBuildInfo.MAGIC[j]) return false;
        return true;
    }

    private static long ptr(ByteBuffer b, int at, int size) {
        return size == 4 ? Integer.toUnsignedLong(b.getInt(at)) : b.getLong(at);
    }

    /** A Go string header (data pointer, length) at a virtual address, and the bytes it points to; null when unreadable. */
    private static String goString(ElfImage elf, long addr, int ptrSize, ByteOrder order) throws IOException {
        ByteBuffer h = elf.readVirtual(addr, 2 * ptrSize).order(order);
        if (h.limit() < 2 * ptrSize) return null;
        long data = ptr(h, 0, ptrSize), len = ptr(h, ptrSize, ptrSize);
        if (len < 0 || len > MAX_STRING) return null;
        ByteBuffer s = elf.readVirtual(data, (int) len);
        if (s.limit() < len) return null;
        byte[] bytes = new byte[(int) len];
        s.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static List<Package> packages(GoBuildInfo info, String path) {
        List<Package> out = new ArrayList<>();
        Map<String, String> common = Map.of("goVersion", info.goVersion());
        Module main = info.main();
        if (main != null) {
            Map<String, String> props = new LinkedHashMap<>(common);
            props.put("role", "main");
            String version = main.version();
            String stamped = info.ldflagsVersion();
            if (stamped != null && (version.isEmpty() || version.equals("(devel)") || version.startsWith("v0.0.0-"))) {
                version = stamped;
                props.put("versionSource", "ldflags");
            }
            for (String k : List.of("vcs.revision", "vcs.time")) if (info.settings().containsKey(k)) props.put(k, info.settings().get(k));
            out.add(pkg(main.path(), version, path, props));
        }
        for (Module d : info.deps()) {
            Module r = d.replace();
            Map<String, String> props = new LinkedHashMap<>(common);
            if (r != null && !r.version().isEmpty()) {
                // the replacement's code is what the binary holds
                props.put("replaces", d.path() + "@" + d.version());
                out.add(pkg(r.path(), r.version(), path, props));
            } else {
                // replaced by a local directory (no version): the declared module, noted as not what it says
                if (r != null) props.put("replacedBy", r.path());
                out.add(pkg(d.path(), d.version(), path, props));
            }
        }
        String std = info.stdlibVersion();
        if (std != null) out.add(pkg("stdlib", std, path, common));
        return out;
    }

    private static Package pkg(String module, String version, String path, Map<String, String> props) {
        int slash = module.lastIndexOf('/');
        String purl = slash > 0 ? Purls.of("golang", module.substring(0, slash), module.substring(slash + 1), version)
                : Purls.of("golang", null, module, version);
        return new Package(PackageType.GOLANG, module, version, purl, null, List.of(), null, List.of(path), props);
    }

    /** A Go build info header that cannot be decoded: a warning, not an exception. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }
}
