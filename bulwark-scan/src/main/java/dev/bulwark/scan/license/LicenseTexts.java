package dev.bulwark.scan.license;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Licence texts where a name was expected (Python's License header often holds the whole LICENSE file): the first
 * line when it names a licence ("MIT License"), else a few phrases that only the best-known licence texts contain,
 * else a LicenseRef from the first line. Not a licence classifier: good enough to keep SBOMs readable.
 */
final class LicenseTexts {
    /** Only the start of a text is read: the phrases that identify a licence are in its first lines. */
    private static final int READ = 4096;

    private record Rule(String id, List<String> phrases) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("Apache-2.0", List.of("apache license", "version 2.0")),
            new Rule("AGPL-3.0-only", List.of("gnu affero general public license", "version 3")),
            new Rule("LGPL-3.0-only", List.of("gnu lesser general public license", "version 3")),
            new Rule("LGPL-2.1-only", List.of("gnu lesser general public license", "version 2.1")),
            new Rule("LGPL-2.0-only", List.of("gnu library general public license", "version 2")),
            new Rule("GPL-3.0-only", List.of("gnu general public license", "version 3")),
            new Rule("GPL-2.0-only", List.of("gnu general public license", "version 2")),
            new Rule("MPL-2.0", List.of("mozilla public license", "2.0")),
            new Rule("EPL-2.0", List.of("eclipse public license", "v 2.0")),
            new Rule("EPL-1.0", List.of("eclipse public license", "v 1.0")),
            new Rule("PSF-2.0", List.of("python software foundation license version 2")),
            new Rule("BSL-1.0", List.of("boost software license", "version 1.0")),
            new Rule("Unlicense", List.of("free and unencumbered software released into the public domain")),
            new Rule("ISC", List.of("permission to use, copy, modify, and/or distribute this software for any purpose")),
            new Rule("MIT", List.of("permission is hereby granted, free of charge")),
            new Rule("Zlib", List.of("altered source versions must be plainly marked as such")),
            new Rule("BSD-4-Clause", List.of("redistribution and use in source and binary forms", "all advertising materials")),
            new Rule("BSD-3-Clause", List.of("redistribution and use in source and binary forms", "endorse or promote")),
            new Rule("BSD-2-Clause", List.of("redistribution and use in source and binary forms")));
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private LicenseTexts() {
    }

    static String identify(String text) {
        String head = text.length() > READ ? text.substring(0, READ) : text;
        for (String line : head.split("\\R", 8)) {
            if (line.isBlank()) continue;
            String l = line.strip();
            String named = l.length() <= 100 ? LicenseNames.lookup(l) : null;
            if (named != null) return named;
            break;
        }
        String flat = SPACE.matcher(head.toLowerCase(Locale.ROOT)).replaceAll(" ");
        for (Rule r : RULES) {
            if (r.phrases().stream().allMatch(flat::contains)) return r.id();
        }
        String first = head.strip().split("\\R", 2)[0];
        return Licenses.licenseRef(first.length() > 80 ? first.substring(0, 80) : first);
    }
}
