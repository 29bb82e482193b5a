package dev.bulwark.policy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * {@link ImageTrust#cached}: verdicts by reference, each kept until its expiry, in a bounded LRU map. A
 * verification runs on its own virtual thread, so a decision waits at most the timeout; the verification's
 * result still lands in the map for the calls after it.
 */
final class TrustCache implements ImageTrust {
    private final ImageTrust verifier;
    private final long ttlNanos;
    private final long negativeTtlNanos;
    private final long timeoutNanos;
    private final LongSupplier clock;
    private final Map<String, Slot> entries;
    private final Executor executor = Executors.newVirtualThreadPerTaskExecutor();

    /** One reference: its verification, and (once done) when its verdict expires. */
    private static final class Slot {
        final CompletableFuture<Verdict> verdict = new CompletableFuture<>();
        volatile long expires = Long.MAX_VALUE;
    }

    TrustCache(ImageTrust verifier, Duration ttl, Duration negativeTtl, int maxEntries, Duration timeout, LongSupplier clock) {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1");
        if (ttl.isNegative() || negativeTtl.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("durations must not be negative, the timeout must be positive");
        }
        this.verifier = verifier;
        this.ttlNanos = ttl.toNanos();
        this.negativeTtlNanos = negativeTtl.toNanos();
        this.timeoutNanos = timeout.toNanos();
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Slot> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public Verdict verify(String imageRef) {
        if (imageRef == null || imageRef.isEmpty()) return Verdict.untrusted("no image reference");
        Slot e;
        boolean start = false;
        synchronized (entries) {
            e = entries.get(imageRef);
            if (e == null || (e.verdict.isDone() && clock.getAsLong() - e.expires >= 0)) {
                e = new Slot();
                entries.put(imageRef, e);
                start = true;
            }
        }
        if (start) {
            Slot mine = e;
            executor.execute(() -> run(imageRef, mine));
        }
        try {
            return e.verdict.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException t) {
            return Verdict.untrusted("verification of " + imageRef + " did not finish within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (denied; it goes on, a later request may find it done)");
        } catch (InterruptedException t) {
            Thread.currentThread().interrupt();
            return Verdict.untrusted("interrupted while verifying " + imageRef);
        } catch (ExecutionException t) {
            return Verdict.untrusted("verification of " + imageRef + " failed: " + t.getCause());
        }
    }

    private void run(String imageRef, Slot e) {
        Verdict v;
        try {
            v = verifier.verify(imageRef);
            if (v == null) v = Verdict.untrusted("the verifier gave no verdict for " + imageRef);
        } catch (Exception | StackOverflowError | OutOfMemoryError x) {
            String m = x.getMessage() == null ? x.getClass().getSimpleName() : PolicyException.oneLineOf(x.getMessage());
            v = Verdict.untrusted("cannot verify " + imageRef + ": " + m);
        }
        e.expires = clock.getAsLong() + (v.trusted() ? ttlNanos : negativeTtlNanos);
        e.verdict.complete(v);
    }

    /** How many references are remembered now (for tests of the bound). */
    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
