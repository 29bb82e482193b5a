package dev.bulwark.vulndb.fetch;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One HTTP response's body, taken a buffer at a time (one requested after the last is written, so memory stays
 * bounded whatever the size): a 200 body is hashed and written to a sink up to a limit; any other body is read up to
 * 64 KiB and dropped. Records when it last heard from the server, so a watchdog can abort a silent transfer.
 */
final class Transfer implements HttpResponse.BodySubscriber<Void> {
    static final int DISCARD_LIMIT = 64 * 1024;
    static final int HEAD_BYTES = 512;
    private static final long PROGRESS_STEP = 64 * 1024;

    /** Where a 200 body goes. Called from the HTTP client's threads, one call at a time. */
    interface Sink {
        void write(ByteBuffer buffer) throws IOException;
    }

    /** Hears the body's progress: bytes so far and the declared length (-1 when unknown). */
    interface Progress {
        void started(long total);

        void progress(long done, long total);
    }

    private final long limit;
    private final Sink sink;
    private final Progress progress;
    private final MessageDigest sha;
    private final CompletableFuture<Void> body = new CompletableFuture<>();
    private final byte[] head = new byte[HEAD_BYTES];
    private int headLength;
    private long reported;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean responded;
    private volatile int status;
    private volatile HttpHeaders headers;
    private volatile long declared = -1;
    private volatile long bytes;
    private volatile boolean saving;
    private volatile FetchFailure refused;
    private volatile Flow.Subscription subscription;

    Transfer(long limit, Sink sink, Progress progress) {
        this.limit = limit;
        this.sink = sink;
        this.progress = progress;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The body handler: decides from the status and headers what to do with the body. */
    HttpResponse.BodySubscriber<Void> begin(HttpResponse.ResponseInfo info) {
        lastActivity = System.nanoTime();
        status = info.statusCode();
        headers = info.headers();
        OptionalLong length = info.headers().firstValueAsLong("Content-Length");
        declared = length.isPresent() && length.getAsLong() >= 0 ? length.getAsLong() : -1;
        responded = true;
        if (status != 200) return this;
        String encoding = info.headers().firstValue("Content-Encoding").orElse("identity").strip();
        if (!encoding.isEmpty() && !encoding.equalsIgnoreCase("identity")) {
            refused = FetchFailure.fatal("the server sent the body with Content-Encoding " + encoding
                    + ", which was not asked for");
        } else if (declared > limit) {
            refused = FetchFailure.fatal("the body is " + declared + " bytes, more than the limit of " + limit);
        } else {
            saving = true;
            if (progress != null) progress.started(declared);
        }
        return this;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (refused != null) {
            s.cancel();
            body.completeExceptionally(refused);
        } else if (body.isDone()) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (body.isDone()) return;
        lastActivity = System.nanoTime();
        try {
            for (ByteBuffer b : items) {
                int n = b.remaining();
                if (!saving) {
                    bytes += n;
                    if (bytes > DISCARD_LIMIT) {
                        // not worth reading further: drop the connection instead of reusing it
                        subscription.cancel();
                        body.complete(null);
                        return;
                    }
                    continue;
                }
                if (bytes + n > limit) {
                    fail(FetchFailure.fatal("the body is more than the limit of " + limit + " bytes"));
                    return;
                }
                if (declared >= 0 && bytes + n > declared) {
                    fail(FetchFailure.retryable("the body is longer than its declared " + declared + " bytes"));
                    return;
                }
                if (headLength < HEAD_BYTES) {
                    int k = Math.min(n, HEAD_BYTES - headLength);
                    b.duplicate().get(head, headLength, k);
                    headLength += k;
                }
                sha.update(b.duplicate());
                sink.write(b);
                bytes += n;
            }
            if (saving && progress != null && bytes - reported >= PROGRESS_STEP) {
                reported = bytes;
                progress.progress(bytes, declared);
            }
            subscription.request(1);
        } catch (IOException e) {
            fail(new FetchFailure(false, "cannot write the download: " + FeedFetcher.describe(e), null));
        } catch (RuntimeException e) {
            fail(FetchFailure.fatal("cannot store the download: " + FeedFetcher.describe(e)));
        }
    }

    @Override
    public void onError(Throwable t) {
        body.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        if (saving && progress != null && bytes != reported) progress.progress(bytes, declared);
        body.complete(null);
    }

    @Override
    public CompletionStage<Void> getBody() {
        return body;
    }

    /** Stops the transfer (from any thread): the connection is dropped and the body fails with {@code why}. */
    void abort(FetchFailure why) {
        body.completeExceptionally(why);
        Flow.Subscription s = subscription;
        if (s != null) s.cancel();
    }

    private void fail(FetchFailure why) {
        body.completeExceptionally(why);
        subscription.cancel();
    }

    boolean responded() {
        return responded;
    }

    long nanosSinceActivity() {
        return System.nanoTime() - lastActivity;
    }

    int status() {
        return status;
    }

    HttpHeaders headers() {
        return headers;
    }

    long declared() {
        return declared;
    }

    long bytes() {
        return bytes;
    }

    /** Hex SHA-256 of the body written; call once, after the body completed. */
    String sha256() {
        return HexFormat.of().formatHex(sha.digest());
    }

    byte[] head() {
        return java.util.Arrays.copyOf(head, headLength);
    }
}
