package dev.bulwark.scan.lang.ruby;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name, version and licences of a gemspec as RubyGems writes it on install (Gem::Specification#to_ruby:
 * {@code s.name = "rake".freeze}, {@code s.licenses = ["MIT".freeze]}; older RubyGems wrote {@code %q{rake}}),
 * read without running Ruby: assignments to a receiver's name, version, license and licenses, string literals in
 * double or single quotes or %q/%Q delimiters, optionally frozen. The "# stub: NAME VERSION" comment RubyGems puts
 * first stands in when the assignments cannot be read.
 */
record Gemspec(String name, String version, List<String> licenses) {
    private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*\\w+\\.(name|version|licenses?)\\s*=\\s*(.+?)\\s*(?:\\bif\\b.*)?$");
    private static final Pattern LITERAL = Pattern.compile(
            "\"((?:[^\"\\\\]|\\\\.)*)\"|'((?:[^'\\\\]|\\\\.)*)'|%[qQ]?\\{([^}]*)}|%[qQ]?\\(([^)]*)\\)|%[qQ]?\\[([^]]*)]|%[qQ]?<([^>]*)>");
    private static final Pattern STUB = Pattern.compile("^# stub: (\\S+) (\\S+)");
    private static final int MAX_LINES = 100_000;

    /** Null when neither assignments nor the stub comment give a name and version. */
    static Gemspec parse(String text) {
        String name = null, version = null, stubName = null, stubVersion = null;
        List<String> licenses = new ArrayList<>();
        boolean licensesSeen = false;
        int n = 0;
        for (String line : text.split("\r?\n", MAX_LINES)) {
            if (++n >= MAX_LINES) break;
            Matcher stub = STUB.matcher(line);
            if (stubName == null && stub.find()) {
                stubName = stub.group(1);
                stubVersion = stub.group(2);
                continue;
            }
            if (line.stripLeading().startsWith("#")) continue;
            Matcher m = ASSIGNMENT.matcher(line);
            if (!m.matches()) continue;
            List<String> values = literals(m.group(2));
            switch (m.group(1)) {
                case "name" -> name = name == null && !values.isEmpty() ? values.get(0) : name;
                case "version" -> version = version == null && !values.isEmpty() ? values.get(0) : version;
                default -> {
                    // "license" and "licenses" both add; a repeated "licenses =" (it would replace) is rare enough
                    if (!licensesSeen || m.group(1).equals("license")) licenses.addAll(values);
                    licensesSeen |= m.group(1).equals("licenses");
                }
            }
        }
        if (name == null || version == null) {
            name = stubName;
            version = stubVersion;
        }
        if (name == null || version == null || name.isBlank() || version.isBlank()) return null;
        return new Gemspec(name, version, licenses.stream().filter(l -> !l.isBlank()).distinct().toList());
    }

    private static List<String> literals(String expression) {
        List<String> out = new ArrayList<>();
        Matcher l = LITERAL.matcher(expression);
        while (l.find()) {
            for (int g = 1; g <= l.groupCount(); g++) {
                if (l.group(g) != null) {
                    out.add(l.group(g).replaceAll("\\\\(.)", "$1"));
                    break;
                }
            }
        }
        return out;
    }
}
