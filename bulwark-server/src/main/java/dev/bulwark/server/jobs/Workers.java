package dev.bulwark.server.jobs;

import dev.bulwark.model.BulwarkException;
import dev.bulwark.server.ServerException;
import dev.bulwark.server.store.Jobs;
import dev.bulwark.server.store.Results;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The scan workers of one process: each thread claims a job, renews its lease while working, and stores the
 * results with the job's completion in one transaction. Nothing is kept outside the DB: a process can die at any
 * moment and another picks its jobs up when their leases run out.
 */
public final class Workers implements AutoCloseable {
    private final Jobs jobs;
    private final Results results;
    private final ScanRunner runner;
    private final int leaseSeconds;
    private final Duration poll;
    private final Duration vulnDbCheck;
    private final Consumer<String> log;
    private final SharedCache cache;
    private final String processId = "worker-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    private final ConcurrentHashMap<Long, Jobs.Claim> held = new ConcurrentHashMap<>();
    private final Thread[] threads;
    private final ScheduledExecutorService timers;
    private final Object wake = new Object();
    private volatile boolean stopping;

    /**
     * @param store    the store, also holding the shared layer cache
     * @param cacheDir this process's copy of the layer cache, or null for none
     */
    public Workers(int count, dev.bulwark.server.store.Store store, java.nio.file.Path cacheDir, Jobs jobs, Results results,
                   ScanRunner runner, Duration lease, Duration poll, Duration vulnDbCheck, Consumer<String> log) {
        this.cache = cacheDir == null ? null : new SharedCache(store, cacheDir, log);
        this.jobs = jobs;
        this.results = results;
        this.runner = runner;
        this.leaseSeconds = (int) Math.max(2, lease.toSeconds());
        this.poll = poll;
        this.vulnDbCheck = vulnDbCheck;
        this.log = log;
        this.threads = new Thread[count];
        // two threads: a slow look at the vulnerability DB must not hold up the lease renewals
        this.timers = Executors.newScheduledThreadPool(2, r -> Thread.ofPlatform().daemon(true).name("bulwark-lease").unstarted(r));
    }

    public void start() {
        long renewMs = Math.max(500, leaseSeconds * 1000L / 3);
        timers.scheduleWithFixedDelay(this::renewAll, renewMs, renewMs, TimeUnit.MILLISECONDS);
        if (vulnDbCheck != null) timers.scheduleWithFixedDelay(this::checkVulnDb, vulnDbCheck.toMillis(), vulnDbCheck.toMillis(), TimeUnit.MILLISECONDS);
        for (int i = 0; i < threads.length; i++) {
            String owner = processId + "-" + i;
            threads[i] = Thread.ofPlatform().daemon(true).name("bulwark-worker-" + i).start(() -> loop(owner));
        }
    }

    /** Tells idle workers a job was just queued here (others find it on their next poll). */
    public void nudge() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void loop(String owner) {
        while (!stopping) {
            Optional<Jobs.Claim> claim;
            try {
                claim = jobs.claim(owner, leaseSeconds);
            } catch (ServerException e) {
                log.accept("bulwark serve: cannot claim a job: " + e.oneLine());
                claim = Optional.empty();
            }
            if (claim.isEmpty()) {
                synchronized (wake) {
                    if (stopping) return;
                    try {
                        wake.wait(poll.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            run(claim.get());
        }
    }

    private void run(Jobs.Claim c) {
        held.put(c.id(), c);
        try {
            Results.ScanResult r;
            try {
                if (Jobs.REMATCH.equals(c.kind())) {
                    Optional<byte[]> inv = results.latestInventory(c.reference());
                    if (inv.isEmpty()) {
                        jobs.fail(c, "no stored inventory for " + c.reference());
                        return;
                    }
                    r = runner.rematch(c.reference(), inv.get());
                } else {
                    if (cache != null) cache.pull();
                    r = runner.scan(c.reference());
                    if (cache != null) cache.push();
                }
            } catch (BulwarkException e) {
                // a registry may answer "unknown" for a moment: its push notification can come before the tag is
                // written; so registry scans are tried again, later, a few times
                if (c.reference().startsWith("registry:") && c.attempt() < Jobs.MAX_ATTEMPTS) jobs.retryLater(c, e.oneLine(), 2 * c.attempt());
                else jobs.fail(c, e.oneLine());
                return;
            } catch (IOException | RuntimeException e) {
                jobs.fail(c, c.reference() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                return;
            }
            if (!results.complete(c, r)) log.accept("bulwark serve: job " + c.id() + " was taken over by another worker; its results were dropped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ServerException e) {
            // the lease runs out and another worker does the job again
            log.accept("bulwark serve: job " + c.id() + ": " + e.oneLine());
        } finally {
            held.remove(c.id());
        }
    }

    private void renewAll() {
        for (Jobs.Claim c : held.values()) {
            try {
                if (!jobs.renew(c, leaseSeconds)) held.remove(c.id());
            } catch (ServerException e) {
                log.accept("bulwark serve: cannot renew the lease of job " + c.id() + ": " + e.oneLine());
            }
        }
    }

    private void checkVulnDb() {
        try {
            int n = results.queueRematches(runner.currentVersion());
            if (n > 0) {
                log.accept("bulwark serve: the vulnerability DB changed: " + n + " image(s) queued to be matched again");
                nudge();
            }
        } catch (BulwarkException | RuntimeException e) {
            log.accept("bulwark serve: cannot check the vulnerability DB: " + (e instanceof BulwarkException b ? b.oneLine() : e.toString()));
        }
    }

    @Override
    public void close() {
        stopping = true;
        nudge();
        timers.shutdownNow();
        for (Thread t : threads) {
            if (t == null) continue;
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
