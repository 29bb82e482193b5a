package dev.bulwark.scan.lang.ruby;

import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every installed gemspec of this machine's Ruby, read by Bulwark and loaded by RubyGems itself. */
class GemspecIT {
    @Test
    void sameGemsAsRubyGems() throws Exception {
        Path ruby = TestComponents.requireTool("ruby");
        List<Path> specs = new ArrayList<>();
        for (String dir : List.of("/usr/lib/ruby/gems", "/usr/share/rubygems-integration", "/var/lib/gems")) {
            if (!Files.isDirectory(Path.of(dir))) continue;
            try (Stream<Path> s = Files.walk(Path.of(dir))) {
                s.filter(p -> p.toString().endsWith(".gemspec") && p.toString().contains("/specifications/")).forEach(specs::add);
            }
        }
        assertThat(specs).as("gemspecs of Debian's ruby").hasSizeGreaterThan(10);
        Path list = Files.createTempFile("gemspecs", ".txt");
        Files.write(list, specs.stream().map(Path::toString).toList());
        Process p = new ProcessBuilder(ruby.toString(), "-e", """
                File.readlines(ARGV[0], chomp: true).each do |f|
                  s = Gem::Specification.load(f)
                  puts "#{f}\\t#{s.name}@#{s.version}\\t#{s.licenses.join(',')}"
                end
                """, list.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Files.delete(list);
        Set<String> expected = new TreeSet<>(out.lines().map(l -> l.split("\t")[0] + " " + l.split("\t")[1]).toList());
        assertThat(expected).hasSize(specs.size());

        GemspecAnalyzer analyzer = new GemspecAnalyzer();
        Set<String> actual = new TreeSet<>();
        for (Path f : specs) {
            FileResult r = analyzer.analyze(TestFiles.real(f.toString(), f));
            for (Package pk : r.packages()) actual.add(f + " " + pk.name() + "@" + pk.version());
        }
        assertThat(actual).isEqualTo(expected);
        // every licence RubyGems reads is there, normalised
        for (String line : out.lines().toList()) {
            String[] f = line.split("\t");
            if (f.length < 3 || f[2].isBlank()) continue;
            Package pk = analyzer.analyze(TestFiles.real(f[0], Path.of(f[0]))).packages().get(0);
            assertThat(pk.licenses()).as(f[0]).hasSize(f[2].split(",").length);
        }
    }
}
