package dev.bulwark.vulndb.fetch;

import dev.bulwark.vulndb.VulnDbException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * Downloads feeds into a feed directory, each into its own file, so that the directory can be imported with
 * {@link dev.bulwark.vulndb.feed.Feeds#parseTree(Path)}.
 *
 * <p>Each source is fetched with a conditional GET (the ETag and Last-Modified the server gave last time), its body
 * streamed to a temporary file in the feed directory while its SHA-256 is computed, checked (declared length, size
 * limit, expected checksum, first bytes) and only then moved over the previous file in one atomic rename. A 304, or
 * a body equal to the file already there, rewrites nothing. A failed, partial or rejected download never replaces
 * the previous file. IO errors, timeouts, truncated bodies and HTTP 408/429/5xx are retried with backoff; anything
 * else fails the source at once. One source failing does not stop the others.
 *
 * <p>Nothing is written outside the feed directory: besides the feed files it holds, per source, a hidden sidecar
 * {@code .FILE.fetch} with the validators, hidden {@code .part} files while downloading, and {@code .fetch.lock},
 * which keeps two updates out of the same directory. The network is touched only by {@link #fetch}.
 */
public final class FeedFetcher {
    private static final String LOCK_FILE = ".fetch.lock";
    private static final int CHECKSUM_LIMIT = 64 * 1024;
    /**
     * Feed directories being updated by this JVM. Checked before the file lock: closing a second channel on the lock
     * file would release the first one's lock on POSIX systems.
     */
    private static final Set<Path> IN_USE = ConcurrentHashMap.newKeySet();

    private final FetchOptions options;

    public FeedFetcher() {
        this(FetchOptions.DEFAULT);
    }

    public FeedFetcher(FetchOptions options) {
        this.options = options;
    }

    public FetchOptions options() {
        return options;
    }

    /**
     * Fetches every source into {@code feedDir} (created if missing), a few at a time.
     *
     * @return one outcome per source, in the order given
     * @throws VulnDbException only when the directory cannot be used (not creatable, not writable, in use by another
     *                         update), when two sources share a name or file, or when interrupted
     */
    @SuppressWarnings("try") // the lock is held by being open
    public FetchResult fetch(List<FeedSource> sources, Path feedDir, ProgressListener listener)
            throws VulnDbException {
        ProgressListener heard = listener == null ? ProgressListener.NONE : listener;
        checkDistinct(sources);
        Path dir = feedDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new VulnDbException(feedDir.toString(), "cannot create the feed directory: " + describe(e), e);
        }
        if (!Files.isDirectory(dir)) throw new VulnDbException(feedDir.toString(), "not a directory", null);
        if (!Files.isWritable(dir)) throw new VulnDbException(feedDir.toString(), "not writable", null);
        Path key;
        try {
            key = dir.toRealPath();
        } catch (IOException e) {
            throw new VulnDbException(feedDir.toString(), describe(e), e);
        }
        if (!IN_USE.add(key)) throw new VulnDbException(feedDir.toString(), IN_USE_MESSAGE, null);
        try (FileChannel lockChannel = openLock(dir, feedDir); FileLock lock = lock(lockChannel, feedDir)) {
            return fetchLocked(sources, dir, heard, feedDir);
        } catch (IOException e) {
            throw new VulnDbException(feedDir.toString(), "cannot lock the feed directory: " + describe(e), e);
        } finally {
            IN_USE.remove(key);
        }
    }

    private static final String IN_USE_MESSAGE = "another feed update is using this directory";

    private static FileChannel openLock(Path dir, Path shown) throws VulnDbException {
        try {
            return FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new VulnDbException(shown.toString(), "cannot create " + LOCK_FILE + ": " + describe(e), e);
        }
    }

    private static FileLock lock(FileChannel channel, Path shown) throws IOException, VulnDbException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new VulnDbException(shown.toString(), IN_USE_MESSAGE, null);
        }
        return lock;
    }

    private FetchResult fetchLocked(List<FeedSource> sources, Path dir, ProgressListener listener, Path shown)
            throws VulnDbException {
        if (sources.isEmpty()) return new FetchResult(List.of());
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1);
        ProxySelector proxy = ProxySelector.getDefault();
        if (proxy != null) b.proxy(proxy);
        HttpClient client = b.build();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.parallelism(), sources.size()), r -> {
            Thread t = new Thread(r, "bulwark-feed-fetch-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Future<FetchOutcome>> futures = new ArrayList<>();
        try {
            for (FeedSource s : sources) futures.add(pool.submit(() -> new Job(client, dir, s, listener).run()));
            List<FetchOutcome> outcomes = new ArrayList<>();
            for (Future<FetchOutcome> f : futures) outcomes.add(f.get());
            return new FetchResult(outcomes);
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new VulnDbException(shown.toString(), "feed update interrupted", null);
        } catch (ExecutionException e) {
            // Job.run catches everything; this is a bug, reported as such
            throw new IllegalStateException("feed fetch failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(options.readTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client.shutdownNow();
        }
    }

    private static void checkDistinct(List<FeedSource> sources) throws VulnDbException {
        Set<String> names = new HashSet<>();
        Set<String> files = new HashSet<>();
        for (FeedSource s : sources) {
            if (!names.add(s.name())) throw new VulnDbException("feed " + s.name(), "listed twice", null);
            if (!files.add(s.fileName().toLowerCase(Locale.ROOT))) {
                throw new VulnDbException("feed " + s.name(), "another source is stored as " + s.fileName(), null);
            }
        }
    }

    /** One source: checksum, conditional GET with retries, checks, and the move into place. */
    private final class Job {
        private final HttpClient client;
        private final Path dir;
        private final FeedSource source;
        private final ProgressListener listener;
        private final Path target;
        private int tries;

        Job(HttpClient client, Path dir, FeedSource source, ProgressListener listener) {
            this.client = client;
            this.dir = dir;
            this.source = source;
            this.listener = listener;
            this.target = dir.resolve(source.fileName());
        }

        FetchOutcome run() {
            FetchOutcome outcome;
            try {
                outcome = fetch();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = failed(Urls.redact(source.url()) + ": interrupted");
            } catch (RuntimeException e) {
                outcome = failed(Urls.redact(source.url()) + ": internal error: " + describe(e));
            }
            try {
                listener.finished(outcome);
            } catch (RuntimeException ignored) {
                // a listener's fault is not the download's
            }
            return outcome;
        }

        private FetchOutcome fetch() throws InterruptedException {
            removeStaleParts();
            FetchState old = FetchState.read(dir, source);
            boolean have = old != null && old.url().equals(source.url()) && matches(old);
            String expected = source.sha256();
            if (source.checksumUrl() != null) {
                try {
                    expected = fetchChecksum();
                } catch (FetchFailure f) {
                    return failed(Urls.redact(source.checksumUrl()) + ": " + f.getMessage()
                            + (f.retryable() && tries > 1 ? " after " + tries + " tries" : ""));
                }
                tries = 0;
            }
            if (expected != null && have && expected.equals(old.sha256())) {
                return outcome(FetchOutcome.Status.UNCHANGED, old.sha256(), "unchanged (checksum as before)");
            }
            FetchState conditional = have && expected == null ? old : null;
            Path tmp;
            try {
                tmp = Files.createTempFile(dir, "." + source.fileName() + ".", ".part");
            } catch (IOException e) {
                return failed(dir + ": cannot create a temporary file: " + describe(e));
            }
            try {
                return download(tmp, conditional, old, expected);
            } finally {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a stale .part is removed by the next run
                }
            }
        }

        private FetchOutcome download(Path tmp, FetchState conditional, FetchState old, String expected)
                throws InterruptedException {
            Transfer done;
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                done = withRetries(() -> {
                    channel.truncate(0);
                    channel.position(0);
                    Transfer t = get(source.url(), conditional, options.maxBytes(), buffer -> {
                        while (buffer.hasRemaining()) channel.write(buffer);
                    }, true);
                    if (t.status() == 304 && conditional == null) {
                        throw FetchFailure.fatal("HTTP 304 to a request that was not conditional");
                    }
                    if (t.status() == 200) checkLength(t);
                    return t;
                });
                if (done.status() == 200) channel.force(true);
            } catch (FetchFailure f) {
                return failed(Urls.redact(source.url()) + ": " + f.getMessage()
                        + (f.retryable() && tries > 1 ? " after " + tries + " tries" : ""));
            } catch (IOException e) {
                return failed(target + ": cannot write the download: " + describe(e));
            }
            if (done.status() == 304) {
                return outcome(FetchOutcome.Status.UNCHANGED, old.sha256(), "unchanged (HTTP 304 Not Modified)");
            }
            String url = Urls.redact(source.url());
            String sha = done.sha256();
            String bad = Sniff.problem(source.fileName(), done.head(), done.bytes());
            if (bad != null) return failed(url + ": " + bad);
            if (expected != null && !expected.equals(sha)) {
                return failed(url + ": SHA-256 mismatch: expected " + expected + ", got " + sha);
            }
            String etag = done.headers().firstValue("ETag").orElse(null);
            String lastModified = done.headers().firstValue("Last-Modified").orElse(null);
            FetchState state = new FetchState(source.url(), etag, lastModified, sha, done.bytes());
            try {
                if (old != null && sha.equals(old.sha256()) && done.bytes() == old.size() && matches(old)) {
                    // same bytes as the file already there (a server without validators): keep the file
                    state.write(dir, source);
                    return outcome(FetchOutcome.Status.UNCHANGED, sha, "unchanged (same content)");
                }
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: keep its default permissions
            } catch (IOException e) {
                return failed(target + ": " + describe(e));
            }
            try {
                // without a sidecar a crash between the two steps leads to an unconditional fetch, not a stale 304
                FetchState.delete(dir, source);
                move(tmp, target);
            } catch (IOException e) {
                return failed(target + ": cannot move the download into place: " + describe(e));
            }
            try {
                state.write(dir, source);
            } catch (IOException e) {
                // the feed is in place; only the next fetch's validators are lost
            }
            return outcome(FetchOutcome.Status.UPDATED, sha, "updated (" + done.bytes() + " bytes)");
        }

        private String fetchChecksum() throws FetchFailure, InterruptedException {
            ByteArrayOutputStream[] body = new ByteArrayOutputStream[1];
            withRetries(() -> {
                body[0] = new ByteArrayOutputStream();
                Transfer t = get(source.checksumUrl(), null, CHECKSUM_LIMIT, buffer -> {
                    byte[] chunk = new byte[buffer.remaining()];
                    buffer.get(chunk);
                    body[0].write(chunk);
                }, false);
                if (t.status() != 200) throw FetchFailure.fatal("HTTP " + t.status());
                checkLength(t);
                return t;
            });
            return Checksums.parse(body[0].toString(StandardCharsets.UTF_8), Urls.lastSegment(source.url()));
        }

        private Transfer withRetries(Attempt attempt) throws FetchFailure, InterruptedException {
            long pause = options.backoff().toMillis();
            for (tries = 1; ; tries++) {
                try {
                    return attempt.run();
                } catch (FetchFailure f) {
                    if (!f.retryable() || tries >= options.tries()) throw f;
                    long wait = Math.min(pause, options.maxBackoff().toMillis());
                    if (f.retryAfter() != null) {
                        wait = Math.max(wait, Math.min(f.retryAfter().toMillis(), options.maxBackoff().toMillis()));
                    }
                    try {
                        listener.retrying(source, tries + 1, f.getMessage());
                    } catch (RuntimeException ignored) {
                        // a listener's fault is not the download's
                    }
                    Thread.sleep(wait);
                    pause = Math.min(pause * 2, options.maxBackoff().toMillis());
                } catch (IOException e) {
                    throw new FetchFailure(false, "cannot write: " + describe(e), null);
                }
            }
        }

        /**
         * One GET, following redirects; returns the final response's transfer (200, 304 and nothing else).
         *
         * @param progress whether this body counts for the progress listener
         */
        private Transfer get(URI url, FetchState conditional, long limit, Transfer.Sink sink, boolean progress)
                throws FetchFailure, InterruptedException {
            URI current = url;
            for (int hop = 0; ; hop++) {
                HttpRequest.Builder req = HttpRequest.newBuilder(current).GET()
                        .header("User-Agent", options.userAgent()).header("Accept-Encoding", "identity");
                if (conditional != null) {
                    if (conditional.etag() != null) req.header("If-None-Match", conditional.etag());
                    if (conditional.lastModified() != null) req.header("If-Modified-Since", conditional.lastModified());
                }
                Transfer t = new Transfer(limit, sink, progress ? progress() : null);
                HttpResponse<Void> response = await(client.sendAsync(req.build(), t::begin), t);
                int code = response.statusCode();
                if (code == 200 || code == 304) return t;
                if (code == 301 || code == 302 || code == 303 || code == 307 || code == 308) {
                    current = redirect(current, response, hop);
                    continue;
                }
                boolean retry = code == 408 || code == 429 || code >= 500 && code <= 599;
                String from = current.equals(url) ? "" : " from " + Urls.redact(current);
                throw new FetchFailure(retry, "HTTP " + code + from, retryAfter(response));
            }
        }

        private URI redirect(URI from, HttpResponse<Void> response, int hop) throws FetchFailure {
            String location = response.headers().firstValue("Location").orElse(null);
            if (location == null) throw FetchFailure.fatal("HTTP " + response.statusCode() + " without a Location");
            if (hop >= options.maxRedirects()) {
                throw FetchFailure.fatal("more than " + options.maxRedirects() + " redirects");
            }
            return Urls.redirect(from, location);
        }

        /**
         * Waits for a response and its body, aborting it when the server stays silent: longer than the connect
         * plus read timeout before the headers, longer than the read timeout between parts of the body.
         */
        private HttpResponse<Void> await(CompletableFuture<HttpResponse<Void>> pending, Transfer t)
                throws FetchFailure, InterruptedException {
            long read = options.readTimeout().toNanos();
            long beforeHeaders = read + options.connectTimeout().toNanos();
            long poll = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(read / 4, TimeUnit.MILLISECONDS.toNanos(250)));
            while (true) {
                try {
                    return pending.get(poll, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    boolean headers = t.responded();
                    if (t.nanosSinceActivity() >= (headers ? read : beforeHeaders)) {
                        FetchFailure why = FetchFailure.retryable(headers
                                ? "no data for " + seconds(options.readTimeout()) + " after " + t.bytes() + " bytes"
                                : "no response within " + seconds(Duration.ofNanos(beforeHeaders)));
                        t.abort(why);
                        pending.cancel(true);
                        throw why;
                    }
                } catch (ExecutionException e) {
                    throw classify(e.getCause(), t);
                } catch (CancellationException e) {
                    throw FetchFailure.retryable("the request was cancelled");
                } catch (InterruptedException e) {
                    t.abort(FetchFailure.fatal("interrupted"));
                    pending.cancel(true);
                    throw e;
                }
            }
        }

        private FetchFailure classify(Throwable cause, Transfer t) {
            Throwable c = cause;
            while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
                c = c.getCause();
            }
            for (Throwable x = c; x != null; x = x.getCause()) {
                if (x instanceof FetchFailure f) return f;
            }
            if (c instanceof HttpConnectTimeoutException) {
                return FetchFailure.retryable("cannot connect within " + seconds(options.connectTimeout()));
            }
            if (c instanceof HttpTimeoutException) return FetchFailure.retryable("timed out");
            for (Throwable x = c; x != null; x = x.getCause()) {
                if (x instanceof UnresolvedAddressException || x instanceof java.net.UnknownHostException) {
                    return FetchFailure.retryable("cannot resolve the host name");
                }
            }
            if (c instanceof ConnectException) {
                String why = null;
                for (Throwable x = c; x != null && why == null; x = x.getCause()) {
                    if (x.getMessage() != null && !x.getMessage().isBlank()) why = describe(x);
                }
                return FetchFailure.retryable("cannot connect: " + (why == null ? "connection refused" : why));
            }
            if (c instanceof SSLException) return FetchFailure.fatal("TLS failed: " + describe(c));
            if (c instanceof IOException) {
                if (t.responded() && t.status() == 200 && t.declared() >= 0 && t.bytes() < t.declared()) {
                    return FetchFailure.retryable("the connection closed after " + t.bytes() + " of "
                            + t.declared() + " bytes");
                }
                return FetchFailure.retryable("connection failed: " + describe(c));
            }
            return FetchFailure.fatal("request failed: " + describe(c));
        }

        private void checkLength(Transfer t) throws FetchFailure {
            if (t.declared() >= 0 && t.bytes() != t.declared()) {
                throw FetchFailure.retryable("the body ended after " + t.bytes() + " of " + t.declared() + " bytes");
            }
        }

        private Transfer.Progress progress() {
            return new Transfer.Progress() {
                @Override
                public void started(long total) {
                    try {
                        listener.started(source, total);
                    } catch (RuntimeException ignored) {
                        // a listener's fault is not the download's
                    }
                }

                @Override
                public void progress(long done, long total) {
                    try {
                        listener.progress(source, done, total);
                    } catch (RuntimeException ignored) {
                        // a listener's fault is not the download's
                    }
                }
            };
        }

        /** Whether the file in place is the one the sidecar describes (same size; not a link). */
        private boolean matches(FetchState state) {
            try {
                return Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Files.size(target) == state.size();
            } catch (IOException e) {
                return false;
            }
        }

        /** Removes .part files a killed earlier run left for this source. */
        private void removeStaleParts() {
            String prefix = "." + source.fileName() + ".";
            try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, prefix + "*.part")) {
                for (Path p : parts) {
                    // only this source's names: another source's file may start with this one's name
                    String rest = p.getFileName().toString().substring(prefix.length());
                    if (rest.matches("\\d+(\\.fetch)?\\.part")) Files.deleteIfExists(p);
                }
            } catch (IOException ignored) {
                // harmless: they are hidden and never imported as feeds
            }
        }

        private FetchOutcome outcome(FetchOutcome.Status status, String sha, String message) {
            long size = 0;
            try {
                size = Files.size(target);
            } catch (IOException ignored) {
                // reported as 0
            }
            return new FetchOutcome(source, status, target, size, sha, tries, message);
        }

        private FetchOutcome failed(String message) {
            boolean kept = Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS);
            FetchState old = kept ? FetchState.read(dir, source) : null;
            long size = 0;
            try {
                size = kept ? Files.size(target) : 0;
            } catch (IOException ignored) {
                // reported as 0
            }
            return new FetchOutcome(source, FetchOutcome.Status.FAILED, kept ? target : null, size,
                    old != null && old.size() == size ? old.sha256() : null, tries, message);
        }
    }

    @FunctionalInterface
    private interface Attempt {
        Transfer run() throws FetchFailure, InterruptedException, IOException;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        String v = response.headers().firstValue("Retry-After").orElse("").strip();
        if (!v.matches("\\d{1,6}")) return null;
        return Duration.ofSeconds(Long.parseLong(v));
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** An exception as one line: its message, else its type, with the file for file-system errors. */
    static String describe(Throwable e) {
        if (e instanceof FileSystemException fse) {
            String reason = fse.getReason() != null ? fse.getReason() : e.getClass().getSimpleName();
            return fse.getFile() == null ? reason : fse.getFile() + ": " + reason;
        }
        String msg = e.getMessage();
        if (msg == null || msg.isBlank()) return e.getClass().getSimpleName();
        return msg.replaceAll("\\s+", " ").strip();
    }
}
