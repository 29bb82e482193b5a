package dev.bulwark.vulndb.fetch;

import java.time.Duration;

/**
 * Bounds and manners of a {@link FeedFetcher}.
 *
 * @param maxBytes       largest body accepted per source; a larger one (declared or streamed) fails that source
 * @param connectTimeout how long to wait for a TCP (and TLS) connection
 * @param readTimeout    how long a response may stay silent, for its headers or between parts of its body: an
 *                       idle timeout, not a limit on a long download that keeps moving
 * @param tries          attempts per source (1 = no retry); retried are IO errors, timeouts, truncated bodies,
 *                       HTTP 408, 429 and 5xx
 * @param backoff        pause before the second attempt; doubled for each further one
 * @param maxBackoff     longest pause, also the most a server's Retry-After is honoured
 * @param parallelism    sources downloaded at once
 * @param maxRedirects   redirects followed per request (only to http and https, never from https to http)
 * @param userAgent      the User-Agent header
 */
public record FetchOptions(long maxBytes, Duration connectTimeout, Duration readTimeout, int tries, Duration backoff,
                           Duration maxBackoff, int parallelism, int maxRedirects, String userAgent) {
    /** 2 GiB per source, 30 s to connect, 60 s of silence, 3 tries from 2 s, 3 at once, 5 redirects. */
    public static final FetchOptions DEFAULT = new FetchOptions(2L << 30, Duration.ofSeconds(30),
            Duration.ofSeconds(60), 3, Duration.ofSeconds(2), Duration.ofSeconds(30), 3, 5, "bulwark");

    public FetchOptions {
        if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be positive");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        if (tries < 1 || tries > 20) throw new IllegalArgumentException("tries must be 1 to 20");
        if (backoff == null || backoff.isNegative()) throw new IllegalArgumentException("backoff must not be negative");
        if (maxBackoff == null || maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be at least backoff");
        }
        if (parallelism < 1 || parallelism > 16) throw new IllegalArgumentException("parallelism must be 1 to 16");
        if (maxRedirects < 0 || maxRedirects > 20) throw new IllegalArgumentException("maxRedirects must be 0 to 20");
        if (userAgent == null || userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw new IllegalArgumentException("userAgent must be printable ASCII");
        }
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isZero() || d.isNegative()) throw new IllegalArgumentException(what + " must be positive");
    }

    public FetchOptions withMaxBytes(long max) {
        return new FetchOptions(max, connectTimeout, readTimeout, tries, backoff, maxBackoff, parallelism,
                maxRedirects, userAgent);
    }

    public FetchOptions withTimeouts(Duration connect, Duration read) {
        return new FetchOptions(maxBytes, connect, read, tries, backoff, maxBackoff, parallelism, maxRedirects,
                userAgent);
    }

    public FetchOptions withRetries(int newTries, Duration newBackoff, Duration newMaxBackoff) {
        return new FetchOptions(maxBytes, connectTimeout, readTimeout, newTries, newBackoff, newMaxBackoff,
                parallelism, maxRedirects, userAgent);
    }

    public FetchOptions withParallelism(int n) {
        return new FetchOptions(maxBytes, connectTimeout, readTimeout, tries, backoff, maxBackoff, n, maxRedirects,
                userAgent);
    }

    public FetchOptions withUserAgent(String agent) {
        return new FetchOptions(maxBytes, connectTimeout, readTimeout, tries, backoff, maxBackoff, parallelism,
                maxRedirects, agent);
    }
}
