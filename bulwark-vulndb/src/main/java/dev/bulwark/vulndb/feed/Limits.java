package dev.bulwark.vulndb.feed;

/**
 * Bounds that keep a hostile or broken feed from exhausting memory or disk. Records and archive entries are
 * streamed; these limits say when to stop.
 *
 * @param maxRecordBytes  largest single record (one OSV file, one tracker entry, one KEV item); larger ones are
 *                        refused with a problem and skipped. Also the longest string value a parser will buffer.
 * @param maxEntryBytes   largest uncompressed file, whether a plain file, a {@code .gz} or an archive entry
 * @param maxArchiveBytes largest total uncompressed size of one archive
 * @param maxRatio        largest ratio of uncompressed to compressed bytes once more than {@link #RATIO_GRACE}
 *                        bytes have come out of a compressed stream (text feeds compress 5 to 30 times; a bomb
 *                        compresses a thousand times)
 * @param maxEntries      most entries read from one archive
 */
public record Limits(long maxRecordBytes, long maxEntryBytes, long maxArchiveBytes, int maxRatio, int maxEntries) {
    /** Bytes that may come out of a compressed stream before the ratio is checked (small files compress oddly). */
    public static final long RATIO_GRACE = 8L << 20;

    /** 4 MiB records, 1 GiB files, 8 GiB archives, ratio 100, a million entries (osv.dev's all.zip has ~500k). */
    public static final Limits DEFAULT = new Limits(4L << 20, 1L << 30, 8L << 30, 100, 1_000_000);

    public Limits {
        if (maxRecordBytes <= 0 || maxEntryBytes <= 0 || maxArchiveBytes <= 0 || maxRatio <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (maxRecordBytes > Integer.MAX_VALUE / 2) throw new IllegalArgumentException("maxRecordBytes too large");
    }
}
