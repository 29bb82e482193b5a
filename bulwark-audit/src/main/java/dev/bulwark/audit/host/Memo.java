package dev.bulwark.audit.host;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A value computed once, by the first thread that asks (or in the background after {@link #prefetch}); every other
 * caller waits for it. Its failure is every caller's failure, as a {@link FactException}. No monitor is held while
 * computing, so virtual threads are not pinned.
 */
final class Memo<T> {
    private final String what;
    private final FutureTask<T> task;
    private final AtomicBoolean started = new AtomicBoolean();

    Memo(String what, Callable<T> compute) {
        this.what = what;
        this.task = new FutureTask<>(compute);
    }

    void prefetch(Executor executor) {
        if (started.compareAndSet(false, true)) executor.execute(task);
    }

    T get() {
        if (started.compareAndSet(false, true)) task.run();
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FactException(what + ": interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof FactException fe) throw fe;
            throw new FactException(what + ": " + (c.getMessage() == null ? c.toString() : c.getMessage()), c);
        }
    }

    /** A fact the checks need could not be gathered: the checks that need it report ERROR with this message. */
    static final class FactException extends RuntimeException {
        FactException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
