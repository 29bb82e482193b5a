package dev.bulwark.match.version;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every version and range in the real advisory feeds under shared/vulndata must parse, apart from the malformed
 * entries the feeds really contain, which are listed here so that a parser regression shows up as a change.
 */
class RealFeedsTest {
    private static Path vulndata;

    @BeforeAll
    static void findVulndata() {
        // shared/ sits beside the repository: walk up from the module directory
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/vulndata");
            if (Files.isDirectory(candidate)) {
                vulndata = candidate;
                return;
            }
        }
        throw new IllegalStateException("shared/vulndata not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void alpineSecdbFixedVersionsAreApkVersions() {
        // secfixes keys: "        1.2.3-r0:" (eight spaces of indentation)
        Set<String> versions = matches("alpine-secdb", ".yaml", Pattern.compile("^ {8}([^ -][^ ]*):$"));
        assertThat(versions).hasSizeGreaterThan(1000);
        assertThat(invalid(versions, ApkVersion::isValid)).containsExactlyInAnyOrder(
                "\"0\"", "0.12.5.-r0", "0.8.21.r2", "1.0.4.-r0", "1.11-20-r0", "1.18.-r2", "1.7.5.-r1", "10.2.22.r0",
                "10.2.24.r0", "10.2.26.r0", "2.15.r-r1", "2.7.16-33", "4.10-1-r1", "4.8.0.-r1", "57-1-r2",
                "6.6.2p1-r0");
    }

    @Test
    void goVulndbVersionsAreGoVersions() {
        Set<String> versions = osvVersions("golang-vulndb", ".json", new ObjectMapper(), "Go");
        assertThat(versions).hasSizeGreaterThan(1000);
        assertThat(invalid(versions, GoVersion::isValid)).isEmpty();
        assertThat(invalid(versions, SemVer::isValid)).isEmpty(); // OSV writes them as plain SemVer
    }

    @Test
    void pypaAdvisoryVersionsArePep440() {
        Set<String> versions = osvVersions("pypa-advisory-database", ".yaml", new ObjectMapper(new YAMLFactory()),
                "PyPI");
        assertThat(versions).hasSizeGreaterThan(10_000);
        // PyPI still serves some pre-PEP 440 versions; packaging refuses exactly these too
        assertThat(invalid(versions, Pep440Version::isValid)).containsExactlyInAnyOrderElementsOf(
                resourceLines("pypa-legacy-versions.txt"));
    }

    @Test
    void nodejsSecurityWgRangesAreNpmRanges() {
        Set<String> ranges = matches("nodejs-security-wg", ".json",
                Pattern.compile("\"(?:vulnerable_versions|patched_versions)\": \"([^\"]*)\""));
        assertThat(ranges).hasSizeGreaterThan(400);
        assertThat(invalid(ranges, NpmRange::isValid)).isEmpty();
    }

    private static List<String> resourceLines(String name) {
        try (var in = RealFeedsTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("# ")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> invalid(Set<String> values, Predicate<String> valid) {
        Set<String> out = new TreeSet<>();
        values.stream().filter(valid.negate()).forEach(out::add);
        return out;
    }

    /**
     * The versions in the events of SEMVER and ECOSYSTEM ranges, and the "versions" lists, of the affected packages
     * of {@code ecosystem}; OSV's {@code introduced: "0"} ("from the beginning") is left out.
     */
    private static Set<String> osvVersions(String feed, String suffix, ObjectMapper mapper, String ecosystem) {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(vulndata.resolve(feed))) {
            for (Path f : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
                for (JsonNode affected : mapper.readTree(f.toFile()).path("affected")) {
                    if (!affected.path("package").path("ecosystem").asText().equals(ecosystem)) {
                        continue;
                    }
                    for (JsonNode range : affected.path("ranges")) {
                        if (range.path("type").asText().equals("GIT")) {
                            continue;
                        }
                        for (JsonNode event : range.path("events")) {
                            event.properties().forEach(e -> out.add(e.getValue().asText()));
                        }
                    }
                    affected.path("versions").forEach(v -> out.add(v.asText()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.remove("0");
        return out;
    }

    /** Group 1 of every line matching {@code line} in the feed's files ending in {@code suffix}. */
    private static Set<String> matches(String feed, String suffix, Pattern line) {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(vulndata.resolve(feed))) {
            for (Path f : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
                for (String l : Files.readAllLines(f)) {
                    Matcher m = line.matcher(l);
                    while (m.find()) {
                        out.add(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
