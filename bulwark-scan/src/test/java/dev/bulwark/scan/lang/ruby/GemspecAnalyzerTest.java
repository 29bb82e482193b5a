package dev.bulwark.scan.lang.ruby;

import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Gemspecs as installed on Debian (copied from ruby 3.1 and rubygems-integration), and older RubyGems spellings. */
class GemspecAnalyzerTest {
    private final GemspecAnalyzer gem = new GemspecAnalyzer();

    private static byte[] fixture(String name) throws Exception {
        try (InputStream in = GemspecAnalyzerTest.class.getResourceAsStream("/lang/ruby/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "rake-13.0.6.gemspec | /usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec | rake | 13.0.6 | MIT",
            "json-2.6.1.gemspec | /usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec | json | 2.6.1 | Ruby",
            "net-telnet-0.2.0.gemspec | /usr/share/rubygems-integration/all/specifications/net-telnet-0.2.0.gemspec | net-telnet | 0.2.0 | Ruby"})
    void installedGemspecs(String fixture, String path, String name, String version, String licences) throws Exception {
        assertThat(gem.required(path, 2000, 0644)).isTrue();
        Package p = gem.analyze(TestFiles.of(path, fixture(fixture), 0644)).packages().get(0);
        assertThat(p.name() + "@" + p.version()).isEqualTo(name + "@" + version);
        assertThat(p.purl()).isEqualTo("pkg:gem/" + name + "@" + version);
        assertThat(p.licenses()).containsExactly(licences.split(","));
    }

    @Test
    void olderRubyGemsSpellings() throws Exception {
        Package p = gem.analyze(TestFiles.text("/var/lib/gems/1.8/specifications/rails-2.3.5.gemspec", """
                # -*- encoding: utf-8 -*-

                Gem::Specification.new do |spec|
                  spec.name = %q{rails}
                  spec.version = "2.3.5"
                  spec.license = 'MIT'
                  spec.metadata = { "name" => "not this" }
                end
                """)).packages().get(0);
        assertThat(p.name() + "@" + p.version()).isEqualTo("rails@2.3.5");
        assertThat(p.licenses()).containsExactly("MIT");
    }

    @Test
    void theStubCommentWhenAssignmentsAreNotLiterals() throws Exception {
        Package p = gem.analyze(TestFiles.text("/g/specifications/x-1.0.gemspec",
                "# stub: x 1.0 ruby lib\nGem::Specification.new do |s|\n  s.name = NAME\n  s.version = X::VERSION\nend\n")).packages().get(0);
        assertThat(p.name() + "@" + p.version()).isEqualTo("x@1.0");
        FileResult none = gem.analyze(TestFiles.text("/g/specifications/y.gemspec", "Gem::Specification.new do |s|\n  s.name = NAME\nend\n"));
        assertThat(none.warnings()).hasSize(1);
    }

    @Test
    void onlyInstalledSpecifications() {
        assertThat(gem.required("/usr/local/bundle/specifications/rack-3.0.8.gemspec", 100, 0644)).isTrue();
        assertThat(gem.required("/app/mygem.gemspec", 100, 0644)).as("a gem's source, not installed").isFalse();
    }

    @Property(tries = 300)
    void garbageNeverThrows(@ForAll @Size(max = 3000) byte[] data) throws Exception {
        gem.analyze(TestFiles.of("/g/specifications/x.gemspec", data, 0644));
    }

    @Property(tries = 300)
    void assignmentLikeGarbageNeverThrows(@ForAll @Size(max = 200) String s) throws Exception {
        gem.analyze(TestFiles.text("/g/specifications/x.gemspec", "  s.name = " + s + "\n  s.version = \"" + s + "\"\n  s.licenses = [" + s + "]\n"));
    }
}
