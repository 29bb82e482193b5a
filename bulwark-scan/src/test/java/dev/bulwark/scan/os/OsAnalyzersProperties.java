package dev.bulwark.scan.os;

import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import dev.bulwark.scan.os.apk.ApkAnalyzer;
import dev.bulwark.scan.os.dpkg.DpkgAnalyzer;
import dev.bulwark.scan.os.release.OsReleaseAnalyzer;
import dev.bulwark.scan.os.rpm.RpmAnalyzer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** No content makes an OS analyser throw: garbage, cut-off real files and damaged real files end in warnings. */
class OsAnalyzersProperties {
    private record Target(Analyzer analyzer, String path, String fixture) {
    }

    private static final List<Target> TARGETS = List.of(
            new Target(new OsReleaseAnalyzer(), "/etc/os-release", "release/ubuntu-22.04"),
            new Target(new OsReleaseAnalyzer(), "/etc/redhat-release", null),
            new Target(new OsReleaseAnalyzer(), "/etc/lsb-release", null),
            new Target(new DpkgAnalyzer(), "/var/lib/dpkg/status", "dpkg/status"),
            new Target(new DpkgAnalyzer(), "/var/lib/dpkg/status.d/base", "dpkg/status.d-base"),
            new Target(new DpkgAnalyzer(), "/var/lib/dpkg/info/libssl3:amd64.list", "dpkg/libssl3-amd64.list"),
            new Target(new DpkgAnalyzer(), "/usr/share/doc/libc6/copyright", "dpkg/copyright-libc6"),
            new Target(new ApkAnalyzer(), "/lib/apk/db/installed", "apk/installed"),
            new Target(new RpmAnalyzer(), "/var/lib/rpm/Packages", "rpm/Packages"),
            new Target(new RpmAnalyzer(), "/var/lib/rpm/Packages", "rpm/Packages-be512"),
            new Target(new RpmAnalyzer(), "/var/lib/rpm/rpmdb.sqlite", "rpm/rpmdb.sqlite"));

    @Provide
    Arbitrary<Target> targets() {
        return Arbitraries.of(TARGETS);
    }

    private static void analyzeSafely(Target t, byte[] content) throws Exception {
        FileResult r = t.analyzer.analyze(TestFiles.of(t.path, content, 0644));
        assertThat(r.warnings()).allSatisfy(w -> assertThat(w).startsWith(t.path + ": "));
        assertThat(r.warnings().size()).isLessThanOrEqualTo(Findings.MAX_WARNINGS + 1);
    }

    @Property(tries = 500)
    void garbage(@ForAll("targets") Target t, @ForAll byte[] content) throws Exception {
        analyzeSafely(t, content);
    }

    @Property(tries = 200)
    void garbageWithTheRightMagic(@ForAll byte[] tail, @ForAll @IntRange(min = 0, max = 2) int kind) throws Exception {
        byte[] head = switch (kind) {
            case 0 -> "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            case 1 -> new byte[]{'R', 'p', 'm', 'P', 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
            default -> new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x61, 0x15, 0x06, 0, 9, 0, 0, 0, 0, 2, 0, 0, 0, 8};
        };
        byte[] content = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, content, head.length, tail.length);
        analyzeSafely(new Target(new RpmAnalyzer(), "/var/lib/rpm/Packages", null), content);
    }

    @Provide
    Arbitrary<Target> withFixtures() {
        return Arbitraries.of(TARGETS.stream().filter(t -> t.fixture != null).toList());
    }

    @Property(tries = 300)
    void cutOff(@ForAll("withFixtures") Target t, @ForAll @IntRange(min = 0, max = 1000) int permille) throws Exception {
        byte[] real = Fixtures.bytes(t.fixture);
        analyzeSafely(t, Arrays.copyOf(real, (int) ((long) real.length * permille / 1000)));
    }

    @Property(tries = 300)
    void damaged(@ForAll("withFixtures") Target t, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int seed) throws Exception {
        byte[] b = Fixtures.bytes(t.fixture);
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < 1 + random.nextInt(16); i++) b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        analyzeSafely(t, b);
    }

    @Property(tries = 30)
    void garbageNeverFloodsWarnings(@ForAll @IntRange(min = 1, max = 5000) int lines) throws Exception {
        String junk = "no colon here\n".repeat(lines) + "\n" + "P:x\n\n".repeat(lines);
        FileResult r = new ApkAnalyzer().analyze(TestFiles.text("/lib/apk/db/installed", junk));
        assertThat(r.warnings().size()).isLessThanOrEqualTo(Findings.MAX_WARNINGS + 1);
    }
}
