package dev.bulwark.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The dashboard's static files, from the classpath folder {@code dev/bulwark/server/dashboard/}: {@code /} is its
 * index.html, {@code /ui/...} the rest. Nothing outside that folder can be named: paths are checked before lookup.
 */
final class Dashboard {
    private static final String ROOT = "/dev/bulwark/server/dashboard";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png", "json", "application/json",
            "txt", "text/plain; charset=utf-8", "ico", "image/x-icon", "woff2", "font/woff2");
    /** The page needs nothing from elsewhere: scripts, styles and images from this server only. */
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    void serve(String path, Response response, Callback callback) throws Problem {
        String file = path.equals("/") || path.equals("/index.html") ? "/index.html" : path;
        if (!file.equals("/index.html") && !(file.startsWith("/ui/") && file.matches("/ui/[A-Za-z0-9._/-]{1,200}") && !file.contains(".."))) {
            throw Problem.notFound("no such page: " + path);
        }
        byte[] bytes;
        try (InputStream in = Dashboard.class.getResourceAsStream(ROOT + file)) {
            if (in == null) throw Problem.notFound("no such page: " + path);
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw Problem.notFound("no such page: " + path);
        }
        int dot = file.lastIndexOf('.');
        String type = TYPES.getOrDefault(dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
        response.getHeaders().put("Content-Security-Policy", CSP);
        response.getHeaders().put("X-Frame-Options", "DENY");
        ApiHandler.send(response, callback, 200, type, bytes);
    }
}
