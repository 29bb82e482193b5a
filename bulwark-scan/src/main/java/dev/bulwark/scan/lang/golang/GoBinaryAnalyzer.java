package dev.bulwark.scan.lang.golang;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.Elf;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Go executables: the build information the Go linker embeds (Go 1.18+ writes it inline after the
 * "\xff Go buildinf:" header): Go version, main module, dependencies with replacements. The Go standard library is
 * reported as the package "stdlib" at the toolchain's version, as its vulnerabilities are the binary's too.
 */
public final class GoBinaryAnalyzer implements Analyzer {
    private static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
    private static final int CHUNK = 1 << 20;
    private static final int MAX_INFO = 4 << 20;

    @Override
    public String type() {
        return "gobinary";
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
    public boolean accepts(byte[] head) {
        return Elf.isElf(head);
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        try (SeekableByteChannel ch = in.channel()) {
            if (!Elf.isElf(ch)) return null;
            // The linker puts the build info at the start of .go.buildinfo; without a section table, scan for it.
            Elf.Section sec;
            try {
                sec = Elf.section(ch, ".go.buildinfo");
            } catch (IllegalArgumentException e) {
                return null;
            }
            long at;
            if (sec != null && sec.size() >= 32 && matchesAt(ch, sec.offset())) at = sec.offset();
            else if (sec == null && Elf.hasSectionTable(ch)) return null; // a section table without Go's: not Go
            else at = find(ch);
            if (at < 0) return null;
            ByteBuffer header = read(ch, at, 32);
            if (header.remaining() < 32) return FileResult.warning(type(), in.path(), "truncated Go build info");
            int flags = header.get(15) & 0xff;
            if ((flags & 2) == 0)
                return FileResult.warning(type(), in.path(), "Go build info in the pre-1.18 pointer format is not read");
            ByteBuffer data = read(ch, at + 32, MAX_INFO);
            String goVersion = varString(data);
            String modinfo = varString(data);
            if (goVersion == null || modinfo == null) return FileResult.warning(type(), in.path(), "malformed Go build info");
            return FileResult.ofPackages(type(), in.path(), packages(goVersion, stripSentinels(modinfo), in.path()));
        }
    }

    private static boolean matchesAt(SeekableByteChannel ch, long offset) throws IOException {
        ByteBuffer b = read(ch, offset, MAGIC.length);
        byte[] head = new byte[b.remaining()];
        b.get(head);
        return head.length == MAGIC.length && matches(head, 0);
    }

    /** The header is 16-byte aligned; scan chunk by chunk with an overlap so it is found across chunk borders. */
    private static long find(SeekableByteChannel ch) throws IOException {
        long size = ch.size();
        byte[] buf = new byte[CHUNK + MAGIC.length];
        for (long pos = 0; pos < size; pos += CHUNK) {
            ByteBuffer b = read(ch, pos, buf.length);
            int n = b.remaining();
            b.get(buf, 0, n);
            for (int i = 0; i + MAGIC.length <= n; i += 16) {
                if (matches(buf, i)) return pos + i;
            }
        }
        return -1;
    }

    private static boolean matches(byte[] buf, int i) {
        for (int j = 0; j < MAGIC.length; j++) if (buf[i + j] != MAGIC[j]) return false;
        return true;
    }

    private static ByteBuffer read(SeekableByteChannel ch, long pos, int len) throws IOException {
        return Elf.read(ch, pos, len);
    }

    /** A uvarint length, then that many bytes; null when it runs past the data. */
    private static String varString(ByteBuffer b) {
        long len = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!b.hasRemaining()) return null;
            int x = b.get() & 0xff;
            len |= (long) (x & 0x7f) << shift;
            if (x < 0x80) break;
        }
        if (len < 0 || len > b.remaining()) return null;
        byte[] s = new byte[(int) len];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** The linker wraps modinfo in two 16-byte markers so it can be found in a binary. */
    static String stripSentinels(String modinfo) {
        if (modinfo.length() >= 33 && modinfo.charAt(modinfo.length() - 17) == '\n')
            return modinfo.substring(16, modinfo.length() - 16);
        return modinfo;
    }

    static List<Package> packages(String goVersion, String modinfo, String path) {
        Map<String, String[]> deps = new LinkedHashMap<>();
        String[] main = null;
        String lastDep = null;
        for (String line : modinfo.split("\n")) {
            String[] f = line.split("\t");
            switch (f[0]) {
                case "mod" -> {
                    if (f.length >= 3) main = new String[]{f[1], f[2]};
                }
                case "dep" -> {
                    if (f.length >= 3) {
                        deps.put(f[1], new String[]{f[1], f[2]});
                        lastDep = f[1];
                    }
                }
                case "=>" -> {
                    // A replacement of the previous dep: the code that is in the binary is the replacement's.
                    if (lastDep != null && f.length >= 3) deps.put(lastDep, new String[]{f[1], f[2]});
                }
                default -> { }
            }
        }
        String gv = goVersion.startsWith("go") ? "v" + goVersion.substring(2).split("[ \\-]")[0] : goVersion;
        List<Package> out = new ArrayList<>();
        Map<String, String> props = Map.of("goVersion", goVersion);
        if (main != null) out.add(pkg(main[0], main[1], path, Map.of("goVersion", goVersion, "role", "main")));
        for (String[] d : deps.values()) out.add(pkg(d[0], d[1], path, props));
        out.add(pkg("stdlib", gv, path, props));
        return out;
    }

    private static Package pkg(String module, String version, String path, Map<String, String> props) {
        String purl;
        try {
            int slash = module.lastIndexOf('/');
            PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType("golang").withVersion(version);
            if (slash > 0) b.withNamespace(module.substring(0, slash)).withName(module.substring(slash + 1));
            else b.withName(module);
            purl = b.build().canonicalize();
        } catch (MalformedPackageURLException e) {
            purl = null;
        }
        return new Package(PackageType.GOLANG, module, version, purl, null, List.of(), null, List.of(path), props);
    }
}
