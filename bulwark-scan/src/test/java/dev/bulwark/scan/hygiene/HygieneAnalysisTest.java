package dev.bulwark.scan.hygiene;

import dev.bulwark.model.Digest;
import dev.bulwark.model.HygieneFinding;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.Severity;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HygieneAnalysisTest {
    private static Digest d(int i) {
        return Digest.sha256(("layer" + i).getBytes(StandardCharsets.UTF_8));
    }

    private static ImageInfo image(Map<String, String> config, String... history) {
        List<LayerInfo> layers = new java.util.ArrayList<>();
        for (int i = 0; i < history.length; i++) layers.add(new LayerInfo(i, d(i), d(i), 100, "application/vnd.oci.image.layer.v1.tar", history[i]));
        return new ImageInfo("oci:x", "oci", d(99), null, null, null, null, null, layers, config);
    }

    private static List<String> ids(HygieneAnalysis.Result r) {
        return r.findings().stream().map(HygieneFinding::checkId).toList();
    }

    @Test
    void configAndHistoryChecks() {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("healthcheck", "false");
        cfg.put("envNames", "PATH,DB_PASSWORD,SECRET_FILE,GITHUB_TOKEN");
        HygieneAnalysis h = new HygieneAnalysis(image(cfg, "ADD file:abc in / ", "|1 TOKEN=ghp_abcdef /bin/sh -c apt-get update",
                "/bin/sh -c #(nop) ADD https://example.invalid/x.tgz /opt/", "/bin/sh -c apt-get update && apt-get install -y curl"));
        HygieneAnalysis.Result r = h.finish();
        assertThat(ids(r)).containsExactly("CIS-4.1", "CIS-4.6", "CIS-4.10", "CIS-4.10", "CIS-4.7", "CIS-4.9");
        assertThat(r.findings().get(0).evidence()).contains("not set");
        assertThat(r.findings().stream().filter(f -> f.checkId().equals("CIS-4.10")).map(HygieneFinding::evidence))
                .anySatisfy(e -> assertThat(e).contains("DB_PASSWORD")).anySatisfy(e -> assertThat(e).contains("GITHUB_TOKEN"));
        HygieneFinding update = r.findings().get(4);
        assertThat(update.subject()).isEqualTo("history[1]");
        assertThat(update.evidence()).as("build-ARG values masked").contains("TOKEN=***").doesNotContain("ghp_abcdef");
        HygieneFinding add = r.findings().get(5);
        assertThat(add.subject()).isEqualTo("history[2]");
        assertThat(add.severity()).as("ADD of a URL").isEqualTo(Severity.MEDIUM);
    }

    @Test
    void aNonRootUserWithAHealthcheckPasses() {
        HygieneAnalysis h = new HygieneAnalysis(image(Map.of("user", "10001:10001", "healthcheck", "true", "envNames", "PATH"), "COPY x /x"));
        assertThat(h.finish().findings()).isEmpty();
        HygieneAnalysis root = new HygieneAnalysis(image(Map.of("user", "0:0", "healthcheck", "true"), "COPY x /x"));
        assertThat(ids(root.finish())).containsExactly("CIS-4.1");
    }

    @Test
    void filesystemChecksAndEfficiency() {
        HygieneAnalysis h = new HygieneAnalysis(image(Map.of("user", "app", "healthcheck", "true"), "a", "b", "c"));
        h.entry(0, "/usr/bin/su", 'f', 1000, 04755, true);
        h.entry(0, "/usr/bin/wall", 'f', 1000, 02755, true);
        h.entry(0, "/usr/bin/gone-suid", 'f', 1000, 04755, false);
        h.entry(0, "/tmp", 'd', 0, 01777, true);
        h.entry(0, "/dev/null", 'f', 0, 0666, true);
        h.entry(1, "/srv/shared", 'd', 0, 0777, true);
        h.entry(1, "/srv/notes", 'f', 10, 0666, true);
        h.entry(1, "/usr/sbin/sshd", 'f', 900_000, 0755, true);
        h.entry(1, "/app/blob", 'f', 3 << 20, 0644, false);
        h.entry(1, "/var/lib/apt/lists/x_Packages", 'f', 5000, 0644, true);
        h.entry(1, "/var/lib/apt/lists/lock", 'f', 0, 0640, true);
        h.entry(1, "/root/.cache/pip/http/a/b", 'f', 700, 0644, true);
        h.entry(2, "/app/small", 'f', 100, 0644, false);
        HygieneAnalysis.Result r = h.finish();
        assertThat(r.findings()).extracting(f -> f.checkId() + " " + f.subject()).containsExactly(
                "CIS-4.8 /usr/bin/su", "CIS-4.8 /usr/bin/wall",
                "BW-H-WORLD-WRITABLE /srv/shared", "BW-H-WORLD-WRITABLE /srv/notes",
                "BW-H-REMOTE-ACCESS /usr/sbin/sshd", "BW-H-WASTE /app/blob", "BW-H-CACHE apt lists", "BW-H-CACHE pip cache");
        assertThat(r.findings().get(1).evidence()).isEqualTo("setgid file, mode 2755");
        assertThat(r.findings().get(5).layer()).isEqualTo(d(1));
        long total = 1000 + 1000 + 1000 + 10 + 900_000 + (3 << 20) + 5000 + 700 + 100;
        assertThat(r.efficiency().totalBytes()).isEqualTo(total);
        assertThat(r.efficiency().wastedBytes()).isEqualTo(1000 + (3 << 20) + 100);
        assertThat(r.efficiency().cacheBytes()).isEqualTo(5700);
        assertThat(r.efficiency().score()).isEqualTo(1.0 - (double) (1000 + (3 << 20) + 100) / total);
    }

    @Test
    void anEmptyImageIsFullyEfficient() {
        HygieneAnalysis.Result r = new HygieneAnalysis(image(Map.of("user", "app", "healthcheck", "true"))).finish();
        assertThat(r.efficiency().score()).isEqualTo(1.0);
        assertThat(r.findings()).isEmpty();
    }
}
