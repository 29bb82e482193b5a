package dev.bulwark.scan.lang.golang;

import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GoBinaryAnalyzerTest {
    private final GoBinaryAnalyzer go = new GoBinaryAnalyzer();

    private static final String MODINFO = String.join("\n",
            "path\texample.com/app/cmd/app",
            "mod\texample.com/app\t(devel)\t",
            "dep\tgithub.com/pkg/errors\tv0.9.1\th1:abc=",
            "dep\texample.org/other\tv0.4.0",
            "=>\texample.org/other-fork\tv0.4.1\th1:def=",
            "dep\texample.org/local\tv1.0.0",
            "=>\t../local\t\t",
            "build\t-compiler=gc",
            "build\t-ldflags=\"-s -w -X 'example.com/app/cmd/app/version.Version=2.3.4' -X main.commit=abc\"",
            "build\tvcs.revision=0123456789abcdef",
            "");

    @Test
    void modinfoWithReplacementsAndAStampedVersion() {
        GoBuildInfo info = GoBuildInfo.parse("go1.22.3 X:boringcrypto", MODINFO);
        List<Package> pkgs = GoBinaryAnalyzer.packages(info, "/usr/local/bin/app");
        assertThat(pkgs).extracting(p -> p.name() + "@" + p.version()).containsExactly("example.com/app@v2.3.4",
                "github.com/pkg/errors@v0.9.1", "example.org/other-fork@v0.4.1", "example.org/local@v1.0.0", "stdlib@v1.22.3");
        assertThat(pkgs.get(0).properties()).containsEntry("role", "main").containsEntry("versionSource", "ldflags")
                .containsEntry("vcs.revision", "0123456789abcdef").containsEntry("goVersion", "go1.22.3 X:boringcrypto");
        assertThat(pkgs.get(2).properties()).containsEntry("replaces", "example.org/other@v0.4.0");
        assertThat(pkgs.get(3).properties()).containsEntry("replacedBy", "../local");
        assertThat(pkgs.get(1).purl()).isEqualTo("pkg:golang/github.com/pkg/errors@v0.9.1");
        assertThat(pkgs.get(4).purl()).isEqualTo("pkg:golang/stdlib@v1.22.3");
    }

    @Test
    void ldflagsVersionsAsTrivyChoosesThem() {
        assertThat(ldflags("-X main.version=1.2.3")).isEqualTo("v1.2.3");
        assertThat(ldflags("-X=main.Version=v1.2.3")).isEqualTo("v1.2.3");
        assertThat(ldflags("-X github.com/x/y/pkg/build.ver=1.0.0 -X main.version=2.0.0")).as("a usual package name first").isEqualTo("v2.0.0");
        assertThat(ldflags("-X main.version=1.0.0 -X version.Version=2.0.0")).as("two in one category decide nothing").isNull();
        assertThat(ldflags("-X main.version=dev")).as("not semver").isNull();
        assertThat(ldflags("-X main.commit=1.2.3")).isNull();
    }

    private static String ldflags(String flags) {
        return GoBuildInfo.parse("go1.21.0", "mod\texample.com/app\t(devel)\t\nbuild\t-ldflags=" + quote(flags) + "\n").ldflagsVersion();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void goQuotedBuildSettings() {
        assertThat(GoBuildInfo.unquote("\" \\t-X \\\"a=b c\\\"\\u00e9\"")).isEqualTo(" \t-X \"a=b c\"é");
        assertThat(GoBuildInfo.shellWords("-X 'a=b c' -X \"d=e\\\"f\" g\\ h")).containsExactly("-X", "a=b c", "-X", "d=e\"f", "g h");
    }

    @Test
    void sentinelsAroundModinfo() {
        String framed = "0123456789abcdef" + "path\tx\nmod\tx\tv1\t\n" + "fedcba9876543210";
        assertThat(GoBuildInfo.stripSentinels(framed)).isEqualTo("path\tx\nmod\tx\tv1\t\n");
        assertThat(GoBuildInfo.stripSentinels("short")).isEmpty();
    }

    /**
     * The pre-1.18 layout in a minimal ELF (no section table, so the build info is found at the start of the
     * writable segment): two pointers to Go string headers, each pointing at the bytes; 32-bit big-endian (as on
     * mips) and 64-bit little-endian.
     */
    @Test
    void pointerLayoutThroughTheProgramSegments() throws Exception {
        String modinfo = "0123456789abcdef" + "path\texample.com/app\nmod\texample.com/app\tv1.0.0\t\ndep\tgolang.org/x/sys\tv0.1.0\th1:x=\n" + "fedcba9876543210";
        for (boolean is64 : new boolean[]{true, false}) {
            ByteOrder order = is64 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            byte[] elf = MiniElf.pointerLayout(is64, order, "go1.16.15", modinfo);
            FileResult r = go.analyze(TestFiles.of("/bin/app", elf, 0755));
            assertThat(r.warnings()).isEmpty();
            assertThat(r.packages()).extracting(p -> p.name() + "@" + p.version())
                    .containsExactly("example.com/app@v1.0.0", "golang.org/x/sys@v0.1.0", "stdlib@v1.16.15");
        }
    }

    @Test
    void inlineLayoutInAMinimalElf() throws Exception {
        String modinfo = "0123456789abcdef" + "mod\texample.com/app\tv1.0.0\t\n" + "fedcba9876543210";
        FileResult r = go.analyze(TestFiles.of("/bin/app", MiniElf.inlineLayout("go1.21.5", modinfo), 0755));
        assertThat(r.packages()).extracting(p -> p.name() + "@" + p.version()).containsExactly("example.com/app@v1.0.0", "stdlib@v1.21.5");
    }

    @Test
    void notGo() throws Exception {
        assertThat(go.analyze(TestFiles.real("/bin/true", Path.of("/bin/true")))).isNull();
        assertThat(go.accepts("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(go.analyze(TestFiles.text("/bin/x", "#!/bin/sh\necho hi\n"))).isNull();
    }

    @Property(tries = 300)
    void garbageNeverThrows(@ForAll @Size(max = 4000) byte[] data) throws Exception {
        go.analyze(TestFiles.of("/bin/x", data, 0755));
        byte[] elf = data.clone();
        if (elf.length >= 4) {
            elf[0] = 0x7f;
            elf[1] = 'E';
            elf[2] = 'L';
            elf[3] = 'F';
        }
        go.analyze(TestFiles.of("/bin/x", elf, 0755));
    }

    /** A real Go program with bytes damaged in its headers and build info: warnings or nothing, never an exception. */
    @Property(tries = 100)
    void damagedRealGoProgramNeverThrows(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) throws Exception {
        Path real = Path.of("/usr/bin/docker-registry");
        if (!Files.isRegularFile(real)) real = Path.of("/usr/bin/go");
        byte[] b = Files.readAllBytes(real);
        java.util.Random rnd = new java.util.Random(seed);
        ElfImage.Section s;
        try (var ch = new org.apache.commons.compress.utils.SeekableInMemoryByteChannel(b)) {
            s = ElfImage.read(ch).section(".go.buildinfo");
        }
        for (int i = 0; i < 8; i++) {
            int at = rnd.nextBoolean() ? rnd.nextInt(64 + 56 * 8) : (int) s.offset() + rnd.nextInt(64);
            b[at] = (byte) rnd.nextInt(256);
        }
        go.analyze(TestFiles.of("/bin/x", b, 0755));
    }

    /** Minimal ELF executables holding Go build info: header, one writable PT_LOAD segment, no sections. */
    static final class MiniElf {
        private static final long VADDR = 0x500000;

        static byte[] pointerLayout(boolean is64, ByteOrder order, String version, String modinfo) {
            int ptr = is64 ? 8 : 4;
            byte[] v = version.getBytes(StandardCharsets.UTF_8), m = modinfo.getBytes(StandardCharsets.UTF_8);
            // segment data: [32-byte header][string header v][string header m][v bytes][m bytes]
            ByteBuffer d = ByteBuffer.allocate(32 + 4 * ptr + v.length + m.length).order(order);
            d.put(GoBuildInfo.MAGIC).put((byte) ptr).put((byte) (order == ByteOrder.BIG_ENDIAN ? 1 : 0));
            long hv = VADDR + 32, hm = hv + 2L * ptr, dv = hm + 2L * ptr, dm = dv + v.length;
            putPtr(d, ptr, hv);
            putPtr(d, ptr, hm);
            d.position(32);
            putPtr(d, ptr, dv);
            putPtr(d, ptr, v.length);
            putPtr(d, ptr, dm);
            putPtr(d, ptr, m.length);
            d.put(v).put(m);
            return elf(is64, order, d.array());
        }

        static byte[] inlineLayout(String version, String modinfo) {
            byte[] v = version.getBytes(StandardCharsets.UTF_8), m = modinfo.getBytes(StandardCharsets.UTF_8);
            ByteBuffer d = ByteBuffer.allocate(32 + 4 + v.length + m.length);
            d.put(GoBuildInfo.MAGIC).put((byte) 8).put((byte) 2);
            d.position(32);
            d.put((byte) v.length).put(v);
            d.put((byte) (0x80 | (m.length & 0x7f))).put((byte) (m.length >> 7)).put(m);
            return elf(true, ByteOrder.LITTLE_ENDIAN, java.util.Arrays.copyOf(d.array(), d.position()));
        }

        private static void putPtr(ByteBuffer b, int size, long v) {
            if (size == 8) b.putLong(v);
            else b.putInt((int) v);
        }

        private static byte[] elf(boolean is64, ByteOrder order, byte[] data) {
            int ehsize = is64 ? 64 : 52, phsize = is64 ? 56 : 32, off = ehsize + phsize;
            ByteBuffer b = ByteBuffer.allocate(off + data.length + 1024).order(order);
            b.put(new byte[]{0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (order == ByteOrder.BIG_ENDIAN ? 2 : 1), 1});
            b.position(16);
            b.putShort((short) 2).putShort((short) (is64 ? 62 : 8)).putInt(1); // ET_EXEC, x86-64 / MIPS
            if (is64) {
                b.putLong(VADDR).putLong(ehsize).putLong(0).putInt(0);
                b.putShort((short) ehsize).putShort((short) phsize).putShort((short) 1).putShort((short) 64).putShort((short) 0).putShort((short) 0);
                b.putInt(1).putInt(6).putLong(off).putLong(VADDR).putLong(VADDR).putLong(data.length).putLong(data.length).putLong(16);
            } else {
                b.putInt((int) VADDR).putInt(ehsize).putInt(0).putInt(0);
                b.putShort((short) ehsize).putShort((short) phsize).putShort((short) 1).putShort((short) 40).putShort((short) 0).putShort((short) 0);
                b.putInt(1).putInt(off).putInt((int) VADDR).putInt((int) VADDR).putInt(data.length).putInt(data.length).putInt(6).putInt(16);
            }
            b.position(off);
            b.put(data);
            return b.array();
        }
    }
}
