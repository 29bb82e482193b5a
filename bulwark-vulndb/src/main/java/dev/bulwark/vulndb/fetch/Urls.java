package dev.bulwark.vulndb.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** URL helpers: printing without credentials, mirror rewriting, file names from URLs. */
final class Urls {
    /** Extensions the importer understands, longest first so that ".csv.gz" wins over ".gz". */
    private static final String[] EXTENSIONS = {".tar.gz", ".csv.gz", ".json.gz", ".yaml.gz", ".yml.gz", ".tgz",
            ".zip", ".tar", ".json", ".yaml", ".yml", ".csv", ".md", ".gz"};

    private Urls() {
    }

    /** The URL as text without any user:password part, for messages. */
    static String redact(URI u) {
        if (u == null) return "";
        if (u.getRawUserInfo() == null) return u.toString();
        try {
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), u.getQuery(), u.getFragment())
                    .toString();
        } catch (URISyntaxException e) {
            return u.getScheme() + "://" + u.getHost() + "/...";
        }
    }

    /**
     * {@code original} as found below {@code mirrorBase}: {@code https://host/a/b.zip} becomes
     * {@code <mirrorBase>/host/a/b.zip}, the layout {@code wget --force-directories} writes. A port other than the
     * scheme's default is kept as {@code host_port}; a query string is kept as it is.
     */
    static URI mirrored(URI original, URI mirrorBase) {
        String base = mirrorBase.toString();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        String host = original.getHost().toLowerCase(Locale.ROOT) + (original.getPort() < 0 ? "" : "_" + original.getPort());
        String path = original.getRawPath() == null || original.getRawPath().isEmpty() ? "/" : original.getRawPath();
        String query = original.getRawQuery() == null ? "" : "?" + original.getRawQuery();
        return URI.create(base + "/" + host + path + query);
    }

    /** Checks a mirror base URL: http or https, a host, no query or fragment. */
    static URI mirrorBase(String text) {
        URI u = FeedSource.parseUrl("mirror", text);
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
            throw new IllegalArgumentException("mirror '" + redact(u) + "' must be an http or https URL with a host");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new IllegalArgumentException("mirror '" + redact(u) + "' must not have a query or #fragment");
        }
        return u;
    }

    /**
     * {@code name} plus the extension of the URL's last path segment ({@code osv-go} and {@code .../all.zip} give
     * {@code osv-go.zip}), or null when the URL shows no extension the importer knows.
     */
    static String fileNameFor(String name, URI url) {
        String path = url.getPath() == null ? "" : url.getPath().toLowerCase(Locale.ROOT);
        String last = path.substring(path.lastIndexOf('/') + 1);
        for (String ext : EXTENSIONS) {
            if (last.endsWith(ext) && last.length() > ext.length()) return name + ext;
        }
        return null;
    }

    /**
     * Where a redirect leads: {@code location} resolved against {@code from}, if it is an http or https URL with a
     * host and does not leave https for http.
     */
    static URI redirect(URI from, String location) throws FetchFailure {
        URI next;
        try {
            next = from.resolve(new URI(location.strip()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw FetchFailure.fatal("redirect to a malformed Location '" + abbreviate(location) + "'");
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || next.getHost() == null) {
            throw FetchFailure.fatal("redirect to " + abbreviate(redact(next))
                    + " refused: only http and https URLs are followed");
        }
        if (from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
            throw FetchFailure.fatal("redirect from https to " + abbreviate(redact(next)) + " refused: it would drop TLS");
        }
        return next;
    }

    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    /** The last segment of a URL's path, used to find a file's line in sha256sum output. */
    static String lastSegment(URI url) {
        String path = url.getPath() == null ? "" : url.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
