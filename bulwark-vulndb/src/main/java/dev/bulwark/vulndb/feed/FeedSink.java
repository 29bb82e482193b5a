package dev.bulwark.vulndb.feed;

import dev.bulwark.model.Advisory;

/**
 * Where a parser delivers what it reads, one record at a time, so that a feed of any size passes through in
 * bounded memory. {@link ParseResult#collector()} gathers everything into lists for callers that want them.
 */
public interface FeedSink {
    void advisory(Advisory advisory);

    default void kev(KevEntry entry) {
    }

    default void epss(EpssScore score) {
    }

    /** One line saying which file, which record, and what is wrong; the parser carries on with the next record. */
    void problem(String problem);

    /** A file or archive entry of no known format, left alone (a licence, a README, a JSON schema). */
    default void unrecognised(String name) {
    }

    /** Formats a problem as {@code file: record: message}, leaving out a missing record id. */
    static String describe(String file, String record, String message) {
        return record == null || record.isEmpty() ? file + ": " + message : file + ": " + record + ": " + message;
    }
}
