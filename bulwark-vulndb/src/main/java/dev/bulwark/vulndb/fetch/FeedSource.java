package dev.bulwark.vulndb.fetch;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One feed to download: where from, how to check it, and the file it is kept in inside the feed directory.
 *
 * @param name        a short identifier, lower case ({@code osv-go}, {@code debian-tracker},
 *                    {@code alpine-secdb-v3.22-main}): letters, digits, '.', '_' and '-'
 * @param url         an http or https URL
 * @param checksumUrl where to read the expected SHA-256 of the body (a bare hex digest, or {@code sha256sum}
 *                    output naming the file), or null
 * @param sha256      the expected SHA-256 of the body, 64 hex digits, or null; at most one of this and
 *                    {@code checksumUrl}
 * @param fileName    the file the body is stored under: a plain name (no directory) whose extension tells the
 *                    importer how to read it ({@code .zip}, {@code .json}, {@code .csv.gz}...)
 */
public record FeedSource(String name, URI url, URI checksumUrl, String sha256, String fileName) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** Attribute suffixes of the sources file; a name may not end with one. */
    static final String[] ATTRIBUTES = {".sha256", ".checksum", ".file"};

    public FeedSource {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("feed name '" + name
                    + "' must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        for (String a : ATTRIBUTES) {
            if (name.endsWith(a)) throw new IllegalArgumentException("feed name '" + name + "' may not end with " + a);
        }
        checkHttp(name, "URL", url);
        if (checksumUrl != null) checkHttp(name, "checksum URL", checksumUrl);
        if (sha256 != null) {
            sha256 = sha256.strip().toLowerCase(Locale.ROOT);
            if (!HEX64.matcher(sha256).matches()) {
                throw new IllegalArgumentException(name + ": sha256 must be 64 hex digits");
            }
        }
        if (sha256 != null && checksumUrl != null) {
            throw new IllegalArgumentException(name + ": give a sha256 or a checksum URL, not both");
        }
        if (fileName == null || !FILE.matcher(fileName).matches() || fileName.contains("..")) {
            throw new IllegalArgumentException(name + ": file name '" + fileName
                    + "' must be a plain file name (letters, digits, '.', '_', '-'; no directory, no '..')");
        }
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".part") || lower.endsWith(".fetch") || lower.endsWith(".lock")) {
            throw new IllegalArgumentException(name + ": file name '" + fileName
                    + "' ends like the fetcher's own temporary files");
        }
    }

    /** A source without a checksum. */
    public static FeedSource of(String name, String url, String fileName) {
        return new FeedSource(name, parseUrl(name, url), null, null, fileName);
    }

    public FeedSource withUrl(URI newUrl) {
        return new FeedSource(name, newUrl, checksumUrl, sha256, fileName);
    }

    public FeedSource withFileName(String newFileName) {
        return new FeedSource(name, url, checksumUrl, sha256, newFileName);
    }

    /** The same source with a known SHA-256 (and no checksum URL). */
    public FeedSource withSha256(String hex) {
        return new FeedSource(name, url, null, hex, fileName);
    }

    /** The same source checked against the digest published at {@code checksum} (and no fixed SHA-256). */
    public FeedSource withChecksumUrl(URI checksum) {
        return new FeedSource(name, url, checksum, null, fileName);
    }

    static URI parseUrl(String name, String url) {
        try {
            return new URI(url.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(name + ": malformed URL '" + url + "': " + e.getReason());
        }
    }

    private static void checkHttp(String name, String what, URI u) {
        if (u == null) throw new IllegalArgumentException(name + ": no " + what);
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(name + ": " + what + " '" + Urls.redact(u) + "' is not http or https");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException(name + ": " + what + " '" + Urls.redact(u) + "' has no host");
        }
        if (u.getRawFragment() != null) {
            throw new IllegalArgumentException(name + ": " + what + " '" + Urls.redact(u) + "' has a #fragment");
        }
    }
}
