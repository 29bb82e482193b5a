package dev.bulwark.scan.lang.ruby;

import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.lang.Purls;
import dev.bulwark.scan.license.Licenses;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Installed Ruby gems: the specifications/NAME-VERSION.gemspec files RubyGems writes (also specifications/default/
 * for gems that ship with Ruby, and Debian's rubygems-integration), read by {@link Gemspec} without running Ruby.
 */
public final class GemspecAnalyzer implements Analyzer {
    private static final int MAX = 1 << 20;

    @Override
    public String type() {
        return "gem";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        return size <= MAX && path.endsWith(".gemspec") && path.contains("/specifications/");
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        Gemspec g = Gemspec.parse(new String(in.readAllBytes(MAX), StandardCharsets.UTF_8));
        if (g == null) return FileResult.warning(type(), in.path(), "no name or version assignment");
        Set<String> licenses = new LinkedHashSet<>();
        g.licenses().forEach(l -> licenses.addAll(Licenses.normalize(l)));
        return FileResult.ofPackages(type(), in.path(), List.of(new Package(PackageType.GEM, g.name(), g.version(),
                Purls.of("gem", null, g.name(), g.version()), null, List.copyOf(licenses), null, List.of(in.path()), Map.of())));
    }
}
