package dev.bulwark.scan;

import dev.bulwark.image.Fixtures;
import dev.bulwark.image.Fixtures.E;
import dev.bulwark.image.ImageSource;
import dev.bulwark.image.ImageSources;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.model.HygieneFinding;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.SecretFinding;
import dev.bulwark.scan.secret.SecretConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/** Secrets and hygiene in the same pass as the packages, through the layer cache and the inventory index. */
class SecretScanTest {
    @TempDir
    Path tmp;

    static String githubToken(long seed) {
        java.util.Random r = new java.util.Random(seed);
        String alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 30; i++) body.append(alnum.charAt(r.nextInt(alnum.length())));
        CRC32 crc = new CRC32();
        crc.update(body.toString().getBytes(StandardCharsets.US_ASCII));
        String b62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        long v = crc.getValue();
        char[] d = new char[6];
        for (int i = 5; i >= 0; i--) {
            d[i] = b62.charAt((int) (v % 62));
            v /= 62;
        }
        return "ghp_" + body + new String(d);
    }

    static String pem() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private Inventory scan(Path layout, Path cache, AtomicInteger fromCache) throws Exception {
        ScanOptions opts = new ScanOptions(KeyValueAnalyzer.all(), cache, 1 << 22, 2, 4096).withSecrets(SecretConfig.defaults()).withHygiene(true);
        try (ImageSource src = ImageSources.open("oci:" + layout, SourceOptions.defaults())) {
            return new Scanner(opts).scan(src, new ScanListener() {
                @Override
                public void layerDone(dev.bulwark.model.LayerInfo layer, boolean cached) {
                    if (cached) fromCache.incrementAndGet();
                }
            });
        }
    }

    @Test
    void labelValuesAndHistoryOfStepsWithoutALayerAreScanned() throws Exception {
        String inLabel = githubToken(11);
        String inEnvStep = githubToken(12);
        Fixtures.Layer layer = Fixtures.gzLayer(List.of(E.file("etc/os-release", "ID=debian\n")));
        // a config as `docker build` writes it: LABEL and ENV steps are history entries with empty_layer and no layer
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"ci.token\":\"" + inLabel
                + "\",\"maintainer\":\"ops@example.com\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layer.diffId() + "\"]},"
                + "\"history\":[{\"created_by\":\"/bin/sh -c #(nop) ENV GH=" + inEnvStep + "\",\"empty_layer\":true},"
                + "{\"created_by\":\"COPY os-release /etc/\"},{\"created_by\":\"/bin/sh -c #(nop) LABEL ci.token=...\",\"empty_layer\":true}]}";
        byte[] cfg = config.getBytes(StandardCharsets.UTF_8);
        dev.bulwark.model.Digest cd = dev.bulwark.model.Digest.sha256(cfg);
        byte[] manifest = Fixtures.manifest(cd.toString(), cfg.length, List.of(layer)).getBytes(StandardCharsets.UTF_8);
        dev.bulwark.model.Digest md = dev.bulwark.model.Digest.sha256(manifest);
        Path img = Files.createDirectories(tmp.resolve("labelled/blobs/sha256")).getParent().getParent();
        Files.writeString(img.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(img.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + md + "\",\"size\":" + manifest.length + "}]}");
        Files.write(img.resolve("blobs/sha256/" + cd.hex()), cfg);
        Files.write(img.resolve("blobs/sha256/" + md.hex()), manifest);
        Files.write(img.resolve("blobs/sha256/" + layer.digest().hex()), layer.blob());

        Inventory inv = scan(img, null, new AtomicInteger());
        assertThat(inv.secrets()).extracting(SecretFinding::path).contains("config:LABEL ci.token", "config:history (no layer) 0");
        assertThat(inv.secrets()).allSatisfy(f -> assertThat(f.match()).doesNotContain(inLabel).doesNotContain(inEnvStep));
        assertThat(inv.secrets()).noneMatch(f -> f.path().contains("maintainer"));
    }

    @Test
    void aKeyAddedInOneLayerAndDeletedInTheNextIsStillFound() throws Exception {
        String key = pem();
        String token = githubToken(3);
        List<Fixtures.Layer> ls = List.of(
                Fixtures.gzLayer(List.of(E.file("etc/os-release", "ID=debian\n"), E.file("root/.ssh/id_ed", key),
                        E.file("app/config.yml", "a: 1\ntoken: " + token + "\n"), E.file("usr/share/doc/x/README", "token " + token))),
                Fixtures.gzLayer(List.of(E.file("root/.ssh/.wh.id_ed", ""), E.file("app/big.bin", "x".repeat(2 << 20)))),
                Fixtures.gzLayer(List.of(E.file("app/.wh.big.bin", ""), E.file("app/config.yml", "a: 1\ntoken: " + token + "\n"))));
        Fixtures.ociLayout(tmp.resolve("img"), "t", ls);
        Path cache = tmp.resolve("cache");
        Inventory cold = scan(tmp.resolve("img"), cache, new AtomicInteger());

        assertThat(cold.secrets()).extracting(SecretFinding::ruleId, SecretFinding::path, SecretFinding::deletedLater, SecretFinding::line)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("private-key", "/root/.ssh/id_ed", true, 1),
                        org.assertj.core.groups.Tuple.tuple("github-pat", "/app/config.yml", false, 2));
        SecretFinding k = cold.secrets().stream().filter(s -> s.ruleId().equals("private-key")).findFirst().orElseThrow();
        assertThat(k.layer()).isEqualTo(cold.image().layers().get(0).diffId());
        SecretFinding gh = cold.secrets().stream().filter(s -> s.ruleId().equals("github-pat")).findFirst().orElseThrow();
        assertThat(gh.layer()).as("the same secret in a later copy of the file: credited to the first layer").isEqualTo(cold.image().layers().get(0).diffId());
        assertThat(gh.match()).isEqualTo(token.substring(0, 8) + "********");
        assertThat(cold.toString()).doesNotContain(token).doesNotContain(key.lines().skip(1).findFirst().orElseThrow());

        assertThat(cold.efficiency()).isNotNull();
        assertThat(cold.efficiency().wastedBytes()).as("the deleted key, the deleted 2 MiB file, the replaced config")
                .isEqualTo(key.length() + (2 << 20) + ("a: 1\ntoken: " + token + "\n").length());
        assertThat(cold.hygiene()).extracting(HygieneFinding::checkId).contains("BW-H-WASTE");

        // warm: the same results from the inventory index, and from the layer records when the index is gone
        AtomicInteger hits = new AtomicInteger();
        Inventory warm = scan(tmp.resolve("img"), cache, hits);
        assertThat(hits.get()).isEqualTo(3);
        assertThat(warm.secrets()).isEqualTo(cold.secrets());
        assertThat(warm.hygiene()).isEqualTo(cold.hygiene());
        assertThat(warm.efficiency()).isEqualTo(cold.efficiency());
        try (var files = Files.list(cache.resolve("inventories"))) {
            for (Path p : files.toList()) Files.delete(p);
        }
        Inventory fromRecords = scan(tmp.resolve("img"), cache, new AtomicInteger());
        assertThat(fromRecords.secrets()).isEqualTo(cold.secrets());
        assertThat(fromRecords.efficiency()).isEqualTo(cold.efficiency());
    }

    @Test
    void withoutTheSecretAnalyzerNothingIsLookedFor() throws Exception {
        List<Fixtures.Layer> ls = List.of(Fixtures.gzLayer(List.of(E.file("app/config.yml", "token: " + githubToken(4) + "\n"))));
        Fixtures.ociLayout(tmp.resolve("img2"), "t", ls);
        try (ImageSource src = ImageSources.open("oci:" + tmp.resolve("img2"), SourceOptions.defaults())) {
            Inventory inv = new Scanner(new ScanOptions(KeyValueAnalyzer.all(), null, 0, 1, 4096)).scan(src, ScanListener.NONE);
            assertThat(inv.secrets()).isEmpty();
            assertThat(inv.efficiency()).isNull();
        }
    }
}
