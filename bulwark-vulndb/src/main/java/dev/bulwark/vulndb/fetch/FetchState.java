package dev.bulwark.vulndb.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What is known about a source's file in the feed directory, kept beside it in {@code .FILE.fetch} (a small
 * properties file): the URL it came from, the validators the server gave (ETag, Last-Modified) and the file's size
 * and SHA-256. A missing or unreadable sidecar simply means "nothing known": the next fetch is unconditional.
 */
record FetchState(URI url, String etag, String lastModified, String sha256, long size) {
    private static final int MAX_BYTES = 16 * 1024;
    private static final Pattern HEADER_VALUE = Pattern.compile("[\\x20-\\x7e\\t]{1,1024}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    FetchState {
        etag = headerValue(etag);
        lastModified = headerValue(lastModified);
    }

    static Path path(Path dir, FeedSource source) {
        return dir.resolve("." + source.fileName() + ".fetch");
    }

    /** The stored state, or null when there is none or it cannot be trusted. */
    static FetchState read(Path dir, FeedSource source) {
        Path p = path(dir, source);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return null;
        try (InputStream in = Files.newInputStream(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) return null;
            Properties props = new Properties();
            props.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
            String sha = props.getProperty("sha256", "");
            if (!HEX64.matcher(sha).matches()) return null;
            return new FetchState(new URI(props.getProperty("url", "")), props.getProperty("etag"),
                    props.getProperty("last-modified"), sha, Long.parseLong(props.getProperty("size", "-1")));
        } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
            return null;
        }
    }

    /** Writes the state whole or not at all (a temporary file moved over the old one). */
    void write(Path dir, FeedSource source) throws IOException {
        Properties props = new Properties();
        props.setProperty("url", url.toString());
        if (etag != null) props.setProperty("etag", etag);
        if (lastModified != null) props.setProperty("last-modified", lastModified);
        props.setProperty("sha256", sha256);
        props.setProperty("size", Long.toString(size));
        StringWriter text = new StringWriter();
        props.store(text, "bulwark db update: what the server said about " + source.fileName());
        Path tmp = Files.createTempFile(dir, "." + source.fileName() + ".", ".fetch.part");
        try {
            Files.writeString(tmp, text.toString(), StandardCharsets.ISO_8859_1);
            Files.move(tmp, path(dir, source), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void delete(Path dir, FeedSource source) throws IOException {
        Files.deleteIfExists(path(dir, source));
    }

    /** A header value safe to send back: printable ASCII, not too long; anything else is dropped. */
    private static String headerValue(String v) {
        return v != null && HEADER_VALUE.matcher(v).matches() ? v : null;
    }
}
