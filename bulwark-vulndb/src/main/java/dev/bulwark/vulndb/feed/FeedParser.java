package dev.bulwark.vulndb.feed;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * One feed format's reader: a pure function from a byte stream to records. Implementations never throw on bad
 * input, not even on I/O errors: every malformed record, oversized record or unreadable stream becomes a line in
 * the sink's problems, and the records around it are still delivered. They do not close the stream.
 */
public interface FeedParser {
    /**
     * @param in   the file's bytes (decompressed)
     * @param name the file's name or path as the caller wants it in problems ("go/GO-2021-0113.json")
     */
    void parse(InputStream in, String name, FeedSink sink);

    default ParseResult parse(InputStream in, String name) {
        ParseResult.Collector collector = ParseResult.collector();
        parse(in, name, collector);
        return collector.result();
    }

    default ParseResult parse(byte[] bytes, String name) {
        return parse(new ByteArrayInputStream(bytes), name);
    }
}
