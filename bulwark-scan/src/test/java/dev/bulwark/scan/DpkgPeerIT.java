package dev.bulwark.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.image.ImageSource;
import dev.bulwark.image.ImageSources;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.PackageType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peer check on the same bookworm root filesystem: Bulwark's dpkg package set (name, version, source name, source
 * version) must equal what dpkg-query itself reports, and what Trivy 0.74 reports.
 */
class DpkgPeerIT {
    private static Path rootfs;
    private static Set<String> bulwark;

    @BeforeAll
    static void scan() throws Exception {
        TestComponents.requireImages();
        rootfs = TestComponents.rootfsDir();
        Inventory inv;
        try (ImageSource src = ImageSources.open("rootfs:" + rootfs, SourceOptions.defaults())) {
            inv = new Scanner(ScanOptions.defaults(null)).scan(src, ScanListener.NONE);
        }
        bulwark = new TreeSet<>();
        inv.packages().stream().filter(p -> p.type() == PackageType.DEB)
                .forEach(p -> bulwark.add(p.name() + "\t" + p.version() + "\t" + p.sourceName() + "\t" + p.sourceVersion()));
    }

    private static String run(Path out, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(out == null);
        if (out != null) pb.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String text = out == null ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("%s finished", cmd[0]).isTrue();
        assertThat(p.exitValue()).as("%s exit status: %s", String.join(" ", cmd), text).isZero();
        return text;
    }

    @Test
    void equalsDpkgQuery() throws Exception {
        TestComponents.requireTool("dpkg-query");
        String out = run(null, "dpkg-query", "--admindir=" + rootfs.resolve("var/lib/dpkg"), "-W",
                "-f=${db:Status-Abbrev}\t${Package}\t${Version}\t${source:Package}\t${source:Version}\n");
        Set<String> dpkg = new TreeSet<>();
        for (String line : out.split("\n")) {
            if (!line.startsWith("ii ")) continue;
            dpkg.add(line.substring(line.indexOf('\t') + 1));
        }
        assertThat(dpkg).hasSizeGreaterThan(80);
        assertThat(bulwark).isEqualTo(dpkg);
    }

    @Test
    void equalsTrivy(@TempDir Path tmp) throws Exception {
        Path trivy = TestComponents.trivyPeer();
        Path report = tmp.resolve("trivy.cdx.json");
        run(report, trivy.toString(), "rootfs", "--format", "cyclonedx", "--scanners", "license", "--offline-scan",
                "--skip-db-update", "--skip-java-db-update", "--skip-check-update", "--disable-telemetry",
                "--skip-version-check", "--cache-dir", tmp.resolve("cache").toString(), "--pkg-types", "os", "-q", rootfs.toString());
        Set<String> fromTrivy = new TreeSet<>();
        for (JsonNode c : new ObjectMapper().readTree(Files.readString(report)).path("components")) {
            if (!c.path("purl").asText().startsWith("pkg:deb/")) continue;
            String src = null, srcVersion = null, srcRelease = null, srcEpoch = null;
            for (JsonNode p : c.path("properties")) {
                switch (p.path("name").asText()) {
                    case "aquasecurity:trivy:SrcName" -> src = p.path("value").asText();
                    case "aquasecurity:trivy:SrcVersion" -> srcVersion = p.path("value").asText();
                    case "aquasecurity:trivy:SrcRelease" -> srcRelease = p.path("value").asText();
                    case "aquasecurity:trivy:SrcEpoch" -> srcEpoch = p.path("value").asText();
                    default -> { }
                }
            }
            // Trivy splits Debian versions into epoch, version and release; dpkg writes them as one string.
            String sv = (srcEpoch != null && !srcEpoch.equals("0") ? srcEpoch + ":" : "") + srcVersion
                    + (srcRelease != null && !srcRelease.isEmpty() ? "-" + srcRelease : "");
            fromTrivy.add(c.path("name").asText() + "\t" + c.path("version").asText() + "\t" + src + "\t" + sv);
        }
        assertThat(fromTrivy).hasSizeGreaterThan(80);
        assertThat(bulwark).isEqualTo(fromTrivy);
    }
}
