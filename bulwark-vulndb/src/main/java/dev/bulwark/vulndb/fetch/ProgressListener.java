package dev.bulwark.vulndb.fetch;

/**
 * Hears how downloads go, for a progress bar. Sources are fetched in parallel, so calls come from several threads
 * at once (never two at a time for the same source); implementations must be thread-safe and quick.
 */
public interface ProgressListener {
    /** Hears nothing. */
    ProgressListener NONE = new ProgressListener() {
    };

    /**
     * A body starts to arrive (again, after a retry: counting restarts from 0).
     *
     * @param totalBytes the declared length, or -1 when the server did not say
     */
    default void started(FeedSource source, long totalBytes) {
    }

    /** Bytes of the body received so far; called every few tens of kilobytes and at the end. */
    default void progress(FeedSource source, long bytesDone, long totalBytes) {
    }

    /** An attempt failed in a way worth retrying; the next one (numbered from 1) follows after a pause. */
    default void retrying(FeedSource source, int nextTry, String reason) {
    }

    /** The source is done: updated, unchanged or failed. */
    default void finished(FetchOutcome outcome) {
    }
}
