package dev.bulwark.vulndb;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The key advisories are looked up by: an OSV ecosystem and a package name, both normalised so that the names an
 * advisory writes and the names an image holds meet. Ecosystems are lower-cased, with Ubuntu's ":LTS" suffix
 * dropped ("Ubuntu:22.04:LTS" and "Ubuntu:22.04" are one release). Names: PyPI by PEP 503 (lower case, runs of
 * "-", "_" and "." as one "-"); every other ecosystem compares names as written (npm, Maven "group:artifact", Go
 * module paths and distribution source packages are case-sensitive or lower-case already).
 */
public record PackageKey(String ecosystem, String name) {
    private static final Pattern PEP503_SEPARATORS = Pattern.compile("[-_.]+");

    public static PackageKey of(String ecosystem, String name) {
        String eco = ecosystem.strip().toLowerCase(Locale.ROOT);
        if (eco.startsWith("ubuntu:") && eco.endsWith(":lts")) eco = eco.substring(0, eco.length() - 4);
        String n = name.strip();
        if (eco.equals("pypi")) n = PEP503_SEPARATORS.matcher(n.toLowerCase(Locale.ROOT)).replaceAll("-");
        return new PackageKey(eco, n);
    }
}
