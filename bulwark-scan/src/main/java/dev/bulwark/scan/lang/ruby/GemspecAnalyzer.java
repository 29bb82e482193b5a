package dev.bulwark.scan.lang.ruby;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.license.Licenses;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Installed Ruby gems: the specifications/NAME-VERSION.gemspec files RubyGems writes (Ruby source from
 * Gem::Specification#to_ruby), read for name, version and licences without running Ruby.
 */
public final class GemspecAnalyzer implements Analyzer {
    private static final int MAX = 1 << 20;
    private static final Pattern NAME = Pattern.compile("\\.name\\s*=\\s*[\"']([^\"']+)[\"']");
    private static final Pattern VERSION = Pattern.compile("\\.version\\s*=\\s*[\"']([^\"']+)[\"']");
    private static final Pattern LICENSES = Pattern.compile("\\.licenses?\\s*=\\s*\\[?([^\\n\\]]*)");
    private static final Pattern QUOTED = Pattern.compile("[\"']([^\"']+)[\"']");

    @Override
    public String type() {
        return "gem";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        return size <= MAX && path.endsWith(".gemspec") && path.contains("/specifications/");
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        String text = new String(in.readAllBytes(MAX), StandardCharsets.UTF_8);
        Matcher n = NAME.matcher(text), v = VERSION.matcher(text);
        if (!n.find() || !v.find()) return FileResult.warning(type(), in.path(), "no name or version assignment");
        List<String> licenses = new ArrayList<>();
        Matcher l = LICENSES.matcher(text);
        if (l.find()) {
            Matcher q = QUOTED.matcher(l.group(1));
            while (q.find()) licenses.addAll(Licenses.normalize(q.group(1)));
        }
        String purl;
        try {
            purl = PackageURLBuilder.aPackageURL().withType("gem").withName(n.group(1)).withVersion(v.group(1)).build().canonicalize();
        } catch (MalformedPackageURLException e) {
            purl = null;
        }
        return FileResult.ofPackages(type(), in.path(), List.of(new Package(PackageType.GEM, n.group(1), v.group(1), purl, null,
                licenses, null, List.of(in.path()), Map.of())));
    }
}
