package dev.bulwark.server;

import dev.bulwark.vulndb.DbLocation;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a server process runs.
 *
 * @param host              address to listen on (loopback by default)
 * @param port              port, 0 for any free one
 * @param api               whether to serve the API and dashboard (false: {@code --worker-only})
 * @param workers           scan workers in this process (0: API only)
 * @param lease             how long a claimed job stays a worker's without renewal
 * @param poll              how long an idle worker waits before asking for a job again
 * @param vulnDb            the vulnerability DB matched against
 * @param vulnDbCheck       how often the vulnerability DB is checked for an update (which re-matches everything)
 * @param cacheDir          the local layer cache of this process's workers, or null for none
 * @param devOpenRead       GET requests without a token (local use only; writes always need one)
 * @param allowLocalSources allow scan references naming files and daemons of the server's host (docker-archive:,
 *                          oci:, rootfs:, docker:); off by default, since a scan token must not read the server's disk
 * @param plainHttp         speak HTTP to registries (loopback registries always get HTTP)
 * @param tlsCert           PEM certificate chain for HTTPS, or null for HTTP
 * @param tlsKey            PEM PKCS#8 private key for HTTPS, or null
 * @param maxBodyBytes      largest request body accepted
 * @param corsOrigin        an origin allowed to call the API from a browser, or null (CORS off)
 */
public record ServerConfig(String host, int port, boolean api, int workers, Duration lease, Duration poll, DbLocation vulnDb,
                           Duration vulnDbCheck, Path cacheDir, boolean devOpenRead, boolean allowLocalSources, boolean plainHttp,
                           Path tlsCert, Path tlsKey, long maxBodyBytes, String corsOrigin) {
    public static final long DEFAULT_MAX_BODY = 4L << 20;

    public ServerConfig {
        if (workers < 0) throw new IllegalArgumentException("--workers must be 0 or more");
        if (!api && workers == 0) throw new IllegalArgumentException("a worker-only process needs at least one worker");
        if ((tlsCert == null) != (tlsKey == null)) throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        if (lease.toSeconds() < 2) throw new IllegalArgumentException("--lease must be at least 2s");
    }
}
