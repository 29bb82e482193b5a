package dev.bulwark.scan.lang;

import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import dev.bulwark.scan.lang.java.JarAnalyzer;
import dev.bulwark.scan.lang.npm.NpmAnalyzer;
import dev.bulwark.scan.lang.python.PythonAnalyzer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class LangAnalyzersTest {
    private final JarAnalyzer jar = new JarAnalyzer();
    private final NpmAnalyzer npm = new NpmAnalyzer();
    private final PythonAnalyzer python = new PythonAnalyzer();

    /** A real jar from the local Maven repository (commons-compress is a dependency of this very build). */
    private static Path realJar() {
        Path p = Path.of(System.getProperty("user.home"), ".m2/repository/org/apache/commons/commons-compress/1.28.0/commons-compress-1.28.0.jar");
        assertThat(p).exists();
        return p;
    }

    private static byte[] zip(Object... nameAndContent) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            for (int i = 0; i < nameAndContent.length; i += 2) {
                z.putNextEntry(new ZipEntry((String) nameAndContent[i]));
                Object c = nameAndContent[i + 1];
                z.write(c instanceof byte[] b ? b : ((String) c).getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return bos.toByteArray();
    }

    @Test
    void aRealJarIsItsMavenCoordinatesWithSha1() throws Exception {
        FileResult r = jar.analyze(TestFiles.real("/app/lib/commons-compress-1.28.0.jar", realJar()));
        Package p = r.packages().stream().filter(x -> x.name().equals("org.apache.commons:commons-compress")).findFirst().orElseThrow();
        assertThat(p.version()).isEqualTo("1.28.0");
        assertThat(p.purl()).isEqualTo("pkg:maven/org.apache.commons/commons-compress@1.28.0");
        assertThat(p.licenses()).contains("Apache-2.0");
        assertThat(p.properties().get("sha1")).hasSize(40);
    }

    @Test
    void nestedAndShadedArchivesAreReadInPlace() throws Exception {
        byte[] inner = Files.readAllBytes(realJar());
        byte[] fat = zip("META-INF/maven/com.example/app/pom.properties", "groupId=com.example\nartifactId=app\nversion=1.0\n",
                "META-INF/maven/com.shaded/lib/pom.properties", "groupId=com.shaded\nartifactId=lib\nversion=2.1\n",
                "BOOT-INF/lib/commons-compress-1.28.0.jar", inner);
        FileResult r = jar.analyze(TestFiles.of("/app/app.jar", fat, 0644));
        assertThat(r.packages()).extracting(p -> p.name() + "@" + p.version())
                .contains("com.example:app@1.0", "com.shaded:lib@2.1", "org.apache.commons:commons-compress@1.28.0");
        Package nested = r.packages().stream().filter(p -> p.name().endsWith("commons-compress")).findFirst().orElseThrow();
        assertThat(nested.paths().get(0)).isEqualTo("/app/app.jar!/BOOT-INF/lib/commons-compress-1.28.0.jar");
    }

    @Test
    void aJarWithoutMavenMetadataFallsBackToManifestAndName() throws Exception {
        byte[] j = zip("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nImplementation-Vendor-Id: org.example\nImplementation-Version: 3.4\n\n");
        FileResult r = jar.analyze(TestFiles.of("/opt/tool-3.4.jar", j, 0644));
        assertThat(r.packages()).extracting(p -> p.name() + "@" + p.version()).containsExactly("org.example:tool@3.4");
    }

    @Test
    void notAZipIsAWarning() throws Exception {
        FileResult r = jar.analyze(TestFiles.text("/x.jar", "definitely not a zip"));
        assertThat(r.packages()).isEmpty();
    }

    @Test
    void npmPackageJsonAndLockfiles() throws Exception {
        assertThat(npm.required("/app/node_modules/@babel/core/package.json", 100, 0644)).isTrue();
        assertThat(npm.required("/app/node_modules/express/lib/package.json", 100, 0644)).isFalse();
        assertThat(npm.required("/app/package.json", 100, 0644)).isFalse();
        Package core = npm.analyze(TestFiles.text("/app/node_modules/@babel/core/package.json",
                "{\"name\":\"@babel/core\",\"version\":\"7.26.0\",\"license\":\"MIT\"}")).packages().get(0);
        assertThat(core.purl()).isEqualTo("pkg:npm/%40babel/core@7.26.0");
        assertThat(core.licenses()).containsExactly("MIT");
        FileResult v3 = npm.analyze(TestFiles.text("/app/package-lock.json", """
                {"lockfileVersion":3,"packages":{"":{"name":"app"},
                 "node_modules/express":{"version":"4.17.1"},
                 "node_modules/express/node_modules/debug":{"version":"2.6.9","dev":true}}}"""));
        assertThat(v3.packages()).extracting(p -> p.name() + "@" + p.version()).containsExactly("express@4.17.1", "debug@2.6.9");
        assertThat(v3.packages().get(1).properties()).containsEntry("dev", "true");
        FileResult v1 = npm.analyze(TestFiles.text("/app/package-lock.json",
                "{\"lockfileVersion\":1,\"dependencies\":{\"a\":{\"version\":\"1.0.0\",\"dependencies\":{\"b\":{\"version\":\"2.0.0\"}}}}}"));
        assertThat(v1.packages()).extracting(p -> p.name() + "@" + p.version()).containsExactly("a@1.0.0", "b@2.0.0");
    }

    @Test
    void pythonCoreMetadata() throws Exception {
        Package p = python.analyze(TestFiles.text("/usr/lib/python3/dist-packages/Jinja2-3.1.2.dist-info/METADATA", """
                Metadata-Version: 2.1
                Name: Jinja2
                Version: 3.1.2
                License: BSD-3-Clause
                Classifier: License :: OSI Approved :: BSD License

                Jinja is a fast, expressive template engine.
                Name: not-a-header
                """)).packages().get(0);
        assertThat(p.name()).isEqualTo("Jinja2");
        assertThat(p.purl()).isEqualTo("pkg:pypi/jinja2@3.1.2");
        assertThat(p.licenses()).containsExactly("BSD-3-Clause");
    }

    @Test
    void gemspecsAsRubyGemsWritesThem() throws Exception {
        Package rake = new dev.bulwark.scan.lang.ruby.GemspecAnalyzer().analyze(TestFiles.text(
                "/usr/local/bundle/specifications/rake-13.0.6.gemspec", """
                # -*- encoding: utf-8 -*-
                # stub: rake 13.0.6 ruby lib
                Gem::Specification.new do |s|
                  s.name = "rake".freeze
                  s.version = "13.0.6"
                  s.licenses = ["MIT".freeze]
                  s.summary = "Rake is a Make-like program implemented in Ruby".freeze
                end
                """)).packages().get(0);
        assertThat(rake.name() + "@" + rake.version()).isEqualTo("rake@13.0.6");
        assertThat(rake.licenses()).containsExactly("MIT");
        assertThat(rake.purl()).isEqualTo("pkg:gem/rake@13.0.6");
    }

    @Property(tries = 200)
    void garbageNeverThrows(@ForAll byte[] data) throws Exception {
        for (String path : List.of("/a.jar", "/n/node_modules/x/package.json", "/app/package-lock.json", "/p/x.dist-info/METADATA")) {
            (path.endsWith(".jar") ? jar : path.contains("dist-info") ? python : npm).analyze(TestFiles.of(path, data, 0644));
        }
        new dev.bulwark.scan.lang.golang.GoBinaryAnalyzer().analyze(TestFiles.of("/bin/x", data, 0755));
        new dev.bulwark.scan.lang.rust.RustBinaryAnalyzer().analyze(TestFiles.of("/bin/x", data, 0755));
        new dev.bulwark.scan.lang.ruby.GemspecAnalyzer().analyze(TestFiles.of("/g/specifications/x.gemspec", data, 0644));
    }
}
