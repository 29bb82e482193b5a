package dev.bulwark.trust;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageRef;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Docker Content Trust against the real notary-server of scripts/notary.sh: trust data signed by the notary client
 * and by the docker CLI (DOCKER_CONTENT_TRUST=1) verifies; copies of that real metadata, tampered one fault at a
 * time and served from a loopback server here, are each refused.
 */
class NotaryIT {
    static String url;
    static Path ca;
    @TempDir
    Path tmp;

    @BeforeAll
    static void requireNotary() throws IOException {
        Path env = TestComponents.work().resolve("notary/env");
        if (!Files.isRegularFile(env)) throw TestComponents.missing("notary-server", "no " + env + ": run scripts/notary.sh start");
        Map<String, String> m = new HashMap<>();
        for (String l : Files.readAllLines(env)) if (l.contains("=")) m.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
        url = m.get("NOTARY_URL");
        ca = Path.of(m.get("NOTARY_CA"));
        try {
            NotaryServer.open(url, ca, "probe/probe").fetch("root");
        } catch (TrustException e) {
            throw TestComponents.missing("notary-server", e.oneLine() + "; run scripts/notary.sh start");
        }
        TestComponents.requireTool("notary");
    }

    private String run(Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
        return out;
    }

    private final Map<String, String> passphrases = Map.of("NOTARY_ROOT_PASSPHRASE", "root-pass", "NOTARY_TARGETS_PASSPHRASE", "targets-pass",
            "NOTARY_SNAPSHOT_PASSPHRASE", "snapshot-pass", "NOTARY_DELEGATION_PASSPHRASE", "delegation-pass");

    private String notary(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("notary", "-s", url, "-d", tmp.resolve("notary-client").toString(), "--tlscacert", ca.toString()));
        cmd.addAll(List.of(args));
        return run(passphrases, cmd.toArray(String[]::new));
    }

    private NotaryVerifier verifier(Path trustDir) {
        return new NotaryVerifier(trustDir, null, Clock.systemUTC());
    }

    /** An image pushed to a fresh repository, signed by the notary client into targets/releases. */
    private record Signed(String repo, String gun, Digest digest) {
    }

    private Signed notarySigned() throws Exception {
        String repo = TestImages.freshRepository("notary");
        Digest d = TestImages.push(repo + ":1", repo);
        long size = dev.bulwark.image.Registry.open(ImageRef.parse(repo + ":1"), TestImages.options()).manifest("1").body().length;
        notary("init", repo, "-p");
        Path openssl = TestComponents.requireTool("openssl");
        run(Map.of(), openssl.toString(), "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", tmp.resolve("del.key").toString());
        run(Map.of(), openssl.toString(), "req", "-new", "-x509", "-key", tmp.resolve("del.key").toString(), "-subj", "/CN=releases",
                "-days", "30", "-out", tmp.resolve("del.crt").toString());
        notary("delegation", "add", repo, "targets/releases", tmp.resolve("del.crt").toString(), "--all-paths", "-p");
        notary("key", "import", tmp.resolve("del.key").toString(), "--role", "targets/releases");
        notary("addhash", repo, "1", Long.toString(size), "--sha256", d.hex(), "-r", "targets/releases", "-p");
        return new Signed(repo, repo, d);
    }

    @Test
    void notaryClientDelegationVerifiesAndRootRotationIsFollowed() throws Exception {
        Signed s = notarySigned();
        Path trust = tmp.resolve("trust");
        ImageVerifier iv = new ImageVerifier(TrustPolicy.ofKeys(List.of(), Map.of()), TestImages.options());
        var v = iv.verifyNotary(ImageRef.parse(s.repo() + ":1"), verifier(trust), NotaryServer.open(url, ca, s.gun()));
        assertThat(v.verified()).as(v.reasons().toString()).isTrue();
        assertThat(v.digest()).isEqualTo(s.digest());
        assertThat(v.signers()).singleElement().asString().contains("targets/releases").contains("trusted on first use");

        // root key rotation by the notary client: the new root is signed by the old key too, so it is followed
        run(passphrases, "sh", "-c", "echo yes | notary -s " + url + " -d " + tmp.resolve("notary-client") + " --tlscacert " + ca
                + " key rotate " + s.gun() + " root");
        var t = verifier(trust).verify(s.gun(), "1", NotaryServer.open(url, ca, s.gun()));
        assertThat(t.rootVersion()).isEqualTo(2);
        assertThat(t.trustedFirst()).isFalse();

        // the same through a trust policy rule (the policy engine's path)
        Files.copy(ca, tmp.resolve("notary-ca.crt"));
        Files.writeString(tmp.resolve("policy.yaml"), "rules:\n  - match: " + s.repo().substring(0, s.repo().lastIndexOf('/')) + "/*\n"
                + "    require: notary\n    notary: " + url + "\n    notary-ca: notary-ca.crt\n");
        var byPolicy = new ImageVerifier(TrustPolicy.load(tmp.resolve("policy.yaml")), TestImages.options(), trust).verify(ImageRef.parse(s.repo() + ":1"));
        assertThat(byPolicy.verified()).as(byPolicy.reasons().toString()).isTrue();
        assertThat(byPolicy.digest()).isEqualTo(s.digest());

        // the registry's tag moves away from what the trust data signs: refused
        TestImages.push(s.repo() + ":1", "moved");
        var moved = iv.verifyNotary(ImageRef.parse(s.repo() + ":1"), verifier(trust), NotaryServer.open(url, ca, s.gun()));
        assertThat(moved.verified()).isFalse();
        assertThat(moved.reasons()).singleElement().asString().contains("but the trust data signs " + s.digest());
    }

    @Test
    void dockerCliPushUnderContentTrustVerifies() throws Exception {
        Path docker = TestComponents.requireTool("docker");
        TestComponents.requireDocker();
        String repo = TestImages.freshRepository("dct");
        Path cfg = tmp.resolve("docker-config");
        String hostPort = url.substring("https://".length());
        Files.createDirectories(cfg.resolve("tls").resolve(hostPort));
        Files.copy(ca, cfg.resolve("tls").resolve(hostPort).resolve("ca.crt"));
        Map<String, String> env = new HashMap<>(Map.of("DOCKER_HOST", TestComponents.dockerHost(), "DOCKER_CONFIG", cfg.toString()));
        run(env, docker.toString(), "tag", TestComponents.bookwormImage(), repo + ":1");
        env.putAll(Map.of("DOCKER_CONTENT_TRUST", "1", "DOCKER_CONTENT_TRUST_SERVER", url,
                "DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", "root-pass", "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", "repo-pass"));
        try {
            String out = run(env, docker.toString(), "push", repo + ":1");
            assertThat(out).contains("Successfully signed");
        } finally {
            run(Map.of("DOCKER_HOST", TestComponents.dockerHost(), "DOCKER_CONFIG", cfg.toString()), docker.toString(), "rmi", repo + ":1");
        }
        ImageVerifier iv = new ImageVerifier(TrustPolicy.ofKeys(List.of(), Map.of()), TestImages.options());
        var v = iv.verifyNotary(ImageRef.parse(repo + ":1"), verifier(tmp.resolve("trust")), NotaryServer.open(url, ca, repo));
        assertThat(v.verified()).as(v.reasons().toString()).isTrue();
        Digest registryDigest = dev.bulwark.image.Registry.open(ImageRef.parse(repo + ":1"), TestImages.options()).resolve("1").digest();
        assertThat(v.digest()).isEqualTo(registryDigest);
    }

    // ------------------------------------------------------------------ tampered copies of real metadata

    /** Serves the given files as a Notary server would, over loopback HTTP. */
    private static HttpServer serve(String gun, Map<String, byte[]> files) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String prefix = "/v2/" + gun + "/_trust/tuf/";
        s.createContext("/", ex -> {
            String p = ex.getRequestURI().getPath();
            byte[] b = p.startsWith(prefix) && p.endsWith(".json") ? files.get(p.substring(prefix.length(), p.length() - 5)) : null;
            if (b == null) ex.sendResponseHeaders(404, -1);
            else {
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
            }
            ex.close();
        });
        s.start();
        return s;
    }

    private static Map<String, byte[]> fetchAll(String gun) throws TrustException {
        NotaryServer src = NotaryServer.open(url, ca, gun);
        Map<String, byte[]> files = new HashMap<>();
        for (String r : List.of("root", "timestamp", "snapshot", "targets", "targets/releases")) {
            byte[] b = src.fetch(r);
            if (b != null) files.put(r, b);
        }
        return files;
    }

    private NotaryVerifier.Target verifyServed(String gun, Map<String, byte[]> files, NotaryVerifier v) throws Exception {
        HttpServer s = serve(gun, files);
        try {
            return v.verify(gun, "1", NotaryServer.open("http://127.0.0.1:" + s.getAddress().getPort(), null, gun));
        } finally {
            s.stop(0);
        }
    }

    static org.assertj.core.api.ThrowingConsumer<Throwable> refused(String... parts) {
        return e -> {
            assertThat(e).isInstanceOf(TrustRefusal.class);
            assertThat(((TrustException) e).oneLine()).contains(parts).doesNotContain("\n");
        };
    }

    private static byte[] edit(byte[] file, java.util.function.Consumer<ObjectNode> change) throws IOException {
        ObjectNode n = (ObjectNode) TufRepo.JSON.readTree(file);
        change.accept(n);
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void tamperedRealMetadataIsRefused() throws Exception {
        Signed s = notarySigned();
        Map<String, byte[]> real = fetchAll(s.gun());
        assertThat(verifyServed(s.gun(), real, verifier(tmp.resolve("t0"))).digest()).isEqualTo(s.digest());

        // a flipped byte in the timestamp's signature
        Map<String, byte[]> flipped = new HashMap<>(real);
        flipped.put("timestamp", edit(real.get("timestamp"), n -> {
            ObjectNode sig = (ObjectNode) n.path("signatures").get(0);
            byte[] raw = Base64.getDecoder().decode(sig.path("sig").asText());
            raw[0] ^= 1;
            sig.put("sig", Base64.getEncoder().encodeToString(raw));
        }));
        assertThatThrownBy(() -> verifyServed(s.gun(), flipped, verifier(null))).satisfies(refused("timestamp.json", "did not verify"));

        // expires bumped into the past: the signature no longer covers it
        Map<String, byte[]> bumped = new HashMap<>(real);
        bumped.put("timestamp", edit(real.get("timestamp"), n -> ((ObjectNode) n.path("signed")).put("expires", "2020-01-01T00:00:00Z")));
        assertThatThrownBy(() -> verifyServed(s.gun(), bumped, verifier(null))).satisfies(refused("timestamp.json", "did not verify"));

        // the real, validly signed timestamp seen after it expired (notary-server's are valid for 14 days)
        NotaryVerifier later = new NotaryVerifier(null, null, Clock.fixed(Instant.now().plus(15, ChronoUnit.DAYS), ZoneOffset.UTC));
        assertThatThrownBy(() -> verifyServed(s.gun(), real, later)).satisfies(refused("timestamp.json", "expired on"));

        // a signature removed: below the threshold
        Map<String, byte[]> unsigned = new HashMap<>(real);
        unsigned.put("timestamp", edit(real.get("timestamp"), n -> n.putArray("signatures")));
        assertThatThrownBy(() -> verifyServed(s.gun(), unsigned, verifier(null))).satisfies(refused("signed by 0 of the role's keys, threshold is 1"));

        // signed by another key under the timestamp key's ID
        TufRepo.Key other = TufRepo.Key.ed25519();
        Map<String, byte[]> forged = new HashMap<>(real);
        forged.put("timestamp", edit(real.get("timestamp"), n -> {
            String id = n.path("signatures").get(0).path("keyid").asText();
            ObjectNode sig = other.sign(CanonicalJson.bytes(n.path("signed")));
            sig.put("keyid", id);
            n.putArray("signatures").add(sig);
        }));
        assertThatThrownBy(() -> verifyServed(s.gun(), forged, verifier(null))).satisfies(refused("timestamp.json", "did not verify"));

        // targets/releases altered: its hash in snapshot no longer matches
        Map<String, byte[]> altered = new HashMap<>(real);
        altered.put("targets/releases", edit(real.get("targets/releases"), n -> ((ObjectNode) n.path("signed")).put("version", 99)));
        assertThatThrownBy(() -> verifyServed(s.gun(), altered, verifier(null))).satisfies(refused("targets/releases.json", "altered"));
    }

    @Test
    void rolledBackRealMetadataIsRefused() throws Exception {
        Signed s = notarySigned();
        Path trust = tmp.resolve("trust");
        Map<String, byte[]> old = fetchAll(s.gun());
        verifyServed(s.gun(), old, verifier(trust));
        notary("addhash", s.gun(), "2", "10", "--sha256", "0".repeat(64), "-r", "targets/releases", "-p");
        var t = verifier(trust).verify(s.gun(), "1", NotaryServer.open(url, ca, s.gun()));
        assertThat(t.digest()).isEqualTo(s.digest());
        assertThatThrownBy(() -> verifyServed(s.gun(), old, verifier(trust))).satisfies(refused("rollback refused"));
    }
}
