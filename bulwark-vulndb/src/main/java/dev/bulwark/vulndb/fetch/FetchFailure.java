package dev.bulwark.vulndb.fetch;

import java.time.Duration;

/** Why one attempt failed, in one line, and whether trying again could help. Carries no stack trace. */
final class FetchFailure extends Exception {
    private final boolean retryable;
    private final Duration retryAfter;

    FetchFailure(boolean retryable, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    static FetchFailure retryable(String message) {
        return new FetchFailure(true, message, null);
    }

    static FetchFailure fatal(String message) {
        return new FetchFailure(false, message, null);
    }

    boolean retryable() {
        return retryable;
    }

    /** The server's Retry-After, or null. */
    Duration retryAfter() {
        return retryAfter;
    }
}
