package dev.bulwark.scan.lang.java;

import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

class JarAnalyzerTest {
    private static final String COMPRESS = "org/apache/commons/commons-compress/1.28.0/commons-compress-1.28.0.jar";
    private static final String DATABIND = "com/fasterxml/jackson/core/jackson-databind/2.20.1/jackson-databind-2.20.1.jar";
    private final JarAnalyzer jar = new JarAnalyzer();

    private static String sha1(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
    }

    private static Package only(FileResult r, String name) {
        List<Package> l = r.packages().stream().filter(p -> p.name().equals(name)).toList();
        assertThat(l).as(name + " in " + r.packages()).hasSize(1);
        return l.get(0);
    }

    private static String pom(String g, String a, String v) {
        return "groupId=" + g + "\nartifactId=" + a + "\nversion=" + v + "\n";
    }

    @Test
    void aRealJarIsItsMavenCoordinatesWithItsSha1() throws Exception {
        Path file = Zips.m2(COMPRESS);
        FileResult r = jar.analyze(TestFiles.real("/app/lib/commons-compress-1.28.0.jar", file));
        Package p = only(r, "org.apache.commons:commons-compress");
        assertThat(p.version()).isEqualTo("1.28.0");
        assertThat(p.purl()).isEqualTo("pkg:maven/org.apache.commons/commons-compress@1.28.0");
        assertThat(p.licenses()).as("its pom inherits the licence; Bundle-License names it").containsExactly("Apache-2.0");
        assertThat(p.properties().get("sha1")).isEqualTo(sha1(Files.readAllBytes(file)));
        assertThat(p.paths()).containsExactly("/app/lib/commons-compress-1.28.0.jar");
        assertThat(r.warnings()).isEmpty();

        Package databind = only(jar.analyze(TestFiles.real("/app/lib/x.jar", Zips.m2(DATABIND))), "com.fasterxml.jackson.core:jackson-databind");
        assertThat(databind.licenses()).as("from the pom.xml inside").containsExactly("Apache-2.0");
    }

    /** The local Maven repository's layout (group/artifact/version/artifact-version.jar) is the ground truth. */
    @Test
    void everyJarOfTheLocalMavenRepositoryIsFoundUnderItsCoordinates() throws Exception {
        Path repo = Path.of(System.getProperty("user.home"), ".m2/repository");
        List<Path> jars;
        try (Stream<Path> s = Files.walk(repo)) {
            jars = s.filter(p -> p.toString().endsWith(".jar") && !p.toString().contains("/dev/bulwark/")).sorted().toList();
        }
        assertThat(jars).hasSizeGreaterThan(50);
        int checked = 0;
        for (Path j : jars) {
            Path versionDir = j.getParent(), artifactDir = versionDir.getParent();
            String v = versionDir.getFileName().toString(), a = artifactDir.getFileName().toString();
            String g = repo.relativize(artifactDir.getParent()).toString().replace('/', '.');
            if (!j.getFileName().toString().equals(a + "-" + v + ".jar")) continue; // classifiers, test jars
            boolean hasPom;
            try (ZipFile z = new ZipFile(j.toFile())) {
                hasPom = z.getEntry("META-INF/maven/" + g + "/" + a + "/pom.properties") != null;
            }
            if (!hasPom) continue;
            FileResult r = jar.analyze(TestFiles.real("/r/" + j.getFileName(), j));
            assertThat(r.packages()).as(j.toString()).anyMatch(p -> p.name().equals(g + ":" + a) && p.version().equals(v)
                    && p.paths().equals(List.of("/r/" + j.getFileName())));
            checked++;
        }
        assertThat(checked).isGreaterThan(50);
    }

    @Test
    void springBootFatJarWithStoredNestedJars() throws Exception {
        byte[] compress = Files.readAllBytes(Zips.m2(COMPRESS));
        byte[] databind = Files.readAllBytes(Zips.m2(DATABIND));
        byte[] fat = new Zips()
                .deflated("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: org.springframework.boot.loader.JarLauncher\n\n")
                .deflated("META-INF/maven/com.example/app/pom.properties", pom("com.example", "app", "1.0"))
                .stored("BOOT-INF/lib/commons-compress-1.28.0.jar", compress)
                .stored("BOOT-INF/lib/jackson-databind-2.20.1.jar", databind)
                .bytes();
        FileResult r = jar.analyze(TestFiles.of("/app/app.jar", fat, 0644));
        assertThat(r.warnings()).isEmpty();
        assertThat(r.packages()).extracting(p -> p.name() + "@" + p.version()).containsExactlyInAnyOrder(
                "com.example:app@1.0", "org.apache.commons:commons-compress@1.28.0", "com.fasterxml.jackson.core:jackson-databind@2.20.1");
        Package nested = only(r, "org.apache.commons:commons-compress");
        assertThat(nested.paths()).containsExactly("/app/app.jar!/BOOT-INF/lib/commons-compress-1.28.0.jar");
        assertThat(nested.properties().get("sha1")).as("the nested jar's own digest").isEqualTo(sha1(compress));
        assertThat(only(r, "com.example:app").properties().get("sha1")).isEqualTo(sha1(fat));
    }

    @Test
    void warWithDeflatedLibrariesSmallAndLarge() throws Exception {
        byte[] compress = Files.readAllBytes(Zips.m2(COMPRESS));
        // Above the in-memory limit: read as a stream.
        byte[] large = new Zips().deflated("META-INF/maven/org.example/large/pom.properties", pom("org.example", "large", "9.9"))
                .stored("blob.bin", new byte[JarReader.IN_MEMORY + 1000]).bytes();
        byte[] war = new Zips().deflated("WEB-INF/web.xml", "<web-app/>")
                .deflated("WEB-INF/lib/commons-compress-1.28.0.jar", compress)
                .deflated("WEB-INF/lib/large-9.9.jar", large)
                .bytes();
        FileResult r = jar.analyze(TestFiles.of("/srv/shop.war", war, 0644));
        assertThat(r.warnings()).isEmpty();
        assertThat(r.packages()).extracting(p -> p.name() + "@" + p.version())
                .containsExactlyInAnyOrder("org.apache.commons:commons-compress@1.28.0", "org.example:large@9.9");
        assertThat(only(r, "org.example:large").properties().get("sha1")).isEqualTo(sha1(large));
        assertThat(only(r, "org.apache.commons:commons-compress").properties().get("sha1")).isEqualTo(sha1(compress));
    }

    @Test
    void shadedJarReportsEveryPomPropertiesOnceAndItsOwnArtifactFromTheFileName() throws Exception {
        byte[] compress = Files.readAllBytes(Zips.m2(COMPRESS));
        byte[] shaded = new Zips()
                .deflated("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nBundle-SymbolicName: com.acme.tool\nBundle-License: MIT\n\n")
                .deflated("META-INF/maven/org.apache.commons/commons-compress/pom.properties", pom("org.apache.commons", "commons-compress", "1.28.0"))
                .deflated("META-INF/maven/com.google.guava/guava/pom.properties", pom("com.google.guava", "guava", "33.0.0-jre"))
                .deflated("META-INF/maven/com.google.guava/guava/pom.xml", "<project><licenses><license><name>Apache License, Version 2.0</name></license></licenses></project>")
                .stored("lib/commons-compress-1.28.0.jar", compress)
                .bytes();
        FileResult r = jar.analyze(TestFiles.of("/opt/tool-2.3.jar", shaded, 0644));
        assertThat(r.packages()).extracting(p -> p.name() + "@" + p.version()).containsExactlyInAnyOrder(
                "org.apache.commons:commons-compress@1.28.0", "com.google.guava:guava@33.0.0-jre", "com.acme:tool@2.3");
        assertThat(only(r, "org.apache.commons:commons-compress").paths()).as("the shallowest occurrence").containsExactly("/opt/tool-2.3.jar");
        assertThat(only(r, "com.google.guava:guava").licenses()).containsExactly("Apache-2.0");
        assertThat(only(r, "com.acme:tool").licenses()).containsExactly("MIT");
        assertThat(only(r, "com.acme:tool").properties()).containsKey("sha1");
        assertThat(only(r, "com.google.guava:guava").properties()).as("not guava's bytes").doesNotContainKey("sha1");
    }

    @Test
    void withoutMavenMetadataTheManifestAndFileName() throws Exception {
        byte[] j = new Zips().deflated("META-INF/MANIFEST.MF",
                "Manifest-Version: 1.0\nImplementation-Vendor-Id: org.example\nImplementation-Version: 3.4\n\n").bytes();
        assertThat(jar.analyze(TestFiles.of("/opt/tool-3.4.jar", j, 0644)).packages())
                .extracting(p -> p.name() + "@" + p.version() + " " + p.purl()).containsExactly("org.example:tool@3.4 pkg:maven/org.example/tool@3.4");
        byte[] bundle = new Zips().deflated("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nBundle-SymbolicName: org.apache.commons.commons-io;singleton:=true\n"
                + "Bundle-Version: 2.11.0\nImplementation-Vendor-Id: org.apache\n\n").bytes();
        assertThat(jar.analyze(TestFiles.of("/opt/commons-io.jar", bundle, 0644)).packages())
                .extracting(p -> p.name() + "@" + p.version()).containsExactly("org.apache.commons:commons-io@2.11.0");
        assertThat(jar.analyze(TestFiles.of("/opt/app.jar", new Zips().deflated("a.class", "x").bytes(), 0644)).packages())
                .as("nothing names it").isEmpty();
    }

    @Test
    void nestingIsReadFourArchivesDeep() throws Exception {
        byte[] inner = new Zips().deflated("META-INF/maven/g/level6/pom.properties", pom("g", "level6", "1")).bytes();
        for (int level = 5; level >= 0; level--) {
            Zips z = new Zips().deflated("META-INF/maven/g/level" + level + "/pom.properties", pom("g", "level" + level, "1"));
            inner = (level % 2 == 0 ? z.stored("lib/l" + (level + 1) + ".jar", inner) : z.deflated("lib/l" + (level + 1) + ".jar", inner)).bytes();
        }
        FileResult r = jar.analyze(TestFiles.of("/deep.jar", inner, 0644));
        assertThat(r.packages()).extracting(Package::name).containsExactlyInAnyOrder("g:level0", "g:level1", "g:level2", "g:level3", "g:level4");
        assertThat(r.warnings()).singleElement().asString().contains("/deep.jar!/lib/l1.jar!/lib/l2.jar!/lib/l3.jar!/lib/l4.jar!/lib/l5.jar", "deep");
        assertThat(only(r, "g:level4").paths().get(0)).isEqualTo("/deep.jar!/lib/l1.jar!/lib/l2.jar!/lib/l3.jar!/lib/l4.jar");
    }

    @Test
    void notAZipIsAWarning() throws Exception {
        FileResult r = jar.analyze(TestFiles.text("/x.jar", "definitely not a zip"));
        assertThat(r.packages()).isEmpty();
        assertThat(r.warnings()).singleElement().asString().startsWith("/x.jar: not a zip");
    }

    // ------------------------------------------------------------------ hostile archives (tests run with -Xmx1g)

    @Test
    void aNestedJarThatInflatesToGigabytesIsStreamedAndStopped() throws Exception {
        // 3 GiB of zeros in a 3 MiB entry whose central directory claims 1 KiB: it is not read into memory.
        byte[] bomb = new Zips().bomb("lib/bomb.jar", 3072, 1024).bytes();
        FileResult r = jar.analyze(TestFiles.of("/bomb.jar", new Zips()
                .deflated("META-INF/maven/g/a/pom.properties", pom("g", "a", "1")).stored("lib/inner.jar", bomb).bytes(), 0644));
        assertThat(r.packages()).extracting(Package::name).containsExactly("g:a");
        assertThat(r.warnings()).singleElement().asString().startsWith("/bomb.jar!/lib/inner.jar!/lib/bomb.jar: ");
    }

    @Test
    void aBombInsideAStreamedArchiveStopsAtTheInflationLimit() throws Exception {
        // A nested jar above the in-memory limit is streamed, and a stream skips entries by inflating them:
        // 1 GiB of zeros after the padding is charged to the walk's inflation limit (here 256 MiB).
        byte[] inner = new Zips().stored("pad.bin", new byte[JarReader.IN_MEMORY])
                .deflated("META-INF/maven/g/inner/pom.properties", pom("g", "inner", "1"))
                .bomb("zeros.bin", 1024, -1).bytes();
        byte[] outer = new Zips().deflated("META-INF/maven/g/outer/pom.properties", pom("g", "outer", "1"))
                .deflated("lib/inner-1.jar", inner).bytes();
        JarReader reader = new JarReader("/o.jar", 256L << 20);
        reader.read(new SeekableInMemoryByteChannel(outer), "x");
        assertThat(reader.packages()).extracting(Package::name).containsExactly("g:outer", "g:inner");
        assertThat(reader.warnings()).singleElement().asString().contains("MiB inflated");
    }

    @Test
    void aMetadataEntryThatInflatesToGigabytesIsCutAtOneMebibyte() throws Exception {
        byte[] j = new Zips().bomb("META-INF/maven/g/a/pom.properties", 2048, 10).bomb("META-INF/MANIFEST.MF", 2048, -1)
                .deflated("META-INF/maven/g/b/pom.properties", pom("g", "b", "2")).bytes();
        FileResult r = jar.analyze(TestFiles.of("/m.jar", j, 0644));
        assertThat(r.packages()).extracting(Package::name).containsExactly("g:b");
        assertThat(r.warnings()).hasSize(2).allMatch(w -> w.contains("larger than"));
    }

    @Test
    void aCentralDirectoryDeclaringBillionsOfEntriesIsStreamed() throws Exception {
        byte[] j = new Zips().deflated("META-INF/maven/g/a/pom.properties", pom("g", "a", "1")).bytes();
        // Rewrite the end record: 65535 entries in a 4 GiB central directory (a zip64 marker without zip64 data).
        int eocd = j.length - 22;
        assertThat(j[eocd]).isEqualTo((byte) 0x50);
        for (int i : new int[]{8, 9, 10, 11, 12, 13, 14, 15}) j[eocd + i] = (byte) 0xFF;
        FileResult r = jar.analyze(TestFiles.of("/huge.jar", j, 0644));
        assertThat(r.warnings()).anyMatch(w -> w.contains("read as a stream"));
        assertThat(r.packages()).extracting(Package::name).containsExactly("g:a");
    }

    @Property(tries = 200)
    void garbageNeverThrows(@ForAll @Size(max = 2000) byte[] data) throws Exception {
        FileResult r = jar.analyze(TestFiles.of("/a.jar", data, 0644));
        assertThat(r).isNotNull();
    }

    @Property(tries = 200)
    void aDamagedRealJarNeverThrows(@ForAll @IntRange(min = 0, max = 2_000_000) int seed, @ForAll @IntRange(min = 1, max = 20) int flips) throws Exception {
        byte[] j = Files.readAllBytes(Zips.m2(COMPRESS));
        java.util.Random rnd = new java.util.Random(seed);
        // damage the central directory and local headers alike: the last 64 KiB hold the directory
        for (int i = 0; i < flips; i++) {
            int at = rnd.nextBoolean() ? j.length - 1 - rnd.nextInt(Math.min(j.length, 65536)) : rnd.nextInt(j.length);
            j[at] = (byte) rnd.nextInt(256);
        }
        FileResult r = jar.analyze(TestFiles.of("/d.jar", j, 0644));
        assertThat(r).isNotNull();
    }
}
