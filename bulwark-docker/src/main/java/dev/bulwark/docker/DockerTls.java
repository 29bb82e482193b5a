package dev.bulwark.docker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * TLS to a Docker daemon over TCP, as the docker CLI configures it.
 *
 * @param ca     PEM bundle of the CA(s) the daemon's certificate must chain to. Only read when {@code verify}; null
 *               with {@code verify} means the JDK's default trust anchors (a daemon behind a publicly trusted proxy).
 * @param cert   the client certificate (PEM, optionally followed by intermediates), or null for none
 * @param key    its private key (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC; not encrypted), or null; both or neither
 * @param verify verify the daemon's certificate and that it names the host of DOCKER_HOST (IP or DNS
 *               subjectAltName, no Common Name fallback, as the docker CLI); false encrypts without verifying
 *               ({@code DOCKER_TLS} / {@code --tls} without {@code --tlsverify})
 */
public record DockerTls(Path ca, Path cert, Path key, boolean verify) {
    /** The port the docker CLI assumes when TLS is on and DOCKER_HOST is unset. */
    public static final String DEFAULT_TLS_HOST = "tcp://localhost:2376";

    public DockerTls {
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("a client certificate needs its key and a key its certificate: give both or neither"
                + " (cert=" + cert + ", key=" + key + ")");
        }
    }

    /** Verified TLS with {@code dir}'s ca.pem, cert.pem and key.pem (all three must exist when connecting). */
    public static DockerTls verified(Path dir) {
        return new DockerTls(dir.resolve("ca.pem"), dir.resolve("cert.pem"), dir.resolve("key.pem"), true);
    }

    /**
     * What the docker CLI derives from its environment: null when neither DOCKER_TLS_VERIFY nor DOCKER_TLS is set
     * to a non-empty value (any value, even "0", turns them on, as in the docker CLI).
     */
    public static DockerTls fromEnvironment(Map<String, String> env) throws DockerException {
        return resolve(env, null, null, null, null, null);
    }

    /**
     * The docker CLI's rules for its flags over its environment; a null argument is a flag not given.
     * <ul>
     *   <li>TLS is on with {@code tls} (else DOCKER_TLS non-empty), or when {@code tlsVerify} is given at all (even
     *       false), or with DOCKER_TLS_VERIFY non-empty; verification is {@code tlsVerify}, else DOCKER_TLS_VERIFY
     *       non-empty.</li>
     *   <li>Files default to ca.pem, cert.pem and key.pem in DOCKER_CERT_PATH, else the configuration directory
     *       (DOCKER_CONFIG, else ~/.docker). A default cert.pem or key.pem that does not exist means no client
     *       certificate; a given one must exist.</li>
     * </ul>
     * Returns null when TLS is off (the file flags are then ignored, as by the docker CLI).
     */
    public static DockerTls resolve(Map<String, String> env, Boolean tls, Boolean tlsVerify, Path ca, Path cert, Path key)
            throws DockerException {
        boolean verify = tlsVerify != null ? tlsVerify : !env.getOrDefault("DOCKER_TLS_VERIFY", "").isEmpty();
        boolean on = (tls != null ? tls : !env.getOrDefault("DOCKER_TLS", "").isEmpty()) || tlsVerify != null || verify;
        if (!on) return null;
        Path dir = certDirectory(env);
        Path c = cert != null ? cert : existing(dir.resolve("cert.pem"));
        Path k = key != null ? key : existing(dir.resolve("key.pem"));
        if (c != null && k == null) {
            throw new DockerException(dir.resolve("key.pem").toString(),
                "client key not found, but there is a client certificate " + c + " (put its key.pem beside it or pass --tlskey)", 0, null);
        }
        if (k != null && c == null) {
            throw new DockerException(dir.resolve("cert.pem").toString(),
                "client certificate not found, but there is a client key " + k + " (put its cert.pem beside it or pass --tlscert)", 0, null);
        }
        return new DockerTls(ca != null ? ca : dir.resolve("ca.pem"), c, k, verify);
    }

    /** DOCKER_CERT_PATH, else DOCKER_CONFIG, else ~/.docker (HOME from {@code env}, else user.home). */
    public static Path certDirectory(Map<String, String> env) {
        String p = env.getOrDefault("DOCKER_CERT_PATH", "");
        if (!p.isEmpty()) return Path.of(p);
        String config = env.getOrDefault("DOCKER_CONFIG", "");
        if (!config.isEmpty()) return Path.of(config);
        String home = env.getOrDefault("HOME", "");
        return Path.of(home.isEmpty() ? System.getProperty("user.home") : home, ".docker");
    }

    private static Path existing(Path p) {
        return Files.exists(p) ? p : null;
    }
}
