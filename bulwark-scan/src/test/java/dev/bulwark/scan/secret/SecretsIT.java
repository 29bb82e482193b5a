package dev.bulwark.scan.secret;

import dev.bulwark.image.ImageSource;
import dev.bulwark.image.ImageSources;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.HygieneFinding;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.SecretFinding;
import dev.bulwark.scan.ScanListener;
import dev.bulwark.scan.ScanOptions;
import dev.bulwark.scan.Scanner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image of scripts/testimages-secrets.sh (real keys from openssl, ssh-keygen and gpg, tokens with valid prefixes
 * and checksums, a key copied in one layer and deleted in the next, waste, caches, setuid and world-writable files,
 * an sshd) must give every planted secret and hygiene problem; the real bookworm root filesystem and the real app
 * image (jars, node_modules) must give no secret at all.
 */
class SecretsIT {
    private static Map<String, String> manifest;
    private static Inventory image;

    static Map<String, String> manifest() throws IOException {
        Path f = TestComponents.work().resolve("images/secrets/manifest.env");
        if (!Files.isRegularFile(f)) throw TestComponents.missing("secrets test image", "run scripts/testimages-secrets.sh; " + f + " is missing");
        Map<String, String> m = new HashMap<>();
        for (String line : Files.readAllLines(f)) {
            if (line.isBlank() || line.startsWith("#") || !line.contains("=")) continue;
            m.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        return m;
    }

    static Inventory scan(String target, boolean hygiene) throws Exception {
        return scan(target, hygiene, SourceOptions.defaults());
    }

    static Inventory scan(String target, boolean hygiene, SourceOptions source) throws Exception {
        ScanOptions opts = ScanOptions.defaults(null).withSecrets(SecretConfig.defaults()).withHygiene(hygiene);
        try (ImageSource src = ImageSources.open(target, source)) {
            return new Scanner(opts).scan(src, ScanListener.NONE);
        }
    }

    @BeforeAll
    static void scanOnce() throws Exception {
        manifest = manifest();
        image = scan("docker-archive:" + manifest.get("SECRETS_DOCKER_ARCHIVE"), true);
    }

    record Planted(String rule, String path, String value) {
    }

    static List<Planted> planted() throws IOException {
        List<Planted> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(manifest.get("SECRETS_PLANTED")))) {
            String[] f = line.split("\t", 3);
            if (f.length == 3) out.add(new Planted(f[0], f[1], f[2]));
        }
        return out;
    }

    private static String shown(String redacted) {
        assertThat(redacted).endsWith(Redaction.MASK);
        return redacted.substring(0, redacted.length() - Redaction.MASK.length());
    }

    @Test
    void everyPlantedSecretIsFoundRedactedWhereItWasPut() throws Exception {
        List<Planted> all = planted();
        assertThat(all).hasSizeGreaterThanOrEqualTo(18);
        for (Planted p : all) {
            boolean history = p.rule().equals("build-arg");
            assertThat(image.secrets()).as("planted %s in %s", p.rule(), p.path()).anySatisfy(s -> {
                if (history) assertThat(s.path()).startsWith("config:history[");
                else if (p.rule().equals("env-secret")) assertThat(s.path()).isEqualTo("config:ENV API_SECRET");
                else {
                    assertThat(s.ruleId()).isEqualTo(p.rule());
                    assertThat(s.path()).isEqualTo(p.path());
                }
                String shown = shown(s.match());
                assertThat(p.value()).startsWith(shown);
                assertThat(shown.length()).isLessThanOrEqualTo(p.value().length() / 3);
            });
        }
        // no report of the image ever holds a whole planted value
        String reported = image.secrets().toString() + image.hygiene();
        for (Planted p : all) assertThat(reported).doesNotContain(p.value());
    }

    @Test
    void theKeyDeletedInTheNextLayerIsStillReported() {
        String path = manifest.get("SECRETS_DELETED_KEY");
        SecretFinding key = image.secrets().stream().filter(s -> s.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(path + " not reported: " + image.secrets()));
        assertThat(key.ruleId()).isEqualTo("private-key");
        assertThat(key.deletedLater()).isTrue();
        LayerInfo copied = image.image().layers().stream().filter(l -> l.diffId().equals(key.layer())).findFirst().orElseThrow();
        assertThat(copied.createdBy()).contains("COPY");
        LayerInfo next = image.image().layers().get(copied.index() + 1);
        assertThat(next.createdBy()).contains("rm /root/.ssh/id_rsa");
        // files still visible are not marked deleted; the moved ones (mv in a later RUN) are
        assertThat(image.secrets()).filteredOn(s -> s.path().equals("/root/.npmrc")).allSatisfy(s -> assertThat(s.deletedLater()).isFalse());
        assertThat(image.secrets()).filteredOn(s -> s.path().equals("/app/config/npmrc")).isNotEmpty().allSatisfy(s -> assertThat(s.deletedLater()).isTrue());
        // the certificate beside the keys is public: nothing for it
        assertThat(image.secrets()).noneSatisfy(s -> assertThat(s.path()).endsWith(".crt"));
    }

    @Test
    void theConfigIsChecked() {
        assertThat(image.hygiene()).anySatisfy(h -> {
            assertThat(h.checkId()).isEqualTo("CIS-4.10");
            assertThat(h.evidence()).contains("API_SECRET");
        });
        assertThat(image.hygiene()).extracting(HygieneFinding::checkId).contains("CIS-4.1", "CIS-4.6", "CIS-4.7", "CIS-4.9");
        assertThat(image.secrets()).filteredOn(s -> s.path().startsWith("config:history[")).as("one finding per build ARG, not one per RUN")
                .hasSize(1);
    }

    @Test
    void hygieneFindsTheFilesystemProblemsAndTheWaste() {
        assertThat(image.hygiene()).extracting(h -> h.checkId() + " " + h.subject()).contains(
                "CIS-4.8 /usr/local/bin/suidtool", "CIS-4.8 /usr/bin/su", "BW-H-REMOTE-ACCESS /usr/sbin/sshd",
                "BW-H-WORLD-WRITABLE /app/shared", "BW-H-WORLD-WRITABLE /app/shared-notes.txt",
                "BW-H-WASTE " + manifest.get("SECRETS_WASTED_FILE"), "BW-H-WASTE /app/data.bin",
                "BW-H-CACHE apt lists", "BW-H-CACHE pip cache", "BW-H-CACHE npm cache", "BW-H-CACHE apk cache");
        assertThat(image.hygiene()).noneSatisfy(h -> assertThat(h.subject()).startsWith("/dev/"));
        assertThat(image.efficiency().wastedBytes()).isGreaterThanOrEqualTo(6L << 20);
        assertThat(image.efficiency().score()).isBetween(0.0, 1.0);
        assertThat(image.efficiency().totalBytes()).isGreaterThan(image.efficiency().wastedBytes());
    }

    @Test
    void theOciCopyGivesTheSameFindings() throws Exception {
        Inventory oci = scan("oci:" + manifest.get("SECRETS_OCI_DIR") + ":" + manifest.get("SECRETS_OCI_REF"), true);
        assertThat(oci.secrets()).isEqualTo(image.secrets());
        assertThat(oci.hygiene()).isEqualTo(image.hygiene());
    }

    /**
     * The same image from a registry and from the Docker daemon: the config's ENV, LABEL and history are checked there
     * too (the registry's config blob; the daemon's inspect Config and history), not only in files.
     */
    @Test
    void theRegistryAndTheDaemonCopiesGiveTheSameFindings() throws Exception {
        String repo = TestComponents.requireRegistry(TestComponents.registryAnonymous()) + "/secrets-test/s-"
                + java.util.UUID.randomUUID().toString().substring(0, 8);
        Process p = new ProcessBuilder(TestComponents.requireTool("skopeo").toString(), "copy", "--dest-tls-verify=false",
                "oci:" + manifest.get("SECRETS_OCI_DIR") + ":" + manifest.get("SECRETS_OCI_REF"), "docker://" + repo + ":1")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        SourceOptions o = new SourceOptions(null, null, false, null, Map.of("DOCKER_HOST", TestComponents.dockerHost()));

        Inventory registry = scan("registry:" + repo + ":1", true, o);
        assertThat(registry.secrets()).filteredOn(s -> s.path().startsWith("config:")).isNotEmpty();
        assertThat(registry.secrets()).isEqualTo(image.secrets());
        assertThat(registry.hygiene()).isEqualTo(image.hygiene());

        Inventory daemon = scan("docker:" + manifest.get("SECRETS_IMAGE"), true, o);
        assertThat(daemon.secrets()).extracting(SecretFinding::path).contains("config:ENV API_SECRET");
        assertThat(daemon.secrets()).isEqualTo(image.secrets());
        assertThat(daemon.hygiene()).isEqualTo(image.hygiene());
    }

    @Test
    void theBookwormRootfsAndTheAppImageHoldNoSecrets() throws Exception {
        TestComponents.requireImages();
        Inventory rootfs = scan("rootfs:" + TestComponents.path("ROOTFS_DIR"), false);
        assertThat(rootfs.packages()).as("the corpus was read").hasSizeGreaterThan(50);
        assertThat(rootfs.secrets()).isEmpty();
        Inventory corpus = scan("rootfs:" + manifest.get("SECRETS_CORPUS_ROOTFS"), false);
        assertThat(corpus.packages()).extracting(p -> p.name()).contains("ca-certificates", "openssl", "python3-certifi", "libssl-doc");
        assertThat(corpus.secrets()).isEmpty();
        Inventory app = scan("docker-archive:" + TestComponents.appDockerArchive(), false);
        assertThat(app.packages()).as("jars and node_modules").hasSizeGreaterThan(20);
        assertThat(app.secrets()).isEmpty();
    }

    /**
     * Certificates are quiet by the rules themselves, not by the path allow-list: the CA bundle, every certificate and
     * the Python packages, read by the rules with no path allowed, give nothing. Documentation is another matter:
     * OpenSSL's demos ship real (published) private keys, which the rules rightly recognise — that is what the path
     * allow-list of /usr/share/doc is for, and the whole-image scan above shows it working.
     */
    @Test
    void certificatesArePublicByTheRulesAndDocsNeedTheAllowList() throws Exception {
        Path root = Path.of(manifest.get("SECRETS_CORPUS_ROOTFS"));
        SecretDetector bare = new SecretDetector(BuiltinRules.all(), AllowList.valuesOnly());
        List<String> quiet = read(bare, root, List.of("etc/ssl/certs", "usr/share/ca-certificates", "usr/lib/python3/dist-packages"));
        assertThat(Files.readString(root.resolve("etc/ssl/certs/ca-certificates.crt"))).contains("BEGIN CERTIFICATE");
        assertThat(quiet).isEmpty();
        List<String> docs = read(bare, root, List.of("usr/share/doc"));
        assertThat(docs).isNotEmpty().allSatisfy(h -> assertThat(h).startsWith("private-key /usr/share/doc/libssl-dev/demos/"));
        assertThat(AllowList.builtin().path("/usr/share/doc/libssl-dev/demos/cms/cakey.pem")).isTrue();
    }

    private static List<String> read(SecretDetector d, Path root, List<String> dirs) throws IOException {
        List<String> hits = new ArrayList<>();
        int files = 0;
        for (String dir : dirs) {
            try (Stream<Path> s = Files.walk(root.resolve(dir))) {
                for (Path f : s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                    byte[] b = Files.readAllBytes(f);
                    if (b.length > SecretConfig.DEFAULT_MAX_FILE_SIZE || SecretAnalyzer.binary(b, Math.min(b.length, 8192))) continue;
                    files++;
                    for (SecretDetector.Hit h : d.scan("/" + root.relativize(f), b, b.length)) hits.add(h.rule().id() + " /" + root.relativize(f));
                }
            }
        }
        assertThat(files).as("text files read under " + dirs).isGreaterThan(50);
        return hits;
    }
}
