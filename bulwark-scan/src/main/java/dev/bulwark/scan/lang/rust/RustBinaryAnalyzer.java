package dev.bulwark.scan.lang.rust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Rust executables built with cargo-auditable: the ELF section ".dep-v0" holds the dependency tree as
 * zlib-compressed JSON ({"packages":[{"name","version","source","kind","root"}]}).
 */
public final class RustBinaryAnalyzer implements Analyzer {
    private static final String SECTION = ".dep-v0";
    private static final int MAX_SECTION = 8 << 20;
    private static final int MAX_JSON = 32 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String type() {
        return "rustbinary";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        return (mode & 0111) != 0 && size > 1024 && size < (512L << 20);
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        byte[] section;
        try (SeekableByteChannel ch = in.channel()) {
            section = Elf.section(ch, SECTION, MAX_SECTION);
        } catch (IllegalArgumentException e) {
            return null; // not an ELF file we can read: not a Rust binary for us
        }
        if (section == null) return null;
        byte[] json;
        try {
            json = inflate(section);
        } catch (DataFormatException | IllegalArgumentException e) {
            return FileResult.warning(type(), in.path(), ".dep-v0 is not zlib data (" + e.getMessage() + ")");
        }
        JsonNode root = JSON.readTree(json);
        List<Package> out = new ArrayList<>();
        for (JsonNode p : root.path("packages")) {
            String name = p.path("name").asText(""), version = p.path("version").asText("");
            if (name.isEmpty() || version.isEmpty()) continue;
            if ("build".equals(p.path("kind").asText())) continue; // build-time only: not in the binary
            Map<String, String> props = p.path("root").asBoolean(false) ? Map.of("role", "main") : Map.of();
            out.add(new Package(PackageType.CARGO, name, version, purl(name, version), null, List.of(), null, List.of(in.path()), props));
        }
        return FileResult.ofPackages(type(), in.path(), out);
    }

    private static byte[] inflate(byte[] data) throws DataFormatException {
        Inflater inf = new Inflater();
        try {
            inf.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 << 10];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) throw new DataFormatException("truncated");
                out.write(buf, 0, n);
                if (out.size() > MAX_JSON) throw new DataFormatException("inflates beyond " + MAX_JSON + " bytes");
            }
            return out.toByteArray();
        } finally {
            inf.end();
        }
    }

    private static String purl(String name, String version) {
        try {
            return PackageURLBuilder.aPackageURL().withType("cargo").withName(name).withVersion(version).build().canonicalize();
        } catch (MalformedPackageURLException e) {
            return null;
        }
    }

    /** Just enough ELF to find a section by name, for 32- and 64-bit files of either byte order. */
    static final class Elf {
        private Elf() {
        }

        static byte[] section(SeekableByteChannel ch, String wanted, int max) throws IOException {
            ByteBuffer id = read(ch, 0, 64);
            if (id.limit() < 52 || id.get(0) != 0x7f || id.get(1) != 'E' || id.get(2) != 'L' || id.get(3) != 'F')
                throw new IllegalArgumentException("not ELF");
            boolean is64 = id.get(4) == 2;
            id.order(id.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            long shoff = is64 ? id.getLong(0x28) : Integer.toUnsignedLong(id.getInt(0x20));
            int shentsize = Short.toUnsignedInt(id.getShort(is64 ? 0x3A : 0x2E));
            int shnum = Short.toUnsignedInt(id.getShort(is64 ? 0x3C : 0x30));
            int shstrndx = Short.toUnsignedInt(id.getShort(is64 ? 0x3E : 0x32));
            if (shoff <= 0 || shnum == 0 || shnum > 65535 || shentsize < (is64 ? 64 : 40) || shstrndx >= shnum) return null;
            ByteBuffer sh = read(ch, shoff, shentsize * shnum).order(id.order());
            if (sh.limit() < shentsize * shnum) return null;
            long[] strtab = offsetSize(sh, shstrndx * shentsize, is64);
            if (strtab[1] > (1 << 20)) return null;
            ByteBuffer names = read(ch, strtab[0], (int) strtab[1]);
            for (int i = 0; i < shnum; i++) {
                int nameOff = sh.getInt(i * shentsize);
                if (nameOff < 0 || nameOff >= names.limit()) continue;
                if (!wanted.equals(cString(names, nameOff))) continue;
                long[] os = offsetSize(sh, i * shentsize, is64);
                if (os[1] <= 0 || os[1] > max) return null;
                ByteBuffer content = read(ch, os[0], (int) os[1]);
                byte[] out = new byte[content.remaining()];
                content.get(out);
                return out;
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

        private static ByteBuffer read(SeekableByteChannel ch, long pos, int len) throws IOException {
            if (pos < 0 || pos >= ch.size() || len < 0) return ByteBuffer.allocate(0);
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(len, ch.size() - pos));
            ch.position(pos);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // fill
            }
            b.flip();
            return b;
        }
    }
}
