package dev.bulwark.vulndb.fetch;

import java.nio.file.Path;

/**
 * What became of one source.
 *
 * @param source  the source
 * @param status  updated, unchanged or failed
 * @param file    the source's file in the feed directory: new when updated, the previous one when unchanged or
 *                failed; null when there is none (a first download that failed)
 * @param bytes   size of {@code file}, or 0 when there is none
 * @param sha256  SHA-256 of {@code file} when known (always after a download), else null
 * @param tries   HTTP attempts made for the body (0 when a checksum showed it unchanged, or it failed before)
 * @param message one line: for a failure {@code URL: what went wrong [after N tries]}; otherwise a short note
 */
public record FetchOutcome(FeedSource source, Status status, Path file, long bytes, String sha256, int tries,
                           String message) {
    public enum Status {
        /** A new file was downloaded, verified and moved into place. */
        UPDATED,
        /** The server said 304, or the checksum or content equals the file already there: nothing was rewritten. */
        UNCHANGED,
        /** Nothing usable came; the previous file, if any, is untouched. */
        FAILED
    }

    /** One line for a user, e.g. {@code osv-go: https://...: HTTP 503 after 3 tries}. */
    public String line() {
        return source.name() + ": " + message;
    }
}
